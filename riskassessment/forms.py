"""Forms for the assessment: the draft's section pages, one factor or action a page, and the
manager's oversight rows.

On the oversight page, without JavaScript, "Add another" posts the page back with one more empty
row and everything typed kept; nothing is saved until "Save".
"""

import contextlib

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.fields import BoundedTextMixin, GovDateField
from cases.forms import GovFormMixin, gov_radios_field, gov_text_field
from cases.models import Person, PersonKind

from . import services
from .models import ActionKind, Basis, FactorCategory, FactorSide, Timeframe
from .selectors import ACTION_TABLES, catalogue_choices

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
EMPTY_ROWS = {"oversight": 2}


def gov_date_field(label: str, *, required: bool = True, name: str = _("date")) -> GovDateField:
    """A GOV.UK date input for a date in the plan. `name` is what the date is, as it reads after
    "the" ("review date"), marked for translation as the label is."""
    field = GovDateField(label=label, required=required, help_text=_("For example, 27 3 2027"), name=name)
    # Made when a form class is defined, so lazily: the words are looked up when shown.
    # Translators: {name} is what the date is, for example "review date".
    field.error_messages.update(
        {
            "required": format_lazy(_("Enter the {name}"), name=name),
            "incomplete": format_lazy(_("Enter the {name} as a day, month and year"), name=name),
            "invalid": format_lazy(_("Enter the {name} as a real date, for example 27 3 2027"), name=name),
        }
    )
    return field


