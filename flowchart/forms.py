"""Forms for the flow chart. Each declares its fields and messages; GovFormMixin lays it out."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.fields import BoundedTextMixin
from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from engagement.models import AttemptKind, AttemptOutcome

from .choices import StepRequirement, StepTiming
from .models import Answer, DecisionOutcome, Pathway, Responsible, RiskChange, Step
from .services import Considered


class EpisodeStartForm(GovFormMixin, forms.Form):
    submit_label = _("Start the flow chart")

    pathway = forms.ModelChoiceField(
        label=_("Which pathway does this family follow?"),
        queryset=Pathway.objects.filter(versions__published_at__isnull=False).distinct(),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select the pathway the family follows")},
    )

    day1 = gov_date_field(
        _("Day 1"),
        name=_("date of Day 1"),
        help_text=_(
            "The day you received the referral or identified that the family needs support. "
            "Attempts before it count for any earlier run of the flow chart only. For example, 27 3 2026"
        ),
    )

    def __init__(self, *args, day1: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        default = Pathway.objects.filter(is_default=True).first()
        if default:
            self.fields["pathway"].initial = default.code
        self.fields["day1"].initial = day1


class StepNotPossibleForm(GovFormMixin, forms.Form):
    submit_label = _("Record that it was not possible")

    reason = gov_text_field(
        _("Why was it not possible?"),
        _("Enter why the step was not possible"),
        help_text=_("For example: the referrer has left and nobody else has contact with the family."),
    )


class ManagerInformForm(GovFormMixin, forms.Form):
    submit_label = _("Record that your manager is informed")

    strategies_tried = gov_text_field(
        _("What strategies have you tried to engage the family?"),
        _("Enter the strategies you have tried"),
        help_text=_("For example: calls at different times, visits, letters, working with the school."),
    )
    fera_outcome = gov_text_field(
        _("What is the outcome of the Family Engagement Risk Assessment?"),
        _("Enter the outcome of the Family Engagement Risk Assessment"),
    )
    risk_increased = gov_radios_field(
        _("Does the non-engagement increase the risk to the children?"),
        RiskChange.choices,
        _("Select whether the non-engagement increases the risk"),
    )


class SafeguardingEscalationForm(GovFormMixin, forms.Form):
    submit_label = _("Record the escalation to the MASH")

    concern = gov_text_field(
        _("What is the immediate safeguarding concern?"),
        _("Describe the immediate safeguarding concern"),
    )
    mash_contact = gov_text_field(
        _("How and when did you tell the MASH, and who did you speak to?"),
        _("Say how and when you told the MASH, and who you spoke to"),
        rows=3,
    )
    mash_reference = forms.CharField(label=_("MASH reference (if given)"), max_length=100, required=False)


class OversightForm(GovFormMixin, forms.Form):
    submit_label = _("Record management oversight")

    discussion = gov_text_field(
        _("What did you discuss with the lead practitioner?"),
        _("Enter what you discussed"),
        rows=6,
    )
    risk_raised = gov_radios_field(
        _("Does the non-engagement raise the risk to the children?"),
        RiskChange.choices,
        _("Select whether the non-engagement raises the risk"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields.pop()  # the submit button goes after the actions


class OversightActionForm(BoundedTextMixin, forms.Form):
    what = forms.CharField(label=_("What action"), max_length=1000, required=False)
    who = forms.CharField(label=_("Who will do it"), max_length=200, required=False)
    by_when = gov_date_field(_("By when"), required=False, name=_("date the action is due"))
    review_on = gov_date_field(_("Review date"), required=False, name=_("review date"))

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
                ("what", _("Enter what the action is")),
                ("who", _("Enter who will do it")),
                ("by_when", _("Enter the date the action is due")),
                ("review_on", _("Enter the review date")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            if data.get("by_when") and data.get("review_on") and data["review_on"] < data["by_when"]:
                self.add_error(
                    "review_on", _("The review date must be on or after the date the action is due")
                )
        return data


class BaseActionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("what") for f in self.forms):
            raise forms.ValidationError(
                _("Enter at least one action: what, who, by when and the review date")
            )


OversightActionFormSet = forms.formset_factory(
    OversightActionForm, formset=BaseActionFormSet, extra=3, max_num=10, validate_max=True
)


class CheckAnswersMixin:
    """The answers of a valid form as GOV.UK "Check your answers" rows: (key, value, anchor, name).

    `answer_keys`: a short key for each field shown, in order; a field left out of the form, or
    not used by the answers given (`answer_applies`), is not shown.
    """

    answer_keys: dict[str, str] = {}

    def answer_applies(self, name: str) -> bool:
        return True

    def answer_rows(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for name, key in self.answer_keys.items():
            if name not in self.fields or not self.answer_applies(name):
                continue
            field, value = self.fields[name], self.cleaned_data.get(name)
            if isinstance(value, dt.date):
                shown = f"{value:%-d %B %Y}"
            elif getattr(field, "choices", None) and value not in (None, ""):
                shown = str(dict(field.choices).get(value, value))
            else:
                shown = str(value or "").strip() or gettext("None")
            if isinstance(field.widget, forms.RadioSelect):
                anchor = f"id_{name}_1"
            elif isinstance(field.widget, forms.MultiWidget):
                anchor = f"id_{name}_0"
            else:
                anchor = f"id_{name}"
            rows.append((key, shown, anchor, name))
        return rows


# The three "options to consider" of Appendix 4, each with what to do when it is not answered.
_CONSIDERED = (
    ("considered_mash_referral", _("Select whether you considered a referral back to the MASH")),
    ("considered_multi_agency_meeting", _("Select whether you considered a multi-agency meeting")),
    ("considered_level_two", _("Select whether you considered level 2 services")),
)

_CONSIDERED_KEYS = {
    "considered_mash_referral": _("Referral back to the MASH considered"),
    "considered_multi_agency_meeting": _("Multi-agency meeting considered"),
    "considered_level_two": _("Could level 2 services meet the family's needs?"),
    "social_worker_consulted": _("Social worker consulted (step-down case)"),
    "options_notes": _("Anything else considered"),
}


class DecisionForm(CheckAnswersMixin, GovFormMixin, forms.Form):
    """The decision on next steps: only the outcomes the episode's pathway offers."""

    submit_label = _("Continue")
    answer_keys = {
        "outcome": _("Decision"),
        "review_on": _("Review date"),
        "social_worker_meeting_on": _("Multi-agency meeting date"),
        "reasons": _("Reasons"),
        **_CONSIDERED_KEYS,
    }

    outcome = gov_radios_field(
        _("What are the next steps?"), DecisionOutcome.choices, _("Select the decision")
    )
    outcome.error_messages["invalid_choice"] = _("Select one of the decisions shown")
    review_on = gov_date_field(
        _("Review date"),
        required=False,
        help_text=_("Needed if the engagement process continues. For example, 27 3 2027"),
        name=_("review date"),
    )
    social_worker_meeting_on = gov_date_field(
        _("Date of the multi-agency meeting the social worker is invited to"),
        required=False,
        help_text=_("Needed if you invite the social worker. For example, 27 3 2027"),
        name=_("date of the multi-agency meeting"),
    )
    reasons = gov_text_field(_("Why?"), _("Enter the reasons for the decision"), rows=5)
    considered_mash_referral = gov_radios_field(
        _("Did you consider referring back to the MASH?"),
        Answer.choices,
        _("Select whether you considered a referral back to the MASH"),
        help_text=_(
            "If non-engagement would raise the risk to level 4 with immediate safeguarding concerns."
        ),
    )
    considered_multi_agency_meeting = gov_radios_field(
        _("Did you consider calling a multi-agency meeting?"),
        Answer.choices,
        _("Select whether you considered a multi-agency meeting"),
        help_text=_("Inviting a representative from level 3 or level 4."),
    )
    considered_level_two = gov_radios_field(
        _("Could level 2 services meet the family's needs?"),
        Answer.choices,
        _("Select whether you considered level 2 services"),
    )
    social_worker_consulted = gov_radios_field(
        _("Was the social worker consulted?"),
        Answer.choices,
        _("Select whether the social worker was consulted: this is a step-down case"),
        required=False,
    )
    options_notes = gov_text_field(_("Anything else you considered"), "", required=False, rows=3)

    def __init__(self, *args, case, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if "outcome" in self.fields and outcomes is not None:
            labels = dict(DecisionOutcome.choices)
            self.fields["outcome"].choices = [(o, labels[o]) for o in outcomes]
            for name, outcome in (
                ("review_on", DecisionOutcome.CONTINUE),
                ("social_worker_meeting_on", DecisionOutcome.INVITE_SOCIAL_WORKER),
            ):
                if outcome not in outcomes:
                    self._drop(name)
        if case.is_step_down:
            self.fields["social_worker_consulted"].required = True
            # The GOV.UK template pack prints hints unescaped: escape the social worker's name here.
            if case.social_worker_name:
                self.fields["social_worker_consulted"].help_text = format_html(
                    gettext("This is a step-down case. Social worker: {name}."), name=case.social_worker_name
                )
            else:
                self.fields["social_worker_consulted"].help_text = gettext(
                    "This is a step-down case. Social worker: not recorded."
                )
        else:
            self._drop("social_worker_consulted")

    def _drop(self, name: str) -> None:
        del self.fields[name]
        self.helper.layout.fields.remove(name)

    def answer_applies(self, name: str) -> bool:
        outcome = self.cleaned_data.get("outcome")
        if name == "review_on":
            return outcome == DecisionOutcome.CONTINUE
        if name == "social_worker_meeting_on":
            return outcome == DecisionOutcome.INVITE_SOCIAL_WORKER
        return True

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        outcome = data.get("outcome")
        if outcome == DecisionOutcome.CONTINUE:
            review_on = data.get("review_on")
            if review_on is None and "review_on" not in self.errors:
                self.add_error("review_on", _("Enter the review date: continuing needs one"))
            elif review_on is not None and review_on <= today:
                self.add_error("review_on", _("The review date must be in the future"))
        if outcome == DecisionOutcome.INVITE_SOCIAL_WORKER:
            meeting_on = data.get("social_worker_meeting_on")
            if meeting_on is None and "social_worker_meeting_on" not in self.errors:
                self.add_error(
                    "social_worker_meeting_on",
                    _("Enter the date of the multi-agency meeting the social worker is invited to"),
                )
            elif meeting_on is not None and meeting_on < today:
                self.add_error(
                    "social_worker_meeting_on",
                    _("The date of the multi-agency meeting must be today or in the future"),
                )
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["considered"] = Considered(
            mash_referral=data.pop("considered_mash_referral", ""),
            multi_agency_meeting=data.pop("considered_multi_agency_meeting", ""),
            level_two=data.pop("considered_level_two", ""),
        )
        data.setdefault("social_worker_consulted", "")
        if data.get("outcome") != DecisionOutcome.CONTINUE:
            data["review_on"] = None
        if data.get("outcome") != DecisionOutcome.INVITE_SOCIAL_WORKER:
            data["social_worker_meeting_on"] = None
        return data


AGREE_CHOICES = [("yes", _("Yes, close the case")), ("no", _("No, the case stays open"))]


class ClosureDecisionForm(DecisionForm):
    """The line manager closes the case, at any time: answering a request, or of their own accord.

    With a request, "No" keeps the case open and needs only the reasons; "Yes" closes it and needs
    the three options to consider, as any decision does.
    """

    answer_keys = {"agree": _("Close the case?"), "reasons": _("Reasons"), **_CONSIDERED_KEYS}

    agree = gov_radios_field(
        _("Do you agree to close this case?"), AGREE_CHOICES, _("Select whether you agree to close the case")
    )

    def __init__(self, *args, case, request=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        for name in ("outcome", "review_on", "social_worker_meeting_on"):
            self._drop(name)
        self.closure_request = request
        self.fields["reasons"].label = _("Why?")
        self.fields["reasons"].help_text = (
            _("The lead practitioner who asked is told your answer and these reasons.")
            if request
            else _("The lead practitioner is told this.")
        )
        # The question goes first; it is asked only when answering a request.
        self.fields = {"agree": self.fields.pop("agree"), **self.fields}
        self.helper.layout.fields.remove("agree")
        if request is None:
            del self.fields["agree"]
        else:
            self.helper.layout.fields.insert(0, "agree")
            for name, _message in self._closing_questions():
                self.fields[name].required = False

    @property
    def agrees(self) -> bool:
        return self.closure_request is None or self.cleaned_data.get("agree") == "yes"

    def answer_applies(self, name: str) -> bool:
        return self.agrees or name in ("agree", "reasons")

    def _closing_questions(self):
        """The questions answered only when closing: the options to consider, and for a step-down
        case whether the social worker was consulted."""
        questions = list(_CONSIDERED)
        if "social_worker_consulted" in self.fields:
            questions.append(
                (
                    "social_worker_consulted",
                    _("Select whether the social worker was consulted: this is a step-down case"),
                )
            )
        return questions

    def clean(self):
        data = forms.Form.clean(self)
        if self.closure_request is not None and data.get("agree") == "yes":
            for name, message in self._closing_questions():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class ClosureRequestForm(GovFormMixin, forms.Form):
    submit_label = _("Ask your manager to close this case")

    reason = gov_text_field(
        _("Why should the case close?"),
        _("Enter why you are asking for the case to be closed"),
        help_text=_(
            "Say what was tried and what has changed. Your line manager is told at once and "
            "decides; you are told their answer."
        ),
        rows=5,
    )


class DecisionShareForm(GovFormMixin, forms.Form):
    submit_label = _("Tell the multi-agency meeting")

    next_steps = gov_text_field(
        _("What happens next"),
        _("Enter what happens next"),
        help_text=_(
            "Members see the decision, its date and this. They do not see the reasons or the "
            "options the manager considered."
        ),
        rows=4,
    )


# The guidance has the next steps decided by day 15 on every pathway: no step may come later.
PATHWAY_LAST_DAY = 15


class StepRulesMixin:
    """What makes a step sound, whether the admin changes it on the step's own page or in the
    admin's version inline: one set of rules and words for both."""

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < 1:
            raise forms.ValidationError(_("Enter a day number of 1 or more: Day 1 is the referral date"))
        if day > PATHWAY_LAST_DAY:
            raise forms.ValidationError(
                _(
                    "Enter a day number from 1 to %(last)s: the pathway ends on day %(last)s, when the next "
                    "steps are decided"
                )
                % {"last": PATHWAY_LAST_DAY}
            )
        return day

    def clean_attempt_count(self):
        count = self.cleaned_data["attempt_count"]
        if count < 1:
            raise forms.ValidationError(_("Enter how many attempts are needed: 1 or more"))
        return count

    def clean(self):
        data = super().clean()
        if data.get("requirement") == StepRequirement.ATTEMPTS and not data.get("attempt_kinds"):
            self.add_error(
                "attempt_kinds", _("Select at least one kind of attempt for a step done by attempts")
            )
        if data.get("timing") == StepTiming.BEFORE and data.get("day") == 1:
            self.add_error(
                "day", _("A step before day 1 would come before the referral: enter day 2 or later")
            )
        return data


class StepChangeForm(StepRulesMixin, GovFormMixin, forms.Form):
    """One step of a pathway's draft, on its own page (an admin's form: no case content)."""

    submit_label = _("Save as draft")

    day = forms.IntegerField(
        label=_("Day number"),
        help_text=_("Day 1 is the referral date; the pathway ends on day 15."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "required": _("Enter the day number of the step, for example 5"),
            "invalid": _("Enter the day number as a whole number, for example 5"),
        },
    )
    timing = gov_radios_field(_("When the step is due"), StepTiming.choices, _("Select when the step is due"))
    title = forms.CharField(
        label=_("What the step is"),
        max_length=300,
        error_messages={"required": _("Enter what the step is, for example 'Telephone the family'")},
    )
    requirement = gov_radios_field(_("Done when"), StepRequirement.choices, _("Select when the step is done"))
    attempt_kinds = forms.MultipleChoiceField(
        label=_("Kinds of attempt that count"),
        choices=AttemptKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only for steps done by contact attempts. Select all that apply."),
    )
    attempt_count = forms.IntegerField(
        label=_("Minimum number of attempts"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "required": _("Enter how many attempts are needed, for example 1"),
            "invalid": _("Enter how many attempts are needed as a whole number, for example 1"),
        },
    )
    attempt_outcomes = forms.MultipleChoiceField(
        label=_("Outcomes that count"),
        choices=AttemptOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unselected to count any outcome."),
    )
    responsible = gov_radios_field(_("Who does it"), Responsible.choices, _("Select who does the step"))
    if_possible = forms.BooleanField(
        label=_("Can be recorded as not possible"),
        required=False,
        help_text=_(
            "For steps the guidance qualifies with 'if possible': the practitioner can record that "
            "it was not possible, with the reason, and it does not go overdue."
        ),
    )
    guidance = gov_text_field(_("Guidance for the practitioner"), required=False, rows=3)

    @classmethod
    def initial_for(cls, step: Step) -> dict:
        return {name: getattr(step, name) for name in cls.base_fields}


class PublishForm(GovFormMixin, forms.Form):
    """Nothing to fill in: the button publishes the draft the admin has just previewed."""

    submit_label = _("Publish")
