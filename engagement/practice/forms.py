"""Forms for the practice tools. Rows (ratings, actions) grow with an "add another" button, no JS."""

import datetime as dt

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from cases.models import Case, Person, PersonKind
from engagement.selectors import people_who_can_make_attempts

from .guidance import GROW_QUESTIONS, SIGNS_OF_SAFETY_COLUMNS
from .models import ChangeStage, GrowGoal, RaterKind, SafetyMapping
from .services import MAPPING_TEXT_FIELDS, ActionData, RatingData

MAX_ROWS = 20
ADD_ROW = "add_row"


def _text(label: str, help_text: str = "", *, rows: int = 3, required: bool = False, message: str = ""):
    # The practice tools' boxes are mostly optional and short: these defaults say so once.
    return gov_text_field(label, message, help_text=help_text, required=required, rows=rows)


def _not_in_future(value: dt.date, message: str) -> dt.date:
    """`message`: what to say of this date when it is later than today."""
    if value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


def wants_another_row(data) -> bool:
    """True when the person pressed "add another" rather than saving."""
    return data is not None and ADD_ROW in data


class RowsMixin:
    """A form with a variable number of rows: `rows` travels in a hidden field and grows by one on request."""

    default_rows = 3

    def full_clean(self):
        # Adding a row is not a save: nothing is validated, so no errors greet the person.
        if self.is_bound and wants_another_row(self.data):
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def _row_count(self, data, initial_rows: int) -> int:
        try:
            count = int(data.get("rows")) if data is not None else max(initial_rows, self.default_rows)
        except (TypeError, ValueError):
            count = self.default_rows
        if wants_another_row(data):
            count += 1
        return max(1, min(count, MAX_ROWS))

    def _rows_add(self, initial_rows: int, *, row_fields, legend: str, css_class: str) -> list[Fieldset]:
        """Add the numbered rows' fields (`row_fields(i)` gives row i's, by name) and the hidden
        count, and return each row's fieldset for the layout. `legend` holds the row's %(number)s."""
        self.rows = self._row_count(self.data if self.is_bound else None, initial_rows)
        self.fields["rows"] = forms.IntegerField(widget=forms.HiddenInput, initial=self.rows, required=False)
        fieldsets = []
        for i in range(1, self.rows + 1):
            fields = row_fields(i)
            self.fields.update(fields)
            words = legend % {"number": i}
            fieldsets.append(
                Fieldset(
                    *fields,
                    legend=format_html("{}", words),
                    legend_size=Size.SMALL,
                    css_class=css_class,
                )
            )
        if self.is_bound:
            self.data = self.data.copy()
            self.data["rows"] = str(self.rows)
        return fieldsets


class StageOfChangeForm(GovFormMixin, forms.Form):
    submit_label = _("Save the stage of change")

    stage = gov_radios_field(_("Stage of change"), ChangeStage.choices, _("Select the stage of change"))
    assessed_on = gov_date_field(_("Date assessed"), name=_("date assessed"))
    evidence = _text(
        _("What shows this stage?"),
        _("Describe what the parent said or did, in their words where you can."),
        rows=5,
        required=True,
        message=_("Describe what the parent said or did that shows this stage"),
    )

    def clean_assessed_on(self):
        return _not_in_future(
            self.cleaned_data["assessed_on"], _("The date assessed must be today or in the past")
        )


