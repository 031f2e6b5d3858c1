"""Forms of the subject access pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..fields import BIRTH, IN_THE_PAST, BoundedTextMixin
from ..forms import GovFormMixin, gov_date_field, gov_text_field
from .models import GatheredPart
from .services import REASON_NEEDED


class PersonSearchForm(GovFormMixin, forms.Form):
    submit_label = _("Search")

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("All or part of the person's name, as the case records it"),
        error_messages={"required": _("Enter the person's name")},
    )
    date_of_birth = gov_date_field(
        _("Date of birth (optional)"), required=False, name=_("date of birth"), date_range=BIRTH
    )


class RequestOpenForm(GovFormMixin, forms.Form):
    submit_label = _("Open the request and gather the records")

    people = forms.MultipleChoiceField(
        label=_("Which of these records are the person's?"),
        help_text=_("Tick every record that is the person asking: one a case they appear on"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the records that are the person's")},
    )
    received_on = gov_date_field(
        _("Date the request was received"), name=_("date received"), date_range=IN_THE_PAST
    )
    notes = gov_text_field(
        _("How the request came in and how their identity was checked"), required=False, rows=3
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(str(p.pk), _person_choice(p)) for p in people]


def _person_choice(person) -> str:
    words = {"name": person.full_name, "reference": person.case.reference, "family": person.case.family_name}
    if person.date_of_birth:
        words["born"] = f"{person.date_of_birth:%-d %B %Y}"
        return _("%(name)s, born %(born)s: case %(reference)s (%(family)s)") % words
    return _("%(name)s: case %(reference)s (%(family)s)") % words


KEEP, REDACT = "keep", "redact"


class ItemReviewForm(BoundedTextMixin, forms.Form):
    """Keep or redact each part of one gathered item; a reason where the default is overridden."""

    reason = forms.CharField(
        label=_("Reason for your decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you keep a third party's information or redact the person's own"),
    )

    def __init__(self, *args, parts: list[GatheredPart], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            self.fields[f"part_{part.pk}"] = forms.ChoiceField(
                label=part.label,
                choices=[(KEEP, _("Keep")), (REDACT, _("Redact"))],
                initial=REDACT if part.redact else KEEP,
                widget=forms.RadioSelect,
                error_messages={"required": _("Select keep or redact for %(part)s") % {"part": part.label}},
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
