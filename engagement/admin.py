"""What a council's system owner configures here: the wording of agreements and letters."""

import re

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .documents.models import LETTER_PLACEHOLDERS, AgreementTemplate, LetterTemplate
from .documents.selectors import letter_wording_preview
from .documents.services import wording_template_save
from .messages.models import PLACEHOLDERS as MESSAGE_PLACEHOLDERS
from .messages.models import MessageTemplate
from .models import OfflineSettings
from .selectors import offline_settings

PREVIEW_HELP = _(
    "Made-up sample values fill the gaps; no family's details are used. Choose 'Preview' to see the "
    "wording as you have typed it, before you save it."
)
NOTHING_TO_PREVIEW = _("Type the wording and choose 'Preview' to see it here.")


class WordingPreviewMixin:
    """A "Preview" button on the wording's change form: the page comes back with what was typed,
    kept in the form and shown in the preview, and nothing saved.

    The admin saves a valid form; a form that says it is not valid is shown again as posted. A
    previewed form is checked as usual (its errors show) and then never counts as valid, so the
    admin neither saves it nor logs a change; the preview reads the form's unsaved instance.
    """

    change_form_template = "admin/engagement/wording_change_form.html"

    @staticmethod
    def previewing(request) -> bool:
        return request.method == "POST" and "_preview" in request.POST

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self.previewing(request):
            return form

        class PreviewOnly(form):
            def is_valid(self):
                super().is_valid()  # the errors show as they would on saving
                return False

        return PreviewOnly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "previewing": self.previewing(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)


def _commitments(text: str):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))


