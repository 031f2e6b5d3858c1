from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cases import views as case_views
from insight.today import offline

admin.site.site_header = _("Engaging families: configuration")
admin.site.site_title = _("Engaging families configuration")
admin.site.index_title = _("Configuration")
# The admin signs in through the same login (and the same MFA) as everyone else.
admin.site.login = case_views.admin_login_redirect


def no_email_changes(request):
    """Sign-in emails are changed by an admin, never by their user (docs/security.md): with a
    password alone, nobody can move an account to another address and lock its owner out."""
    raise Http404


urlpatterns = [
    path("", case_views.home, name="home"),
    # Before allauth's own page at this address, so that page is never reached.
    path("accounts/email/", no_email_changes, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("engagement/", include("engagement.urls")),
    path("practice/", include("engagement.practice.urls")),
    path("assessments/", include("riskassessment.urls")),
    path("flowchart/", include("flowchart.urls")),
    path("team/", include("insight.dashboard.urls")),
    path("social-work/", include("flowchart.social_work_urls")),
    path("insight/", include("insight.urls")),
    path("today/", include("insight.today.urls")),
    path("needs-you/", include("insight.needs_you.urls")),
    path("returns/", include("insight.returns.urls")),
    path("supporting-families/", include("insight.supporting_families.urls")),
    path("subject-access/", include("cases.subject_access.urls")),
    path("healthz", case_views.healthz, name="healthz"),
    # The timeout warning's two addresses (static/js/timeout-warning.js).
    path("session/keep-alive/", case_views.session_keep_alive, name="session_keep_alive"),
    path("signed-out/", case_views.signed_out, name="signed_out"),
    # The words the staff interface's JavaScript shows, for gettext in the browser (docs/language.md).
    path("jsi18n/", case_views.javascript_catalog, name="javascript_catalog"),
    # The installable app: its manifest, and its service worker at the root so it may look after
    # the offline page (insight.today.offline).
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("service-worker.js", offline.service_worker, name="service_worker"),
]

handler403 = "cases.views.permission_denied"
handler404 = "cases.views.page_not_found"
handler500 = "cases.views.server_error"
