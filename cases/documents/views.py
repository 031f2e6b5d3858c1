"""Serving a stored document, and the page where anyone signed in can check a PDF."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cases.http import accepts

from ..access import log_access
from ..forms import GovFormMixin
from ..models import Document

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def document_response(request, document: Document | None, *, what: str) -> FileResponse:
    """The stored PDF as a download, with the access logged. The caller has checked access."""
    if document is None:
        raise Http404("No signed document")
    log_access(request, case=document.case, what=what, object_id=document.pk)
    filename = f"{document.title}.pdf".replace("/", "-")
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class VerifyForm(GovFormMixin, forms.Form):
    submit_label = _("Check the file")

    file = forms.FileField(
        label=_("Upload a PDF"),
        help_text=_("The file is checked and then discarded: it is not kept."),
        error_messages={
            "required": _("Select a PDF file to check"),
            "empty": _("The selected file is empty"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 20 MB"))
        return upload


@accepts("GET", "POST")
@login_required
def document_verify(request):
    """Check that a PDF is exactly as the organisation signed it. The upload is not stored."""
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            from .pdf import verify_pdf  # WeasyPrint and pyHanko load only when needed

            upload = form.cleaned_data["file"]
            result = verify_pdf(b"".join(upload.chunks()))
    else:
        form = VerifyForm()
    return render(request, "cases/document_verify.html", {"form": form, "result": result})
