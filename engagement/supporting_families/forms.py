"""The Supporting Families forms: needs as GOV.UK checkboxes, then an answer per need."""

from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import GovFormMixin, gov_radios_field, gov_text_field

from .models import ClosureOutcome, FamilyNeed, HeadlineOutcome, Sustained
from .services import Answer


class NeedsForm(GovFormMixin, forms.Form):
    submit_label = _("Save the family's needs")

    headlines = forms.MultipleChoiceField(
        label=_("Which headline outcomes does the family need support with?"),
        choices=HeadlineOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. A results claim needs at least three."),
        error_messages={
            "required": _("Select the family's needs"),
            "invalid_choice": _("Select needs from the list"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.checkboxes("headlines", small=True), Submit("submit", self.submit_label)
        )


class _AnswersForm(GovFormMixin, forms.Form):
    """One radios question and one evidence box per need."""

    choices: list = []
    question = ""
    choose_message = ""
    evidence_label = ""
    evidence_message = ""

    def __init__(self, *args, needs: list[FamilyNeed], **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = needs
        layout = []
        for need in needs:
            label = need.headline_label
            self.fields[f"answer_{need.pk}"] = gov_radios_field(
                self.question % {"need": label}, self.choices, self.choose_message % {"need": label}
            )
            self.fields[f"evidence_{need.pk}"] = gov_text_field(
                self.evidence_label % {"need": label}, self.evidence_message % {"need": label}, rows=3
            )
            layout += [Field.radios(f"answer_{need.pk}", small=True), f"evidence_{need.pk}"]
        self.helper.layout = Layout(*layout, Submit("submit", self.submit_label))

    def answers(self) -> list[Answer]:
        data = self.cleaned_data
        return [
            Answer(need_id=need.pk, value=data[f"answer_{need.pk}"], evidence=data[f"evidence_{need.pk}"])
            for need in self.needs
        ]


class OutcomesForm(_AnswersForm):
    submit_label = _("Save the outcomes")
    choices = ClosureOutcome.choices
    question = _("%(need)s: what was the outcome at closure?")
    choose_message = _("Select the outcome for “%(need)s”")
    evidence_label = _("%(need)s: the evidence")
    evidence_message = _("Enter the evidence of the outcome for “%(need)s”")

    @staticmethod
    def initial_for(needs: list[FamilyNeed]) -> dict:
        initial = {}
        for need in needs:
            if need.outcome:
                initial[f"answer_{need.pk}"] = need.outcome
                initial[f"evidence_{need.pk}"] = need.outcome_evidence
        return initial


class SustainedForm(_AnswersForm):
    submit_label = _("Save")
    choices = Sustained.choices
    question = _("%(need)s: was the outcome sustained six months after closure?")
    choose_message = _("Select whether “%(need)s” was sustained")
    evidence_label = _("%(need)s: the evidence")
    evidence_message = _("Enter the evidence of whether “%(need)s” was sustained")

    @staticmethod
    def initial_for(needs: list[FamilyNeed]) -> dict:
        initial = {}
        for need in needs:
            if need.sustained:
                initial[f"answer_{need.pk}"] = need.sustained
                initial[f"evidence_{need.pk}"] = need.sustained_evidence
        return initial
