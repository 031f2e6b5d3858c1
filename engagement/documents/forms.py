"""GOV.UK forms for working together agreements and letters."""

from crispy_forms_gds.layout import HTML, Layout, Submit
from django import forms
from django.utils.html import format_html

from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from cases.models import Person, PersonKind
from engagement.household import language_other_than_english

from .models import LetterStep, SignatureMethod, SignatureRole
from .services import reader_note_offered
from .signatures import SignatureImageError, png_from_data_url


class AgreementForm(GovFormMixin, forms.Form):
    submit_label = "Save the draft"

    our_commitments = gov_text_field(
        "We will", "Enter at least one thing the service will do", help_text="One commitment a line.", rows=10
    )
    family_commitments = gov_text_field(
        "We would hope you can",
        "Enter at least one thing you hope the family can do",
        help_text="One commitment a line.",
        rows=10,
    )
    goals = gov_text_field(
        "What we agree to work towards",
        help_text="The goals you agreed with the family, in their words where you can.",
        required=False,
        rows=5,
    )
    review_on = gov_date_field("Review date", required=False, name="review date")


class SignatureForm(GovFormMixin, forms.Form):
    """One side's signature: drawn on the pad (with JavaScript) or a typed name (always)."""

    submit_label = "Record the signature"

    role = gov_radios_field("Who is signing", SignatureRole.choices, "Select who is signing")
    person = forms.ModelChoiceField(
        label="Parent or carer signing",
        queryset=Person.objects.none(),
        required=False,
        help_text="Only for the parent or carer's signature.",
        error_messages={"invalid_choice": "Select a parent or carer of this family"},
    )
    method = forms.ChoiceField(
        label="How they are signing",
        choices=SignatureMethod.choices,
        widget=forms.RadioSelect,
        initial=SignatureMethod.TYPED,
        error_messages={"required": "Select how the person is signing"},
    )
    typed_name = forms.CharField(
        label="Full name, typed as the signature",
        max_length=200,
        required=False,
        help_text="Type the name if the signature is not drawn.",
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
            self.add_error("person", "Select the parent or carer who is signing")
        method = data.get("method")
        if method == SignatureMethod.TYPED and not (data.get("typed_name") or "").strip():
            self.add_error("typed_name", "Type the full name of the person signing")
        if method == SignatureMethod.DRAWN:
            drawing = data.get("drawing") or ""
            if not drawing:
                self.add_error("typed_name", "Draw the signature in the box, or choose a typed name")
            else:
                try:
                    png_from_data_url(drawing)
                except SignatureImageError as exc:
                    self.add_error("typed_name", str(exc))
        return data


def _address_field() -> forms.CharField:
    return gov_text_field("Postal address", "Enter the postal address")


def _heading_field() -> forms.CharField:
    return forms.CharField(
        label="Heading", max_length=200, error_messages={"required": "Enter the heading of the letter"}
    )


class LetterStartForm(GovFormMixin, forms.Form):
    submit_label = "Start the letter"

    step = gov_radios_field("Which letter", LetterStep.choices, "Select which letter to send")
    recipient = forms.ModelChoiceField(
        label="Who it is to",
        queryset=Person.objects.none(),
        error_messages={
            "required": "Select who the letter is to",
            "invalid_choice": "Select an adult of this family",
        },
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = case.people.filter(kind=PersonKind.ADULT).order_by("full_name")


class LetterOutsideForm(LetterStartForm):
    """A letter written by hand or in another system, recorded before it goes: which letter and
    to whom, as a letter started here, then what it says."""

    submit_label = "Record the letter"

    address = _address_field()
    subject = _heading_field()
    body = gov_text_field(
        "What the letter says",
        "Enter what the letter says",
        help_text="Copy the letter in, or say what it says in your own words.",
        rows=10,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # The letter exists already: the question is which one it is, not which to send.
        self.fields["step"].error_messages["required"] = "Select which letter it is"


class LetterForm(GovFormMixin, forms.Form):
    submit_label = "Save the draft"

    address = _address_field()
    subject = _heading_field()
    body = gov_text_field(
        "Letter",
        "Enter the letter",
        help_text="Fill in the dotted gaps. Keep it plain and kind: say what you will do next.",
        rows=16,
    )

    def __init__(self, *args, recipient: Person, **kwargs):
        super().__init__(*args, **kwargs)
        if reader_note_offered(recipient):
            language = language_other_than_english(recipient)
            self.fields["reader_note"] = forms.BooleanField(
                # The template pack prints labels as they are: the person's language is escaped here.
                label=(
                    format_html("Offer this letter in {} or in easy read", language)
                    if language
                    else "Offer this letter in easy read"
                ),
                help_text=(
                    "Adds a line to the letter saying you will arrange it if asked, and notes the offer "
                    "on the record. Nothing is translated automatically."
                ),
                required=False,
            )
            self.helper.layout = Layout(*self.fields.keys(), Submit("submit", self.submit_label))


class LetterDecisionForm(GovFormMixin, forms.Form):
    submit_label = "Record the decision"

    decision = gov_radios_field(
        "Can this letter be sent safely?",
        [("approve", "Yes, it can be sent"), ("refuse", "No, it must not be sent")],
        "Select if you approve or refuse the letter",
    )
    notes = gov_text_field(
        "Reasons",
        help_text="Needed if it must not be sent: say how else the family could be reached safely.",
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("notes") or "").strip():
            self.add_error("notes", "Say why the letter must not be sent")
        return data
