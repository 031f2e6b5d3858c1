"""GOV.UK forms for working together agreements and letters."""

from crispy_forms_gds.layout import HTML, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from cases.models import Person, PersonKind
from engagement.household import language_other_than_english

from .models import LetterStep, SignatureMethod, SignatureRole
from .services import reader_note_offered
from .signatures import SignatureImageError, png_from_data_url


class AgreementForm(GovFormMixin, forms.Form):
    submit_label = _("Save the draft")

    our_commitments = gov_text_field(
        _("We will"),
        _("Enter at least one thing the service will do"),
        help_text=_("One commitment a line."),
        rows=10,
    )
    family_commitments = gov_text_field(
        _("We would hope you can"),
        _("Enter at least one thing you hope the family can do"),
        help_text=_("One commitment a line."),
        rows=10,
    )
    goals = gov_text_field(
        _("What we agree to work towards"),
        help_text=_("The goals you agreed with the family, in their words where you can."),
        required=False,
        rows=5,
    )
    review_on = gov_date_field(_("Review date"), required=False, name=_("review date"))


class SignatureForm(GovFormMixin, forms.Form):
    """One side's signature: drawn on the pad (with JavaScript) or a typed name (always)."""

    submit_label = _("Record the signature")

    role = gov_radios_field(_("Who is signing"), SignatureRole.choices, _("Select who is signing"))
    person = forms.ModelChoiceField(
        label=_("Parent or carer signing"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Only for the parent or carer's signature."),
        error_messages={"invalid_choice": _("Select a parent or carer of this family")},
    )
    method = forms.ChoiceField(
        label=_("How they are signing"),
        choices=SignatureMethod.choices,
        widget=forms.RadioSelect,
        initial=SignatureMethod.TYPED,
        error_messages={"required": _("Select how the person is signing")},
    )
    typed_name = forms.CharField(
        label=_("Full name, typed as the signature"),
        max_length=200,
        required=False,
        help_text=_("Type the name if the signature is not drawn."),
    )
    drawing = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.people.filter(kind=PersonKind.ADULT).order_by("full_name")
        # Who is signing, then how, and only then the drawing box (shown by signature-pad.js)
        # and the typed name: a drawing made before saying whose it is means nothing.
        self.helper.layout = Layout(
            "role",
            "person",
            "method",
            HTML('{% include "engagement/_signature_pad.html" %}'),
            "typed_name",
            "drawing",
            Submit("submit", self.submit_label),
        )

    def clean(self):
        data = super().clean()
        if data.get("role") == SignatureRole.PARENT and not data.get("person"):
            self.add_error("person", _("Select the parent or carer who is signing"))
        method = data.get("method")
        if method == SignatureMethod.TYPED and not (data.get("typed_name") or "").strip():
            self.add_error("typed_name", _("Type the full name of the person signing"))
        if method == SignatureMethod.DRAWN:
            drawing = data.get("drawing") or ""
            if not drawing:
                self.add_error("typed_name", _("Draw the signature in the box, or choose a typed name"))
            else:
                try:
                    png_from_data_url(drawing)
                except SignatureImageError as exc:
                    self.add_error("typed_name", str(exc))
        return data


def _address_field() -> forms.CharField:
    return gov_text_field(_("Postal address"), _("Enter the postal address"))


def _heading_field() -> forms.CharField:
    return forms.CharField(
        label=_("Heading"), max_length=200, error_messages={"required": _("Enter the heading of the letter")}
    )


class LetterStartForm(GovFormMixin, forms.Form):
    submit_label = _("Start the letter")

    step = gov_radios_field(_("Which letter"), LetterStep.choices, _("Select which letter to send"))
    recipient = forms.ModelChoiceField(
        label=_("Who it is to"),
        queryset=Person.objects.none(),
        error_messages={
            "required": _("Select who the letter is to"),
            "invalid_choice": _("Select an adult of this family"),
        },
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = case.people.filter(kind=PersonKind.ADULT).order_by("full_name")


class LetterOutsideForm(LetterStartForm):
    """A letter written by hand or in another system, recorded before it goes: which letter and
    to whom, as a letter started here, then what it says."""

    submit_label = _("Record the letter")

    address = _address_field()
    subject = _heading_field()
    body = gov_text_field(
        _("What the letter says"),
        _("Enter what the letter says"),
        help_text=_("Copy the letter in, or say what it says in your own words."),
        rows=10,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # The letter exists already: the question is which one it is, not which to send.
        self.fields["step"].error_messages["required"] = _("Select which letter it is")


class LetterForm(GovFormMixin, forms.Form):
    submit_label = _("Save the draft")

    address = _address_field()
    subject = _heading_field()
    body = gov_text_field(
        _("Letter"),
        _("Enter the letter"),
        help_text=_("Fill in the dotted gaps. Keep it plain and kind: say what you will do next."),
        rows=16,
    )

    def __init__(self, *args, recipient: Person, **kwargs):
        super().__init__(*args, **kwargs)
        if reader_note_offered(recipient):
            language = language_other_than_english(recipient)
            self.fields["reader_note"] = forms.BooleanField(
                # The template pack prints labels as they are: the person's language is escaped here.
                label=(
                    format_html(gettext("Offer this letter in {language} or in easy read"), language=language)
                    if language
                    else _("Offer this letter in easy read")
                ),
                help_text=(
                    _(
                        "Adds a line to the letter saying you will arrange it if asked, and notes the offer "
                        "on the record. Nothing is translated automatically."
                    )
                ),
                required=False,
            )
            self.helper.layout = Layout(*self.fields.keys(), Submit("submit", self.submit_label))


class LetterDecisionForm(GovFormMixin, forms.Form):
    submit_label = _("Record the decision")

    decision = gov_radios_field(
        _("Can this letter be sent safely?"),
        [("approve", _("Yes, it can be sent")), ("refuse", _("No, it must not be sent"))],
        _("Select if you approve or refuse the letter"),
    )
    notes = gov_text_field(
        _("Reasons"),
        help_text=_("Needed if it must not be sent: say how else the family could be reached safely."),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Say why the letter must not be sent"))
        return data
