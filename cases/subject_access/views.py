"""The information governance officer's pages: subject access requests, under /subject-access/.

Open only to Role.INFORMATION_GOVERNANCE (anyone else gets 404). Every page that shows what was
gathered from a case writes the access log.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import log_access, role_view
from ..forms import form_save
from ..http import accepts
from ..models import AccessLogEntry, Person, Role
from . import selectors, services
from .forms import ItemReviewForm, PersonSearchForm, RequestOpenForm
from .models import RequestStatus, SubjectAccessRequest

IG = Role.INFORMATION_GOVERNANCE


def _request(pk) -> SubjectAccessRequest:
    return get_object_or_404(SubjectAccessRequest.objects.select_related("opened_by"), pk=pk)


@accepts("GET")
@role_view(IG)
def request_list(request):
    return render(request, "subject_access/request_list.html", {"requests": selectors.requests_list()})


@accepts("GET", "POST")
@role_view(IG)
def request_new(request):
    """Find the person across the authority, tick their records, and open the request."""
    # A request posted without a search asks for the search: its name is required.
    search = PersonSearchForm(request.GET or ({} if request.method == "POST" else None))
    people = []
    if search.is_bound and search.is_valid():
        people = selectors.people_search(
            name=search.cleaned_data["name"], date_of_birth=search.cleaned_data["date_of_birth"]
        )
    form = RequestOpenForm(request.POST or None, people=people)

    def save(data):
        chosen = list(Person.objects.filter(pk__in=data["people"]).select_related("case"))
        first = chosen[0]
        return services.request_open(
            by=request.user,
            people=chosen,
            subject_name=first.full_name,
            subject_date_of_birth=first.date_of_birth,
            received_on=data["received_on"],
            notes=data["notes"],
            path=request.path,
        )

    if people and (saved := form_save(request, form, save, errors=services.SubjectAccessError)):
        return redirect("subject_access:request_detail", pk=saved.result.pk)
    if people:
        # The search shows names and cases from across the authority.
        for case_id in sorted({p.case_id for p in people}):
            AccessLogEntry.objects.create(
                user=request.user, case_id=case_id, what="subject access search", path=request.path[:500]
            )
        request._access_logged = True
    return render(
        request,
        "subject_access/request_new.html",
        {"search": search, "form": form, "people": people, "searched": search.is_bound},
    )


def _detail(request, record: SubjectAccessRequest, *, error: str = "", status: int = 200):
    items = selectors.request_items(record)
    log_access(request, case=None, what="subject access request", object_id=record.pk)
    release = getattr(record, "release", None) if record.status == RequestStatus.RELEASED else None
    return render(
        request,
        "subject_access/request_detail.html",
        {
            "record": record,
            "items": items,
            "unreviewed": sum(1 for i in items if not i.is_reviewed),
            "release": release,
            "error": error,
        },
        status=status,
    )


@accepts("GET")
@role_view(IG)
def request_detail(request, pk):
    return _detail(request, _request(pk))


@accepts("GET", "POST")
@role_view(IG)
def item_review(request, pk, item_pk):
    record = _request(pk)
    item = get_object_or_404(record.items.select_related("case"), pk=item_pk)
    parts = list(item.parts.all())
    form = ItemReviewForm(request.POST or None, parts=parts)
    released = record.status == RequestStatus.RELEASED
    if not released:
        saved = form_save(
            request,
            form,
            lambda data: services.item_review(
                item=item, by=request.user, redact=form.decisions(data), reason=data["reason"]
            ),
            errors=services.SubjectAccessError,
        )
        if saved:
            following = record.items.filter(reviewed_at__isnull=True).order_by("position", "pk").first()
            messages.success(request, _("Review saved: %(title)s") % {"title": item.title})
            if following is not None:
                return redirect("subject_access:item_review", pk=record.pk, item_pk=following.pk)
            return redirect("subject_access:request_detail", pk=record.pk)
    elif request.method == "POST":
        form.add_error(None, services.ALREADY_RELEASED)
    log_access(request, case=item.case, what="subject access item", object_id=item.pk)
    # How the item reads in the bundle as now reviewed: redacted names are also taken out of
    # the parts kept (services.bundle).
    preview = next((each["parts"] for each in services.bundle(record) if each["item"].pk == item.pk), [])
    return render(
        request,
        "subject_access/item_review.html",
        {"record": record, "item": item, "form": form, "released": released, "preview": preview},
    )


@accepts("POST")
@role_view(IG)
def request_release(request, pk):
    record = _request(pk)
    try:
        services.request_release(request=record, by=request.user)
    except services.SubjectAccessError as error:
        return _detail(request, record, error=str(error))
    messages.success(request, _("Bundle released: it is signed and kept with this request"))
    return redirect("subject_access:request_detail", pk=record.pk)


@accepts("GET")
@role_view(IG)
def bundle_pdf(request, pk):
    record = _request(pk)
    release = getattr(record, "release", None) if record.status == RequestStatus.RELEASED else None
    if release is None:
        raise Http404("Not released")
    path = reverse("subject_access:bundle_pdf", kwargs={"pk": record.pk})
    AccessLogEntry.objects.create(
        user=request.user, case=None, what="subject access bundle", object_id=str(release.pk), path=path
    )
    request._access_logged = True
    response = FileResponse(release.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record.reference}.pdf"'
    return response