def _row_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _as_yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class RowFormSet(forms.BaseFormSet):
    """Rows of a table: empty rows are ignored, and a ticked "Remove" drops the row."""

    remove_label = _("Remove this row")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label
            # Only saved rows need removing: an empty new row is ignored anyway.
            if index is not None and index < self.initial_form_count():
                form.helper.layout.append(Field.checkbox("DELETE", small=True))

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            # Untouched empty rows clean to {}; saved rows stay even when unchanged.
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class FactorForm(BoundedTextMixin, forms.Form):
    timeframe = gov_radios_field(
        _("Historical or current"), Timeframe.choices, _("Select whether the factor is historical or current")
    )
    basis = gov_radios_field(
        _("Evidenced or a grey area"),
        Basis.choices,
        _("Select whether the factor is evidenced or a grey area"),
    )
    category = forms.ChoiceField(label=_("Example factor it matches (optional)"), required=False)
    description = gov_text_field(_("Factor"), _("Describe the factor"), rows=2)
    evidence = gov_text_field(
        _("Evidence"),
        help_text=_("What you know and how. For a grey area, what the hunch rests on."),
        required=False,
        rows=3,
    )

    def __init__(self, *args, side, categories, category_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.side = side
        self.categories = categories
        self.fields["category"].choices = category_choices

    def clean_category(self):
        value = self.cleaned_data.get("category")
        if not value:
            return None
        category = self.categories.get(int(value))
        if category is None or category.side != self.side:
            raise forms.ValidationError(_("Select an example factor from the list, or None"))
        return category

    @staticmethod
    def initial_for(factor) -> dict:
        return {
            "timeframe": factor.timeframe,
            "basis": factor.basis,
            "category": str(factor.category_id) if factor.category_id else "",
            "description": factor.description,
            "evidence": factor.evidence,
        }


class ActionForm(BoundedTextMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    what = gov_text_field(_("What action"), _("Enter what needs to happen"), rows=2)
    who = forms.CharField(
        label=_("Who will do it"), max_length=200, error_messages={"required": _("Enter who will do it")}
    )
    by_when = gov_date_field(_("By when"), name=_("date it must be done by"))
    # Appendix 2's fourth column: every row has one, and the sweep reminds on it.
    review_on = gov_date_field(_("Review date"), name=_("review date"))

    def __init__(self, *args, show_errors=True, table, number=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The messages name the row, as its heading does ("Action 2"), so the summary says which.
        self.row = table.row(number)
        # Translators: %(row)s is the row as its heading names it, for example "action 2".
        name = gettext("review date for %(row)s") % {"row": self.row}
        self.fields["review_on"].error_messages.update(
            gov_date_field(_("Review date"), name=name).error_messages
        )
        self.helper = _row_helper("id", "what", "who", "by_when", "review_on")
        self.helper.form_show_errors = show_errors

    def clean(self):
        data = super().clean()
        by_when, review_on = data.get("by_when"), data.get("review_on")
        if by_when and review_on and review_on < by_when:
            self.add_error(
                "review_on",
                # Translators: %(row)s is the row as its heading names it, for example "action 2".
                _("The review date for %(row)s must be on or after the date it must be done by")
                % {"row": self.row},
            )
        return data

    @staticmethod
    def initial_for(action) -> dict:
        return {
            "id": action.pk,
            "what": action.what,
            "who": action.who,
            "by_when": action.by_when,
            "review_on": action.review_on,
        }


class ActionFormSet(RowFormSet):
    remove_label = _("Remove this action")

    def get_form_kwargs(self, index):
        # The row's number as its heading shows it; none for the template of an empty row.
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "number": index + 1} if index is not None else kwargs


ActionRows = forms.formset_factory(ActionForm, formset=ActionFormSet, extra=0, can_delete=True)


def _with_one_more_row(data, prefix: str):
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    return data


def _to_factor(row: dict, side: str) -> services.FactorData:
    return services.FactorData(
        id=row.get("id"),
        side=side,
        timeframe=row["timeframe"],
        basis=row["basis"],
        category=row.get("category"),
        description=row["description"].strip(),
        evidence=(row.get("evidence") or "").strip(),
    )


def _to_action(row: dict) -> services.ActionData:
    return services.ActionData(
        id=row.get("id"),
        what=row["what"].strip(),
        who=row["who"].strip(),
        by_when=row["by_when"],
        review_on=row.get("review_on"),
    )


def _rows_initial(rows, to_initial, empty: int) -> list[dict]:
    return [to_initial(row) for row in rows] + [{} for _ in range(empty)]


def _action_rows(data, *, view, kind: str, show_errors: bool) -> ActionFormSet:
    """The rows of one action table, named and prefixed as the table is everywhere else."""
    table = ACTION_TABLES[kind]
    return ActionRows(
        data,
        prefix=table.prefix,
        initial=_rows_initial(view.actions[kind], ActionForm.initial_for, 0),
        form_kwargs={"show_errors": show_errors, "table": table},
    )


class OversightForm:
    """The manager's management oversight actions."""

    def __init__(self, *, view, data=None):
        self.adding = data.get("add") if data is not None else None
        show_errors = self.adding is None
        if self.adding == "oversight":
            data = _with_one_more_row(data, "oversight")
        self.actions = _action_rows(data, view=view, kind=ActionKind.OVERSIGHT, show_errors=show_errors)
        if data is None:
            # Empty rows to fill in only when nothing is recorded yet: once the manager has recorded
            # oversight here or on the flow chart, the page shows it and offers "Add an action".
            self.actions.extra = 0 if view.has_oversight else EMPTY_ROWS["oversight"]
        self.show_errors = show_errors

    def is_valid(self) -> bool:
        return self.adding is None and self.actions.is_valid()

    def error_forms(self) -> list:
        return list(self.actions.forms)

    @property
    def has_errors(self) -> bool:
        return self.show_errors and any(form.errors for form in self.error_forms())

    def rows(self) -> list[services.ActionData]:
        return [_to_action(row) for row in self.actions.rows()]


class SignOversightForm(ActionForm):
    """The oversight action the sign page asks for in place when none is recorded for the version:
    one row of the management oversight table, saved before the manager signs."""

    prefix = "oversight"
    button = "record_oversight"

    def __init__(self, *args, **kwargs):
        table = ACTION_TABLES[ActionKind.OVERSIGHT]
        super().__init__(*args, table=table, show_errors=True, **kwargs)
        del self.fields["id"]
        _numbered(self, self.row[:1].upper() + self.row[1:])
        self.helper = _row_helper("what", "who", "by_when", "review_on")
        self.helper.layout.append(Submit(self.button, _("Save the oversight action")))

    def rows(self, saved) -> list[services.ActionData]:
        """The assessment's own oversight actions as they are (`saved`), then this one: the
        service keeps the table as given, so nothing saved meanwhile is lost."""
        return [_to_action(ActionForm.initial_for(action)) for action in saved] + [
            _to_action({**self.cleaned_data, "id": None})
        ]


class SignForm(GovFormMixin, forms.Form):
    submit_label = _("Sign the assessment")

    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        help_text=_("Typing your name is your signature: it locks the assessment and shares it."),
        max_length=200,
        error_messages={"required": _("Type your full name to sign the assessment")},
    )


class ReturnForm(GovFormMixin, forms.Form):
    submit_label = _("Return it as a draft")

    reason = gov_text_field(
        _("What needs to change"), _("Say what needs to change before returning the assessment")
    )


class CommentForm(GovFormMixin, forms.Form):
    submit_label = _("Add your comment")

    body = gov_text_field(
        _("Your comment"),
        _("Enter your comment"),
        help_text=_("The lead practitioner and their manager will see it."),
        rows=5,
    )


# The task list: each section of the draft on its own page, one factor or action a page.

FACTOR_ROW_NAMES = {FactorSide.RISK: _("Risk factor"), FactorSide.PROTECTIVE: _("Protective factor")}
# One factor as its heading names it.
FACTOR_ROWS = {
    FactorSide.RISK: _("Risk factor %(number)s"),
    FactorSide.PROTECTIVE: _("Protective factor %(number)s"),
}


def factor_row(side: str, number: int) -> str:
    """One factor as its heading and messages name it: "Risk factor 2"."""
    return FACTOR_ROWS[side] % {"number": number}


def _numbered(form, row: str) -> None:
    """Start every field's messages with the row's name ("Risk factor 2: ..."), so the error
    summary says which factor or action a message is about."""
    for field in form.fields.values():
        field.error_messages = {
            # Translators: a row's name, then one of its messages starting in lower case, as in
            # "Risk factor 2: describe the factor".
            key: gettext("%(row)s: %(message)s") % {"row": row, "message": _lowered(str(message))}
            for key, message in field.error_messages.items()
            if isinstance(message, (str, Promise))
        }


def _lowered(message: str) -> str:
    return message[:1].lower() + message[1:]


def _section_helper(*fields) -> FormHelper:
    helper = _row_helper(*fields)
    helper.label_size = Size.MEDIUM
    helper.legend_size = Size.MEDIUM
    return helper


class AboutForm(BoundedTextMixin, forms.Form):
    """Section 1: about the family and who took part."""

    children = forms.ModelMultipleChoiceField(
        label=_("Children this assessment is about"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assessment_date = gov_date_field(_("Date of assessment"), name=_("date of the assessment"))
    participants = gov_text_field(
        _("Who took part"), help_text=_("One person a line: name, role and agency."), required=False
    )
    with_multi_agency_meeting = gov_radios_field(
        _("Was it completed with the multi-agency meeting?"),
        [("yes", _("Yes, with the multi-agency meeting")), ("no", _("No, by the lead practitioner alone"))],
        _("Select whether the multi-agency meeting completed it with you"),
    )
    service = forms.CharField(label=_("Service"), max_length=200, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = case.people.filter(kind=PersonKind.CHILD).order_by("full_name")
        self.helper = _section_helper(
            Field.checkboxes("children"),
            "assessment_date",
            "participants",
            Field.radios("with_multi_agency_meeting"),
            "service",
        )

    @staticmethod
    def initial_for(view) -> dict:
        assessment = view.assessment
        return {
            "children": view.children,
            "assessment_date": assessment.assessment_date,
            "participants": assessment.participants,
            "with_multi_agency_meeting": _as_yes_no(assessment.with_multi_agency_meeting),
            "service": assessment.service,
        }

    def section(self) -> dict:
        data = self.cleaned_data
        return {
            "children": list(data["children"]),
            "assessment_date": data["assessment_date"],
            "participants": data["participants"].strip(),
            "with_multi_agency_meeting": data["with_multi_agency_meeting"] == "yes",
            "service": data["service"].strip(),
        }


class AnalysisForm(BoundedTextMixin, forms.Form):
    """Section 4: the analysis and the elevated-risk question."""

    analysis = gov_text_field(
        _("Analysis and conclusion"),
        help_text=_(
            "Weigh the risk and vulnerability factors against the protective and resilient ones. "
            "This is a judgement, not a tally."
        ),
        required=False,
        rows=10,
    )
    elevated_risk = forms.ChoiceField(
        label=_("Does the assessment show an elevated risk of significant harm to the children?"),
        help_text=(
            _(
                "If yes, child protection procedures replace the line-manager route: "
                "your manager is alerted as soon as you save."
            )
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _section_helper(Field.textarea("analysis"), Field.radios("elevated_risk", inline=True))

    @staticmethod
    def initial_for(view) -> dict:
        return {
            "analysis": view.assessment.analysis,
            "elevated_risk": _as_yes_no(view.assessment.elevated_risk),
        }

    def section(self) -> dict:
        return {
            "analysis": self.cleaned_data["analysis"].strip(),
            "elevated_risk": _yes_no(self.cleaned_data["elevated_risk"]),
        }


def factor_form_kwargs(view, side: str) -> dict:
    """The catalogue for one side's factor page: active examples, plus retired ones in use."""
    catalogue = list(FactorCategory.objects.all())
    in_use = {f.category_id for f in view.risk_factors + view.protective_factors if f.category_id}
    choices = [("", _("None"))] + [
        (group, [(str(pk), name) for pk, name in items])
        for group, items in catalogue_choices(side, catalogue, keep=in_use)
    ]
    return {"side": side, "categories": {c.pk: c for c in catalogue}, "category_choices": choices}


class OneFactorForm(FactorForm):
    """One factor on its own page. Choosing an example and leaving "Factor" blank gives the
    factor the example's words, so nothing needs typing twice."""

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = factor_row(self.side, number)
        self.fields["category"].label = _("Example factor it matches")
        self.fields["category"].help_text = _(
            "Optional. Choose one and you can leave the factor below blank: it takes the example's words."
        )
        self.fields["description"].required = False
        self.fields["description"].help_text = _(
            "In your own words, or leave blank to use the example factor you chose."
        )
        self.fields["timeframe"].error_messages["required"] = _("Select whether it is historical or current")
        self.fields["basis"].error_messages["required"] = _("Select whether it is evidenced or a grey area")
        _numbered(self, self.row)
        self.helper = _row_helper(
            "category",
            "description",
            Field.radios("timeframe", inline=True),
            Field.radios("basis"),
            "evidence",
        )
        self.helper.label_size = Size.SMALL

    def clean_category(self):
        try:
            return super().clean_category()
        except forms.ValidationError:
            raise forms.ValidationError(
                _("%(row)s: choose an example factor from the list, or None") % {"row": self.row}
            ) from None

    def clean(self):
        data = super().clean()
        description = (data.get("description") or "").strip()
        if not description and data.get("category") is not None:
            description = data["category"].name
            # Shown again if another field has an error: the example's words are now in the box.
            self.data = self.data.copy()
            self.data[self.add_prefix("description")] = description
        data["description"] = description
        if not description and "description" not in self.errors:
            self.add_error(
                "description",
                _("%(row)s: describe the factor, or choose an example factor") % {"row": self.row},
            )
        if data.get("basis") == Basis.EVIDENCED and not (data.get("evidence") or "").strip():
            self.add_error(
                "evidence", _("%(row)s: describe the evidence, or mark it a grey area") % {"row": self.row}
            )
        return data

    def factor(self, factor_id: int | None) -> services.FactorData:
        return _to_factor({**self.cleaned_data, "id": factor_id}, self.side)


class OneActionForm(ActionForm):
    """One action of 'What needs to happen' on its own page, its messages numbered."""

    def __init__(self, *args, number: int, **kwargs):
        table = ACTION_TABLES[ActionKind.PLAN]
        super().__init__(*args, table=table, number=number, show_errors=True, **kwargs)
        del self.fields["id"]
        _numbered(self, self.row[:1].upper() + self.row[1:])
        self.helper = _row_helper("what", "who", "by_when", "review_on")

    def action(self, action_id: int | None) -> services.ActionData:
        return _to_action({**self.cleaned_data, "id": action_id})