class AgreementTemplateForm(forms.ModelForm):
    class Meta:
        model = AgreementTemplate
        fields = ["name", "language", "our_commitments", "family_commitments", "closing_words"]
        error_messages = {
            "name": {"required": _("Enter the title the agreements will have")},
            "our_commitments": {"required": _("Enter at least one commitment, one a line")},
            "family_commitments": {"required": _("Enter at least one commitment, one a line")},
        }


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(WordingPreviewMixin, SimpleHistoryAdmin):
    """Each new agreement copies the newest wording in its language; agreements already started
    keep theirs."""

    form = AgreementTemplateForm
    list_display = ["name", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["name"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "language", "our_commitments", "family_commitments", "closing_words"],
                "description": _(
                    "Every new working together agreement starts from this wording, which the practitioner "
                    "then talks through with the family. An agreement for a family who chose Welsh starts "
                    "from the Welsh wording; keep the English and the Welsh saying the same things. "
                    "Agreements already started keep the wording they had. Nothing in braces is filled in "
                    "here."
                ),
            },
        ),
        (_("Preview"), {"fields": ["preview"], "description": PREVIEW_HELP}),
    ]
    readonly_fields = ["preview"]

    @admin.display(description=_("As a new agreement starts"))
    def preview(self, obj):
        # The saved wording, or (after "Preview") the wording as typed, not saved.
        if obj is None or not (obj.our_commitments or obj.family_commitments):
            return NOTHING_TO_PREVIEW
        return format_html(
            "<h3>{}</h3><p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}{}",
            obj.name,
            gettext("What we will do"),
            _commitments(obj.our_commitments),
            gettext("What we would hope the family can do"),
            _commitments(obj.family_commitments),
            linebreaks(obj.closing_words, autoescape=True),
        )

    def save_model(self, request, obj, form, change):
        wording_template_save(template=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["step", "language", "subject", "body"]
        error_messages = {
            "step": {"required": _("Select the flow-chart step the letter is for")},
            "language": {"required": _("Select the language the wording is in")},
            "subject": {"required": _("Enter the subject of the letter")},
            "body": {"required": _("Enter the wording of the letter")},
        }


def _letter_wording_help() -> str:
    gaps = "; ".join(f"{{{name}}}: {meaning}" for name, meaning in LETTER_PLACEHOLDERS.items())
    return gettext(
        "A letter for a flow-chart step starts from this wording; the practitioner completes it "
        "before sending. A letter to someone who chose Welsh starts from the Welsh wording; "
        "keep the English and the Welsh saying the same things. These gaps are filled in for "
        "them: %(gaps)s. Anything else in braces is refused."
    ) % {"gaps": gaps}


def _message_wording_help() -> str:
    placeholders = "; ".join(f"(({name})): {meaning}" for name, meaning in MESSAGE_PLACEHOLDERS.items())
    return gettext(
        "These are filled in when the practitioner writes the message: %(placeholders)s. A text of "
        "more than 160 characters costs more than one text. Add a Welsh version under the same name "
        "with the language Welsh."
    ) % {"placeholders": placeholders}


@admin.register(LetterTemplate)
class LetterTemplateAdmin(WordingPreviewMixin, SimpleHistoryAdmin):
    """Each new letter copies this wording; letters already written keep theirs."""

    form = LetterTemplateForm
    list_display = ["step", "language", "subject", "updated_at"]
    list_filter = ["language"]
    search_fields = ["subject", "body"]
    fieldsets = [
        (
            None,
            {
                "fields": ["step", "language", "subject", "body"],
                # Lazy: worded when the page is shown, in its language, with the gaps' meanings.
                "description": lazy(_letter_wording_help, str)(),
            },
        ),
        (_("Preview"), {"fields": ["preview"], "description": PREVIEW_HELP}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["step", "language", "preview"] if obj else ["preview"]

    @admin.display(description=_("As a new letter starts"))
    def preview(self, obj):
        # The saved wording, or (after "Preview") the wording as typed, not saved.
        if obj is None or not (obj.subject or obj.body):
            return NOTHING_TO_PREVIEW
        subject, body = letter_wording_preview(obj.subject, obj.body)
        return format_html("<p><strong>{}</strong></p>{}", subject, linebreaks(body, autoescape=True))

    def save_model(self, request, obj, form, change):
        wording_template_save(template=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfflineSettings)
class OfflineSettingsAdmin(SimpleHistoryAdmin):
    """One row: the list goes straight to it, and it cannot be added or deleted."""

    fieldsets = [
        (
            _("Working offline"),
            {
                "fields": ["keep_days"],
                "description": _(
                    "Practitioners can record contact attempts on a phone with no signal. For that the "
                    "phone keeps a short list of their open cases. See docs/security.md."
                ),
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        row = offline_settings()
        return redirect(reverse("admin:engagement_offlinesettings_change", args=[row.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        offline_settings()  # the row exists even where no one has saved it yet
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageTemplateForm(forms.ModelForm):
    """Wording for texts and emails to families: only the placeholders the product fills in."""

    class Meta:
        model = MessageTemplate
        fields = ["name", "kind", "language", "subject", "body", "in_use"]
        error_messages = {
            "name": {"required": _("Enter the name practitioners choose the wording by")},
            "body": {"required": _("Enter the wording of the message")},
        }

    def clean(self):
        data = super().clean()
        words = f"{data.get('subject', '')} {data.get('body', '')}"
        unknown = sorted(set(re.findall(r"\(\(([^()]*)\)\)", words)) - set(MESSAGE_PLACEHOLDERS))
        if unknown:
            raise forms.ValidationError(
                _("((%(name)s)) is not something the message can fill in: use %(placeholders)s")
                % {"name": unknown[0], "placeholders": ", ".join(f"(({p}))" for p in MESSAGE_PLACEHOLDERS)}
            )
        if data.get("kind") == "email" and not (data.get("subject") or "").strip():
            self.add_error("subject", _("Enter the email's subject"))
        if data.get("kind") == "sms" and (data.get("subject") or "").strip():
            self.add_error("subject", _("A text message has no subject: leave it empty"))
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SimpleHistoryAdmin):
    """Texts and emails practitioners send from the case start from this wording (docs/notify.md).
    Messages already sent keep the words they were sent with."""

    form = MessageTemplateForm
    list_display = ["name", "kind", "language", "in_use"]
    list_filter = ["kind", "language", "in_use"]
    search_fields = ["name", "subject", "body"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "kind", "language", "subject", "body", "in_use"],
                "description": lazy(_message_wording_help, str)(),
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False
