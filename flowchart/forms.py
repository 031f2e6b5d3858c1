"""Forms for the flow chart. Each declares its fields and messages; GovFormMixin lays it out."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from cases.forms import GovFormMixin, gov_date_field

from .models import Answer, DecisionOutcome, Pathway, RiskChange


def _text(label: str, message: str, *, help_text: str = "", required: bool = True, rows: int = 4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
    )


def _radios(label: str, choices, message: str, *, required: bool = True, help_text: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


class EpisodeStartForm(GovFormMixin, forms.Form):
    submit_label = "Start the flow chart"

    pathway = forms.ModelChoiceField(
        label="Which pathway does this family follow?",
        queryset=Pathway.objects.filter(versions__published_at__isnull=False).distinct(),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the pathway the family follows"},
    )

    day1 = gov_date_field(
        "Day 1",
        name="date of Day 1",
        help_text="The day you received the referral or identified that the family needs support. "
        "Attempts before it count for any earlier run of the flow chart only. For example, 27 3 2026",
    )

    def __init__(self, *args, day1: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        default = Pathway.objects.filter(is_default=True).first()
        if default:
            self.fields["pathway"].initial = default.code
        self.fields["day1"].initial = day1


class StepNotPossibleForm(GovFormMixin, forms.Form):
    submit_label = "Record that it was not possible"

    reason = _text(
        "Why was it not possible?",
        "Enter why the step was not possible",
        help_text="For example: the referrer has left and nobody else has contact with the family.",
    )


class ManagerInformForm(GovFormMixin, forms.Form):
    submit_label = "Record that your manager is informed"

    strategies_tried = _text(
        "What strategies have you tried to engage the family?",
        "Enter the strategies you have tried",
        help_text="For example: calls at different times, visits, letters, working with the school.",
    )
    fera_outcome = _text(
        "What is the outcome of the Family Engagement Risk Assessment?",
        "Enter the outcome of the Family Engagement Risk Assessment",
    )
    risk_increased = _radios(
        "Does the non-engagement increase the risk to the children?",
        RiskChange.choices,
        "Select whether the non-engagement increases the risk",
    )


class SafeguardingEscalationForm(GovFormMixin, forms.Form):
    submit_label = "Record the escalation to the MASH"

    concern = _text(
        "What is the immediate safeguarding concern?",
        "Describe the immediate safeguarding concern",
    )
    mash_contact = _text(
        "How and when did you tell the MASH, and who did you speak to?",
        "Say how and when you told the MASH, and who you spoke to",
        rows=3,
    )
    mash_reference = forms.CharField(label="MASH reference (if given)", max_length=100, required=False)


class OversightForm(GovFormMixin, forms.Form):
    submit_label = "Record management oversight"

    discussion = _text(
        "What did you discuss with the lead practitioner?",
        "Enter what you discussed",
        rows=6,
    )
    risk_raised = _radios(
        "Does the non-engagement raise the risk to the children?",
        RiskChange.choices,
        "Select whether the non-engagement raises the risk",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields.pop()  # the submit button goes after the actions


class OversightActionForm(forms.Form):
    what = forms.CharField(label="What action", max_length=1000, required=False)
    who = forms.CharField(label="Who will do it", max_length=200, required=False)
    by_when = gov_date_field("By when", required=False, name="date the action is due")
    review_on = gov_date_field("Review date", required=False, name="review date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        filled = [data.get(k) for k in ("what", "who", "by_when", "review_on")]
        if any(filled):
            for name, message in (
                ("what", "Enter what the action is"),
                ("who", "Enter who will do it"),
                ("by_when", "Enter the date the action is due"),
                ("review_on", "Enter the review date"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            if data.get("by_when") and data.get("review_on") and data["review_on"] < data["by_when"]:
                self.add_error("review_on", "The review date must be on or after the date the action is due")
        return data


class BaseActionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("what") for f in self.forms):
            raise forms.ValidationError("Enter at least one action: what, who, by when and the review date")


OversightActionFormSet = forms.formset_factory(
    OversightActionForm, formset=BaseActionFormSet, extra=3, max_num=10, validate_max=True
)


class DecisionForm(GovFormMixin, forms.Form):
    submit_label = "Record the decision"

    outcome = _radios("What are the next steps?", DecisionOutcome.choices, "Select the decision")
    review_on = gov_date_field(
        "Review date",
        required=False,
        help_text="Needed if the engagement process continues. For example, 27 3 2027",
        name="review date",
    )
    reasons = _text("Why?", "Enter the reasons for the decision", rows=5)
    considered_mash_referral = _radios(
        "Did you consider referring back to the MASH?",
        Answer.choices,
        "Select whether you considered a referral back to the MASH",
        help_text="If non-engagement would raise the risk to level 4 with immediate safeguarding concerns.",
    )
    considered_multi_agency_meeting = _radios(
        "Did you consider calling a multi-agency meeting?",
        Answer.choices,
        "Select whether you considered a multi-agency meeting",
        help_text="Inviting a representative from level 3 or level 4.",
    )
    considered_level_two = _radios(
        "Could level 2 services meet the family's needs?",
        Answer.choices,
        "Select whether you considered level 2 services",
    )
    social_worker_consulted = _radios(
        "Was the social worker consulted?",
        Answer.choices,
        "Select whether the social worker was consulted: this is a step-down case",
        required=False,
    )
    options_notes = _text("Anything else you considered", "", required=False, rows=3)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case.is_step_down:
            self.fields["social_worker_consulted"].required = True
            # The GOV.UK template pack prints hints unescaped: escape the social worker's name here.
            self.fields["social_worker_consulted"].help_text = format_html(
                "This is a step-down case. Social worker: {}.", case.social_worker_name or "not recorded"
            )
        else:
            del self.fields["social_worker_consulted"]
            self.helper.layout.fields.remove("social_worker_consulted")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DecisionOutcome.CONTINUE:
            review_on = data.get("review_on")
            if review_on is None and "review_on" not in self.errors:
                self.add_error("review_on", "Enter the review date: continuing needs one")
            elif review_on is not None and review_on <= timezone.localdate():
                self.add_error("review_on", "The review date must be in the future")
        return data