class ScaleRatingForm(GovFormMixin, forms.Form):
    """A quick place on the safety scale: who rated, the number and why (not the whole map)."""

    submit_label = _("Save the rating")

    rater_name = forms.CharField(
        label=_("Who gave the rating"),
        max_length=200,
        help_text=_("Their name, for example 'Grace Walsh' or 'Sam Okafor'."),
        error_messages={"required": _("Enter the name of the person who gave the rating")},
    )
    rater_kind = gov_radios_field(
        _("Are they a family member or a professional?"),
        RaterKind.choices,
        _("Select whether they are a family member or a professional"),
    )
    rater_role = forms.CharField(
        label=_("Role or relationship to the family (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example 'mother', 'school nurse' or 'lead practitioner'."),
    )
    rating = forms.TypedChoiceField(
        label=_("Where do they place the situation on the safety scale?"),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("0 means harm will certainly happen again; 10 means safe enough to close the case."),
        error_messages={"required": _("Select the rating, from 0 to 10")},
    )
    reason = gov_text_field(
        _("Why this number?"),
        _("Enter why they gave this number"),
        help_text=_("What they said led them to it, in their words where you can."),
        rows=3,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The eleven numbers sit side by side, small, so the scale reads as a scale on a phone.
        self.helper.layout = Layout(
            "rater_name",
            Field.radios("rater_kind", small=True),
            "rater_role",
            Field.radios("rating", inline=True, small=True),
            "reason",
            Submit("submit", self.submit_label),
        )


def _rating_fields(i: int) -> dict:
    return {
        f"rating_{i}_name": forms.CharField(label=_("Name"), max_length=200, required=False),
        f"rating_{i}_kind": forms.ChoiceField(
            label=_("Who they are"), choices=[("", _("Select")), *RaterKind.choices], required=False
        ),
        f"rating_{i}_rating": forms.TypedChoiceField(
            label=_("Rating (0 to 10)"),
            choices=[("", _("Select")), *[(n, str(n)) for n in range(11)]],
            coerce=int,
            empty_value=None,
            required=False,
        ),
        f"rating_{i}_reason": _text(_("How they arrived at the number (optional)"), rows=2),
    }


def _action_fields(i: int) -> dict:
    return {
        f"action_{i}_what": _text(_("What will be done"), rows=2),
        f"action_{i}_who": forms.CharField(label=_("Who will do it"), max_length=200, required=False),
        f"action_{i}_by_when": gov_date_field(
            _("By when"), required=False, name=_("date for action %(number)s") % {"number": i}
        ),
    }


class SafetyMappingForm(RowsMixin, GovFormMixin, forms.Form):
    """One meeting's three columns, danger statements and safety goals, and everyone's rating."""

    submit_label = _("Save the mapping")
    default_rows = 2

    meeting_on = gov_date_field(_("Date of the meeting"), name=_("date of the meeting"))
    meeting_name = forms.CharField(
        label=_("What was the meeting?"),
        help_text=_("For example 'Home visit with Grace' or 'Team around the family meeting'."),
        max_length=200,
        error_messages={"required": _("Enter what the meeting was")},
    )
    attendees = _text(_("Who was there?"), rows=2)
    danger_statements = _text(
        _("Danger statements"),
        _(
            "What are we worried will happen to the children if nothing changes? Plain words the family understand."
        ),
    )
    safety_goals = _text(_("Safety goals"), _("What would safety, enough to close the case, look like?"))
    family_safety_plan = _text(
        _("Family safety plan"),
        _(
            "The everyday rules the family and their network follow to keep the children safe. "
            "A list of services is not a safety plan."
        ),
        rows=4,
    )

    def __init__(self, *args, initial_rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        for _column, parts in SIGNS_OF_SAFETY_COLUMNS:
            for name, label, prompt in parts:
                self.fields[name] = _text(label, prompt)
        ratings = self._rows_add(
            initial_rows,
            row_fields=_rating_fields,
            # Translators: the heading of one person's row in the safety scale: "Person 1".
            legend=_("Person %(number)s"),
            css_class="app-rating-row",
        )
        columns = [
            Fieldset(*[name for name, _label, _prompt in parts], legend=column, legend_size=Size.MEDIUM)
            for column, parts in SIGNS_OF_SAFETY_COLUMNS
        ]
        self.helper.layout = Layout(
            "rows",
            "meeting_on",
            "meeting_name",
            "attendees",
            *columns,
            Fieldset(
                "danger_statements",
                "safety_goals",
                legend=_("Danger statements and safety goals"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *ratings,
                legend=_("Safety scale: where each person places the situation"),
                legend_size=Size.MEDIUM,
            ),
            Button.secondary(ADD_ROW, _("Add another person")),
            "family_safety_plan",
            Submit("submit", self.submit_label),
        )

    def clean_meeting_on(self):
        return _not_in_future(
            self.cleaned_data["meeting_on"], _("The date of the meeting must be today or in the past")
        )

    def clean(self):
        data = super().clean()
        parts = [name for name in MAPPING_TEXT_FIELDS if name != "attendees"]
        if not any((data.get(name) or "").strip() for name in parts):
            self.add_error(
                "past_harm",
                _(
                    "Write at least one part of the map: what we are worried about, what is working well or what needs to happen"
                ),
            )
        self._ratings = []
        names = set()
        for i in range(1, self.rows + 1):
            name = (data.get(f"rating_{i}_name") or "").strip()
            kind = data.get(f"rating_{i}_kind") or ""
            rating = data.get(f"rating_{i}_rating")
            reason = data.get(f"rating_{i}_reason") or ""
            if not (name or kind or rating is not None or reason.strip()):
                continue
            if not name:
                self.add_error(f"rating_{i}_name", _("Enter the name of person %(number)s") % {"number": i})
            elif name.casefold() in names:
                self.add_error(
                    f"rating_{i}_name",
                    _("%(name)s is already rated: give each person one rating") % {"name": name},
                )
            names.add(name.casefold())
            if not kind:
                if name:
                    message = _("Select whether %(name)s is a family member or a professional")
                else:
                    message = _("Select whether person %(number)s is a family member or a professional")
                self.add_error(f"rating_{i}_kind", message % {"name": name, "number": i})
            if rating is None:
                # An error message that reads like SQL ("Select ... from"), not a query.
                if name:
                    message = _("Select %(name)s's rating from 0 to 10")  # nosec B608
                else:
                    # The same message for a row with no name yet: words, not a query.
                    message = _("Select person %(number)s's rating from 0 to 10")  # nosec B608
                self.add_error(f"rating_{i}_rating", message % {"name": name, "number": i})
            if name and kind and rating is not None:
                self._ratings.append(RatingData(name=name, kind=kind, rating=rating, reason=reason))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "meeting_on": data["meeting_on"],
            "meeting_name": data["meeting_name"],
            "ratings": self._ratings,
            **{name: data.get(name) or "" for name in MAPPING_TEXT_FIELDS},
        }

    @staticmethod
    def initial_from(case: Case, previous: SafetyMapping | None, lead_name: str) -> tuple[dict, int]:
        """Start from the last meeting's map and the same people, so only what has moved needs typing."""
        initial: dict = {"meeting_on": timezone.localdate()}
        if previous is not None:
            initial |= {name: getattr(previous, name) for name in MAPPING_TEXT_FIELDS}
            people = [(r.rater_name, r.rater_kind) for r in previous.ratings.all()]
        else:
            adults = Person.objects.filter(case=case, kind=PersonKind.ADULT).order_by("full_name")
            people = [(a.full_name, RaterKind.FAMILY) for a in adults] + [(lead_name, RaterKind.PROFESSIONAL)]
        for i, (name, kind) in enumerate(people, start=1):
            initial[f"rating_{i}_name"] = name
            initial[f"rating_{i}_kind"] = kind
        return initial, len(people) + 1


def _grow_help(key: str) -> tuple[str, str]:
    label, questions = GROW_QUESTIONS[key]
    # Joined lazily: the questions are put into words when the page is shown, not at import.
    return label, format_lazy(" ".join("{}" for _question in questions), *questions)


class GrowGoalForm(GovFormMixin, forms.Form):
    submit_label = _("Save the goal")

    person = forms.ModelChoiceField(
        label=_("Whose goal is it?"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("The whole family"),
        error_messages={"invalid_choice": _("Select someone in this family")},
    )
    agreed_on = gov_date_field(_("Date agreed"), name=_("date the goal was agreed"))
    goal = _text(
        *_grow_help("goal"), required=True, message=_("Enter the goal, in the family's words if you can")
    )
    reality = _text(*_grow_help("reality"))
    options = _text(*_grow_help("options"))
    will = _text(*_grow_help("will"))
    agreement_reference = forms.CharField(
        label=_("Working together agreement (optional)"),
        help_text=_("Which agreement this goal belongs to, for example 'Agreement signed 12 November 2026'."),
        max_length=200,
        required=False,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(case=case).order_by("kind", "full_name")

    def clean_agreed_on(self):
        return _not_in_future(
            self.cleaned_data["agreed_on"], _("The date the goal was agreed must be today or in the past")
        )

    @staticmethod
    def initial_for(goal: GrowGoal) -> dict:
        return {
            "person": goal.person_id,
            "agreed_on": goal.agreed_on,
            "goal": goal.goal,
            "reality": goal.reality,
            "options": goal.options,
            "will": goal.will,
            "agreement_reference": goal.agreement_reference,
        }


class SupervisionForm(RowsMixin, GovFormMixin, forms.Form):
    submit_label = _("Save the supervision record")

    supervised_on = gov_date_field(_("Date of supervision"), name=_("date of supervision"))
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=None,
        error_messages={
            "required": _("Select the supervisor"),
            "invalid_choice": _("Select someone who works on this case"),
        },
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner supervised"),
        queryset=None,
        error_messages={
            "required": _("Select the practitioner"),
            "invalid_choice": _("Select someone who works on this case"),
        },
    )
    concerns = _text(
        _("Engagement concerns discussed"),
        _(
            "Is the family's engagement stopping the work? What is the risk to the child? Why might engagement "
            "have changed, and what could help?"
        ),
        rows=6,
        required=True,
        message=_("Describe the engagement concerns discussed in supervision"),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_who_can_make_attempts(case)
        self.fields["supervisor"].queryset = people
        self.fields["practitioner"].queryset = people
        actions = self._rows_add(
            0,
            row_fields=_action_fields,
            # Translators: the heading of one row of the action plan: "Action 1".
            legend=_("Action %(number)s"),
            css_class="app-action-row",
        )
        self.helper.layout = Layout(
            "rows",
            "supervised_on",
            "supervisor",
            "practitioner",
            "concerns",
            Fieldset(*actions, legend=_("Agreed action plan"), legend_size=Size.MEDIUM),
            Button.secondary(ADD_ROW, _("Add another action")),
            Submit("submit", self.submit_label),
        )

    def clean_supervised_on(self):
        return _not_in_future(
            self.cleaned_data["supervised_on"], _("The date of supervision must be today or in the past")
        )

    def clean(self):
        data = super().clean()
        self._actions = []
        for i in range(1, self.rows + 1):
            what = (data.get(f"action_{i}_what") or "").strip()
            who = (data.get(f"action_{i}_who") or "").strip()
            by_when = data.get(f"action_{i}_by_when")
            if f"action_{i}_by_when" in self.errors:
                continue
            if not (what or who or by_when):
                continue
            number = {"number": i}
            if not what:
                self.add_error(
                    f"action_{i}_what", _("Enter what will be done for action %(number)s") % number
                )
            if not who:
                self.add_error(f"action_{i}_who", _("Enter who will do action %(number)s") % number)
            if by_when is None:
                self.add_error(f"action_{i}_by_when", _("Enter the date for action %(number)s") % number)
            elif data.get("supervised_on") and by_when < data["supervised_on"]:
                self.add_error(
                    f"action_{i}_by_when",
                    _("The date for action %(number)s must be on or after the supervision") % number,
                )
            if what and who and by_when:
                self._actions.append(ActionData(what=what, who=who, by_when=by_when))
        if not self._actions and not any(k.startswith("action_") for k in self.errors):
            self.add_error("action_1_what", _("Add at least one action to the plan: what, who and by when"))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "supervised_on": data["supervised_on"],
            "supervisor": data["supervisor"],
            "practitioner": data["practitioner"],
            "concerns": data["concerns"],
            "actions": self._actions,
        }


class FamilyDiscussionForm(GovFormMixin, forms.Form):
    submit_label = _("Save")

    discussed_on = gov_date_field(
        _("Date discussed with the family"), name=_("date it was discussed with the family")
    )
    notes = _text(_("How the family responded (optional)"), rows=4)

    def clean_discussed_on(self):
        return _not_in_future(
            self.cleaned_data["discussed_on"],
            _("The date it was discussed with the family must be today or in the past"),
        )
