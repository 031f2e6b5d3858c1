"""What a council's system owner configures: users and roles, teams, agencies.

A user's role decides what they may do: only admins open these configuration screens, so the
role sets that access too. Nobody is deleted (their name is on case records): untick "Active".
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .access import log_access
from .drafts import draft_settings_row
from .models import (
    AccessLogEntry,
    Agency,
    DisposalRecord,
    Document,
    DraftSettings,
    Notification,
    Role,
    StoredFile,
    Team,
    User,
)

USER_MESSAGES = {
    "email": {
        "required": _("Enter their work email address"),
        "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
        "unique": _("Someone already uses this email address: find them in the list of users instead"),
    },
    "full_name": {"required": _("Enter their full name")},
    "role": {"required": _("Select their role")},
    "team": {"invalid_choice": _("Select a team from the list")},
    "agency": {"invalid_choice": _("Select an agency from the list")},
}


class UserRulesMixin:
    """Checks shared by the add and change forms, so a role always fits the team and agency."""

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter their full name"))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        user = self.instance
        already = set(self.errors)  # a field already in error needs no second message
        for field, message in services.user_change_problems(
            user=user,
            role=data.get("role"),
            team=data.get("team"),
            agency=data.get("agency"),
            is_active=data.get("is_active", user.is_active),
            changed_by_id=getattr(self, "request_user_id", None),
        ):
            if field not in already:
                self.add_error(field, message)
        return data


class UserChangeAdminForm(UserRulesMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "work_phone", "role", "team", "agency", "is_active"]
        error_messages = USER_MESSAGES


class UserAddForm(UserRulesMixin, forms.ModelForm):
    """A new user sets their own password from the link emailed to them: nobody else knows it."""

    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "role", "team", "agency"]
        error_messages = USER_MESSAGES

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = UserChangeAdminForm
    add_form = UserAddForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "team", "agency", "is_active"]
    list_filter = ["role", "team", "agency", "is_active"]
    list_select_related = ["team", "agency"]
    search_fields = ["full_name", "email", "job_title"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["disable", "require_password_reset", "reset_authenticator"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        (
            _("Who they are"),
            {
                "fields": ["full_name", "job_title", "work_phone", "role", "team", "agency"],
                "description": _(
                    "Lead practitioners and line managers need a team; multi-agency meeting members need "
                    "an agency. An allocated social worker sees only the cases the case team allocates "
                    "them to, and on those only the signed assessments, the decisions, the partners' "
                    "reports and hostile incidents. Only admins can open these configuration screens."
                ),
            },
        ),
        (
            _("Access"),
            {
                "fields": ["is_active", "last_login", "date_joined"],
                "description": _(
                    "Untick 'Active' when someone leaves: they can no longer sign in, and their name stays "
                    "on the records they made."
                ),
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "full_name",
                    "job_title",
                    "role",
                    "team",
                    "agency",
                ],
                "description": _(
                    "They are emailed a link to set their own password. Nobody else, admins included, "
                    "ever sets or knows it."
                ),
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithRequestUser(form):
            request_user_id = request.user.pk

        return WithRequestUser

    def save_model(self, request, obj, form, change):
        services.user_save(user=obj, by=request.user)
        if not change:
            try:
                services.user_password_reset_require(user=obj, by=request.user, request=request)
            except services.AccountError as error:
                messages.warning(request, str(error))
        if change and "is_active" in form.changed_data and not obj.is_active:
            open_cases = selectors.open_cases_led_count(obj)
            if open_cases:
                message = ngettext(
                    "%(user)s can no longer sign in. They lead %(count)d open case: ask their line manager "
                    "to reassign it.",
                    "%(user)s can no longer sign in. They lead %(count)d open cases: ask their line manager "
                    "to reassign them.",
                    open_cases,
                )
                messages.warning(request, message % {"user": obj, "count": open_cases})

    def has_delete_permission(self, request, obj=None):
        return False

    def user_change_password(self, request, id, form_url=""):
        # Admins never set a password: "Require a new password" emails the user a link instead.
        raise Http404("Not found")

    def _each(self, request, queryset, change, done: str):
        for user in queryset:
            try:
                change(user)
            except services.AccountError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, done.format(user=user), messages.SUCCESS)

    @admin.action(description=_("Stop the selected users signing in"), permissions=["change"])
    def disable(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda user: services.user_disable(user=user, by=request.user),
            _("{user} can no longer sign in. Their name stays on the records they made."),
        )

    @admin.action(
        description=_("Require a new password (the user is emailed a link)"), permissions=["change"]
    )
    def require_password_reset(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda user: services.user_password_reset_require(user=user, by=request.user, request=request),
            _(
                "{user} is signed out, their password no longer works, and they have been emailed a link "
                "to set a new one."
            ),
        )

    @admin.action(
        description=_("Reset the authenticator app (the user sets up a new one at their next sign-in)"),
        permissions=["change"],
    )
    def reset_authenticator(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda user: services.user_mfa_reset(user=user, by=request.user),
            _(
                "{user}'s authenticator app and recovery codes are removed: they set up a new app at their "
                "next sign-in."
            ),
        )


# Nobody reads or changes another person's sign-in: email addresses, authenticator secrets and
# permission groups are not configuration (admins reset them with the actions on the user list).
for model in (EmailAddress, Authenticator, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "manager"]
        labels = {"manager": _("Line manager")}
        help_texts = {"manager": _("Only users whose role is line manager are listed.")}
        error_messages = {
            "name": {
                "required": _("Enter the name of the team"),
                "unique": _("There is a team with this name already: choose a different name"),
            },
            "manager": {
                "required": _("Select the team's line manager: every team needs one"),
                "invalid_choice": _(
                    "Select a line manager from the list: only active users whose role is "
                    "line manager can manage a team"
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["manager"]
        field.required = True
        field.queryset = User.objects.filter(role=Role.LINE_MANAGER, is_active=True).order_by("full_name")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the team"))
        return name


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    form = TeamForm
    list_display = ["name", "manager"]
    list_select_related = ["manager"]
    search_fields = ["name", "manager__full_name"]

    def has_delete_permission(self, request, obj=None):
        return False  # cases and people point at their team


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind"]
        labels = {"kind": _("Type of agency")}
        error_messages = {
            "name": {
                "required": _("Enter the name of the agency"),
                "unique": _("There is an agency with this name already: choose it from the list instead"),
            },
            "kind": {"required": _("Select the type of agency")},
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the agency"))
        return name


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    form = AgencyForm
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # members and memberships point at their agency


class Reference:
    """What an admin page calls a case-linked record: its kind and number, never its text."""

    def __init__(self, obj):
        self.pk = obj.pk
        self.text = f"{obj._meta.verbose_name.capitalize()} {obj.pk}"

    def __str__(self):
        return self.text


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the service makes: admins may look, never change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseLinkedAdmin(ReadOnlyAdmin):
    """Records made around cases, shown to admins as references and counts: read only, never a
    note, a reason, a body or a family member's name, and every page of them in the access log."""

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def _log(self, request, object_id=""):
        case = None
        if object_id:
            case = getattr(self.model._base_manager.filter(pk=object_id).first(), "case", None)
        log_access(request, case=case, what=f"admin: {self.opts.verbose_name}"[:100], object_id=object_id)

    def _named_by_reference(self, object_id, *, history=False) -> dict:
        """The page's title and breadcrumbs name the record by reference, not by its text."""
        obj = self.model._base_manager.filter(pk=object_id).first()
        if obj is None:
            return {}
        reference = Reference(obj)
        names = {"original": reference, "object": reference, "subtitle": str(reference)}
        if history:
            names |= {
                "title": _("Change history: %(reference)s") % {"reference": reference},
                "subtitle": None,
            }
        return names

    def changelist_view(self, request, extra_context=None):
        self._log(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(request, object_id)
        extra_context = (extra_context or {}) | self._named_by_reference(object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log(request, object_id)
        extra_context = (extra_context or {}) | self._named_by_reference(object_id, history=True)
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("Case"))
    def case_reference(self, obj):
        case = getattr(obj, "case", None)
        return case.reference if case else "-"


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(CaseLinkedAdmin):
    """The log is evidence of who looked at what: the case by its reference only."""

    list_display = ["at", "user", "what", "case_reference", "path", "denied"]
    list_filter = ["denied", "what"]
    list_select_related = ["user", "case"]
    date_hierarchy = "at"
    fields = ["at", "user", "what", "case_reference", "object_id", "path", "denied"]


@admin.register(Document)
class DocumentAdmin(CaseLinkedAdmin):
    """Register of signed documents: their hashes, not their content or their titles."""

    list_display = ["created_at", "kind", "case_reference", "source_type", "source_id", "sha256", "size"]
    list_filter = ["kind"]
    list_select_related = ["case"]
    fields = ["kind", "case_reference", "source_type", "source_id", "sha256", "size", "signed", "created_at"]
    date_hierarchy = "created_at"


@admin.register(StoredFile)
class StoredFileAdmin(CaseLinkedAdmin):
    """Which document files the database holds (cases/storage.py): names and sizes, never the bytes,
    which are read only through their case's page. A name holds a case reference, so each page of
    them is in the access log as any case-linked admin page is."""

    list_display = ["name", "size", "created_at"]
    fields = ["name", "size", "created_at"]
    date_hierarchy = "created_at"


@admin.register(DisposalRecord)
class DisposalRecordAdmin(CaseLinkedAdmin):
    """The evidence that case records were disposed of on schedule: references, dates and counts."""

    list_display = ["disposed_at", "case_reference", "record_type", "closed_on", "due_on", "disposed_by"]
    list_filter = ["record_type"]
    list_select_related = ["disposed_by"]
    date_hierarchy = "disposed_at"
    fields = ["case_reference", "record_type", "closed_on", "due_on", "disposed_by", "disposed_at", "counts"]


@admin.register(Notification)
class NotificationAdmin(CaseLinkedAdmin):
    """Whether messages reached practitioners and managers: who, when and what kind, never the words."""

    list_display = ["kind", "recipient", "case_reference", "created_at", "emailed_at", "read_at"]
    list_filter = ["kind", "is_escalation"]
    list_select_related = ["recipient", "case"]
    fields = ["kind", "recipient", "case_reference", "is_escalation", "created_at", "emailed_at", "read_at"]


class DraftSettingsForm(forms.ModelForm):
    class Meta:
        model = DraftSettings
        fields = ["draft_days"]
        error_messages = {
            "draft_days": {
                "required": _("Enter the number of days to keep an unsaved draft"),
                "invalid": _("Enter the number of days as a whole number, for example 30"),
            }
        }


@admin.register(DraftSettings)
class DraftSettingsAdmin(SimpleHistoryAdmin):
    """One row: how long an unsaved draft is kept. The drafts themselves are case content and are
    not here: admins never see them."""

    form = DraftSettingsForm
    fieldsets = [
        (
            _("Unsaved drafts"),
            {
                "fields": ["draft_days"],
                "description": _(
                    "While someone types into a long form (a contact attempt, an assessment, an "
                    "agreement, oversight or a decision) what they type is saved as a draft that only "
                    "they can see, so nothing is lost if they are called away or signed out. A draft "
                    "goes when they save or discard the form, or after this many days untouched."
                ),
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        return redirect(reverse("admin:cases_draftsettings_change", args=[draft_settings_row().pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft_settings_row()  # made with the default on the first visit: a read elsewhere never writes
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
