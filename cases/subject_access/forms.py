"""Forms of the subject access pages."""

from django import forms

from ..fields import BIRTH, IN_THE_PAST, BoundedTextMixin
from ..forms import GovFormMixin, gov_date_field, gov_text_field
from .models import GatheredPart
from .services import REASON_NEEDED


class PersonSearchForm(GovFormMixin, forms.Form):
    submit_label = "Search"

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="All or part of the person's name, as the case records it",
        error_messages={"required": "Enter the person's name"},
    )
    date_of_birth = gov_date_field(
        "Date of birth (optional)", required=False, name="date of birth", date_range=BIRTH
    )


class RequestOpenForm(GovFormMixin, forms.Form):
    submit_label = "Open the request and gather the records"

    people = forms.MultipleChoiceField(
        label="Which of these records are the person's?",
        help_text="Tick every record that is the person asking: one a case they appear on",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the records that are the person's"},
    )
    received_on = gov_date_field(
        "Date the request was received", name="date received", date_range=IN_THE_PAST
    )
    notes = gov_text_field(
        "How the request came in and how their identity was checked", required=False, rows=3
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [
            (
                str(p.pk),
                f"{p.full_name}"
                + (f", born {p.date_of_birth:%-d %B %Y}" if p.date_of_birth else "")
                + f": case {p.case.reference} ({p.case.family_name})",
            )
            for p in people
        ]


KEEP, REDACT = "keep", "redact"


class ItemReviewForm(BoundedTextMixin, forms.Form):
    """Keep or redact each part of one gathered item; a reason where the default is overridden."""

    reason = forms.CharField(
        label="Reason for your decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you keep a third party's information or redact the person's own",
    )

    def __init__(self, *args, parts: list[GatheredPart], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            self.fields[f"part_{part.pk}"] = forms.ChoiceField(
                label=part.label,
                choices=[(KEEP, "Keep"), (REDACT, "Redact")],
                initial=REDACT if part.redact else KEEP,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select keep or redact for {part.label}"},
            )

    def rows(self):
        """Each part with its field, for the template."""
        return [(part, self[f"part_{part.pk}"]) for part in self.parts]

    def clean(self):
        data = super().clean()
        decided = self.decisions(data)
        if (
            any(decided.get(p.pk, p.redact) != p.redacted_by_default for p in self.parts)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", REASON_NEEDED)
        return data

    def decisions(self, data=None) -> dict[int, bool]:
        data = self.cleaned_data if data is None else data
        return {p.pk: data[f"part_{p.pk}"] == REDACT for p in self.parts if data.get(f"part_{p.pk}")}
