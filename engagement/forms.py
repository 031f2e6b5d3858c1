"""The contact attempt form (one screen, quick on a phone) and the chronology filters."""

import datetime as dt
import re
import uuid

from crispy_forms.layout import HTML
from crispy_forms_gds.layout import Field, Fixed, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.fields import NEXT_CONTACT, BoundedTextMixin
from cases.forms import GovFormMixin, gov_date_field, gov_text_field
from cases.models import Case, PersonKind, User

from .household import reads_letters_another_way
from .models import (
    AttemptKind,
    AttemptOutcome,
    ChildSeen,
    ContactAttempt,
    EngagementAgreement,
    FamilyResponse,
    NonEngagementForm,
)
from .selectors import people_who_can_make_attempts
from .services import ALSO_OUTCOMES

# "14:30", "14.30" or "1430": a phone's number pad may have no colon.
TIME_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[:.]?\s*(\d{2})\s*$")


def parse_time(value: str) -> dt.time | None:
    """'9:05', '09.05', '2130' or '21:30' as a time; None if it is not a real 24-hour time."""
    match = TIME_PATTERN.match(value or "")
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def time_field(label: str, *, message: str, required: bool = True) -> forms.CharField:
    """A 24-hour time box; `message` says what to enter when it is left empty."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=5,
        help_text=_("Use the 24-hour clock, for example 14:30"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": message},
    )


class OccurredAtMixin:
    """A date and a time that together say when something happened: now or earlier, never later.

    `occurred_on` and `occurred_time` make `occurred_at`. Each form words its own three messages
    about the event ("the attempt", "the incident"), whole for translators.
    """

    time_not_a_time: str
    date_in_future: str
    time_in_future: str

    @staticmethod
    def occurred_initial(at: dt.datetime | None = None) -> dict:
        """The two fields filled in with a moment (now, unless given), in local time."""
        at = timezone.localtime(at)
        return {"occurred_on": at.date(), "occurred_time": f"{at:%H:%M}"}

    def clean_occurred_time(self):
        value = self.cleaned_data["occurred_time"]
        if parse_time(value) is None:
            raise forms.ValidationError(self.time_not_a_time)
        return value

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(self.date_in_future)
        return value

    def clean(self):
        data = super().clean()
        day, time = data.get("occurred_on"), data.get("occurred_time")
        if day and time:
            at = timezone.make_aware(dt.datetime.combine(day, parse_time(time)))
            if at > timezone.now():
                self.add_error("occurred_time", self.time_in_future)
            else:
                data["occurred_at"] = at
        return data


def _open_details(section: str, summary: str) -> HTML:
    # Open when the section holds an error or something already recorded, so nothing is hidden.
    return HTML(
        f'<details class="govuk-details"{{% if form.open_sections.{section} %}} open{{% endif %}}>'
        f'<summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{summary}</span></summary>'
        f'<div class="govuk-details__text">'
    )


_CLOSE_DETAILS = HTML("</div></details>")


class ContactAttemptForm(OccurredAtMixin, GovFormMixin, forms.Form):
    """One attempt. The optional parts sit in <details>: closed, they still post without JS."""

    submit_label = _("Save the attempt")
    time_not_a_time = _("Enter the time of the attempt as hours and minutes, for example 14:30")
    date_in_future = _("The date of the attempt must be today or in the past")
    time_in_future = _("The time of the attempt must be now or in the past")

    kind = forms.ChoiceField(
        label=_("Kind of attempt"),
        choices=[("", _("Select the kind of attempt")), *AttemptKind.choices],
        error_messages={"required": _("Select the kind of attempt")},
    )
    occurred_on = gov_date_field(
        _("Date of the attempt"),
        name=_("date of the attempt"),
        help_text=_("Today, unless you are recording an earlier attempt. For example, 27 3 2026"),
    )
    occurred_time = time_field(_("Time of the attempt"), message=_("Enter the time of the attempt"))
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", _("Select what happened")), *AttemptOutcome.choices],
        error_messages={"required": _("Select what happened")},
    )
    also_outcomes = forms.MultipleChoiceField(
        label=_("Also"),
        choices=[(value, label) for value, label in AttemptOutcome.choices if value in ALSO_OUTCOMES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For example a card left after no answer."),
    )
    with_person = forms.ModelChoiceField(
        label=_("With whom in the family"),
        queryset=None,
        required=False,
        empty_label=_("No one in the family"),
        error_messages={"invalid_choice": _("Select someone in this family")},
    )
    with_other = forms.CharField(
        label=_("Or someone outside the family"),
        help_text=_("For example the referrer, the school's safeguarding lead, or the health visitor."),
        max_length=200,
        required=False,
    )
    response = forms.ChoiceField(
        label=_("What the family said"),
        choices=[("", _("No contact with the family")), *FamilyResponse.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Where you saw or spoke with someone in the family. Only a parent or carer agreeing "
            "to work with us ends the flow chart."
        ),
    )
    what_agreed = gov_text_field(
        _("What was agreed"),
        help_text=_(
            "If they agreed to work with us: for example the date of the first visit, or that a "
            "working together agreement was signed."
        ),
        required=False,
        rows=2,
    )
    notes = gov_text_field(
        _("Notes"), help_text=_("Describe what happened and what you saw and heard."), required=False
    )
    made_by = forms.ModelChoiceField(
        label=_("Who made the attempt"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Select who made the attempt")},
    )
    non_engagement_forms = forms.MultipleChoiceField(
        label=_("Forms of non-engagement you noticed"),
        choices=NonEngagementForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Select all that apply."),
    )
    child_seen = forms.ChoiceField(
        label=_("Was the child seen?"),
        choices=ChildSeen.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    child_words = gov_text_field(_("The child's own words"), required=False, rows=3)
    challenge = gov_text_field(_("What you challenged the family about"), required=False, rows=3)
    family_response = gov_text_field(_("How the family responded"), required=False, rows=3)
    purpose = gov_text_field(_("Purpose of the contact"), required=False, rows=2)
    what_was_done = gov_text_field(_("What was done"), required=False, rows=2)
    what_is_required = gov_text_field(_("What is required"), required=False, rows=2)
    required_by_whom = forms.CharField(label=_("By whom"), max_length=200, required=False)
    required_by_when = gov_date_field(_("By when"), required=False, name=_("date it is required by"))
    next_contact_on = gov_date_field(
        _("Date of the next planned contact"),
        required=False,
        name=_("date of the next contact"),
        date_range=NEXT_CONTACT,
    )
    next_contact_time = time_field(
        _("Time of the next planned contact"), message=_("Enter the time of the next contact"), required=False
    )
    # Made afresh for each new form: the service saves one attempt per id, so a double click or a
    # second tab posting the same form is answered with the first record (engagement.services).
    client_id = forms.CharField(required=False, max_length=36, widget=forms.HiddenInput)

    DAMAGED_CLIENT_ID = _(
        "This form could not be matched to a single save, so nothing was saved. Check your answers "
        "and save the attempt again"
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.client_id_damaged = False
        if self.initial.get("pk"):
            # Correcting an attempt changes the one record: there is no second save to prevent.
            del self.fields["client_id"]
        elif not self.is_bound:
            self.initial["client_id"] = str(uuid.uuid4())
        elif _as_uuid(self.data.get(self.add_prefix("client_id"))) is None and self.data.get(
            self.add_prefix("client_id")
        ):
            # Kept in the form is a fresh id, so saving again after the message works.
            self.client_id_damaged = True
            self.data = self.data.copy()
            self.data[self.add_prefix("client_id")] = str(uuid.uuid4())
        self.fields["with_person"].queryset = case.people.order_by("kind", "full_name")
        self.fields["made_by"].queryset = people_who_can_make_attempts(case)
        if not self.is_bound and not self.initial.get("made_by"):
            self.initial["made_by"] = user.pk
        # Offered only where someone in the family reads letters best another way (Knowsley 000:
        # "some parents/carers are not be able to read letters"; Coventry 001: "Consider
        # language barriers"): a call, text or visit instead then counts as the letter.
        readers = [
            person
            for person in case.people.filter(kind=PersonKind.ADULT).order_by("full_name")
            if reads_letters_another_way(person)
        ]
        if readers:
            names = "; ".join(f"{p} {reads_letters_another_way(p)}" for p in readers)
            self.fields["instead_of_letter"] = forms.BooleanField(
                label=_("Instead of the letter"),
                # The template pack prints hints as they are: names and languages are escaped here.
                help_text=format_html(
                    # Translators: {names} is who reads letters another way and why, such as
                    # "Piotr Nowak needs an interpreter (Polish)".
                    gettext(
                        "{names}. Tick if this call, text or visit passed on what the letter would have "
                        "said: it then counts as the flow chart's letter."
                    ),
                    names=names,
                ),
                required=False,
            )
        self.helper.layout = Layout(
            Field.select("kind"),
            "occurred_on",
            Field.text("occurred_time", field_width=Fixed.FIVE),
            Field.select("outcome"),
            Field.checkboxes("also_outcomes", small=True),
            Field.select("with_person"),
            *(["instead_of_letter"] if readers else []),
            "with_other",
            Field.radios("response", small=True),
            "what_agreed",
            "notes",
            Field.select("made_by"),
            _open_details("noticed", gettext("What you noticed: non-engagement, the child, challenge")),
            Field.checkboxes("non_engagement_forms", small=True),
            Field.radios("child_seen", small=True),
            "child_words",
            "challenge",
            "family_response",
            _CLOSE_DETAILS,
            _open_details("summary", gettext("End-of-contact summary")),
            "purpose",
            "what_was_done",
            "what_is_required",
            "required_by_whom",
            "required_by_when",
            _CLOSE_DETAILS,
            _open_details("next", gettext("Next planned contact")),
            "next_contact_on",
            Field.text("next_contact_time", field_width=Fixed.FIVE),
            _CLOSE_DETAILS,
            *([] if self.initial.get("pk") else [Field("client_id")]),
            HTML('<div class="govuk-button-group">'),
            Submit("submit", self.submit_label),
            *(
                []
                if self.initial.get("pk")
                else [
                    Submit("another", gettext("Save and record another"), css_class="govuk-button--secondary")
                ]
            ),
            HTML("</div>"),
        )

    SECTIONS = {
        "noticed": ("non_engagement_forms", "child_seen", "child_words", "challenge", "family_response"),
        "summary": ("purpose", "what_was_done", "what_is_required", "required_by_whom", "required_by_when"),
        "next": ("next_contact_on", "next_contact_time"),
    }

    @property
    def open_sections(self) -> dict[str, bool]:
        def filled(name):
            value = self[name].value()
            if isinstance(value, list | tuple):
                return any(v not in (None, "") for v in value)
            return value not in (None, "")

        return {
            section: any(name in self.errors or filled(name) for name in names)
            for section, names in self.SECTIONS.items()
        }

    @classmethod
    def initial_for_now(cls) -> dict:
        return cls.occurred_initial()

    @classmethod
    def initial_for(cls, attempt: ContactAttempt) -> dict:
        initial = {name: getattr(attempt, name) for name in cls.base_fields if hasattr(attempt, name)}
        initial |= {
            "pk": attempt.pk,
            "made_by": attempt.made_by_id,
            "with_person": attempt.with_person_id,
            **cls.occurred_initial(attempt.occurred_at),
        }
        initial["instead_of_letter"] = attempt.instead_of_letter
        agreement = EngagementAgreement.objects.filter(attempt=attempt).first()
        if agreement is not None:
            initial["what_agreed"] = agreement.what_agreed
        if attempt.next_contact_at:
            nxt = timezone.localtime(attempt.next_contact_at)
            initial |= {"next_contact_on": nxt.date(), "next_contact_time": f"{nxt:%H:%M}"}
        return initial

    def clean_next_contact_time(self):
        value = self.cleaned_data["next_contact_time"]
        if value and parse_time(value) is None:
            raise forms.ValidationError(
                _("Enter the time of the next contact as hours and minutes, for example 09:30")
            )
        return value

    def clean_occurred_on(self):
        value = super().clean_occurred_on()
        if value < self.case.referral_date:
            raise forms.ValidationError(
                _("The attempt must be on or after the referral date, %(referral_date)s")
                % {"referral_date": f"{self.case.referral_date:%-d %B %Y}"}
            )
        return value

    def clean(self):
        data = super().clean()
        if self.client_id_damaged:
            self.add_error(None, self.DAMAGED_CLIENT_ID)
        day, required_by = data.get("occurred_on"), data.get("required_by_when")
        if day and required_by and required_by < day:
            self.add_error(
                "required_by_when",
                _("The date it is required by must be the same as or after the date of the attempt"),
            )
        next_day, next_time = data.get("next_contact_on"), data.get("next_contact_time")
        if next_time and not next_day and "next_contact_on" not in self.errors:
            self.add_error("next_contact_on", _("Enter the date of the next contact"))
        elif next_day:
            data["next_contact_at"] = timezone.make_aware(
                dt.datetime.combine(next_day, parse_time(next_time) if next_time else dt.time(9, 0))
            )
        return data

    def service_arguments(self) -> dict:
        """What the service needs, from the cleaned form."""
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "made_by": data["made_by"],
            "kind": data["kind"],
            "with_person": data.get("with_person"),
            "with_other": data.get("with_other", ""),
            "outcome": data["outcome"],
            "also_outcomes": data.get("also_outcomes") or [],
            "response": data.get("response", ""),
            "what_agreed": data.get("what_agreed", ""),
            "notes": data.get("notes", ""),
            "non_engagement_forms": data.get("non_engagement_forms") or [],
            "child_seen": data.get("child_seen", ""),
            "child_words": data.get("child_words", ""),
            "challenge": data.get("challenge", ""),
            "family_response": data.get("family_response", ""),
            "purpose": data.get("purpose", ""),
            "what_was_done": data.get("what_was_done", ""),
            "what_is_required": data.get("what_is_required", ""),
            "required_by_whom": data.get("required_by_whom", ""),
            "required_by_when": data.get("required_by_when"),
            "next_contact_at": data.get("next_contact_at"),
            "instead_of_letter": bool(data.get("instead_of_letter")),
        }

    def submitted_client_id(self) -> uuid.UUID | None:
        """The id of this one save, for engagement.services.contact_attempt_record; None if the
        post carried none (an older form, or a form posted by something other than the page)."""
        return _as_uuid(self.cleaned_data.get("client_id"))


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


class ChronologyFilterForm(BoundedTextMixin, forms.Form):
    """Filters read from the query string; an invalid value is ignored rather than refused."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *AttemptKind.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All outcomes")), *AttemptOutcome.choices], required=False
    )
    person = forms.ModelChoiceField(label=_("With"), queryset=None, required=False, empty_label=_("Anyone"))
    date_from = gov_date_field(_("From"), required=False, name=_("first date"), help_text=" ")
    date_to = gov_date_field(_("To"), required=False, name=_("last date"), help_text=" ")

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.people.order_by("kind", "full_name")

    def as_govuk(self) -> str:
        """The fields in GOV.UK Frontend's markup, as the gds template pack would render them.

        Written out here rather than through crispy-forms: the form sits on every view of the
        chronology, mostly closed, and the template pack took a fifth of that page's time.
        """
        return format_html_join(
            "",
            "{}",
            [(self._select(name),) for name in ("kind", "outcome", "person")]
            + [(self._date(name),) for name in ("date_from", "date_to")],
        )

    def _error(self, field) -> tuple[str, str]:
        """(form group class, error message markup) for a bound field."""
        if not field.errors:
            return "govuk-form-group", ""
        return "govuk-form-group govuk-form-group--error", format_html(
            '<p id="{}_error" class="govuk-error-message"><span class="govuk-visually-hidden">{}</span> {}</p>',
            field.auto_id,
            gettext("Error:"),
            " ".join(field.errors),
        )

    def _select(self, name: str) -> str:
        field = self[name]
        group, error = self._error(field)
        chosen = "" if field.value() in (None, "") else str(field.value())
        options = format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<option value="{}" selected>{}</option>', value, label)
                    if str(value) == chosen
                    else format_html('<option value="{}">{}</option>', value, label),
                )
                for value, label in field.field.choices
            ),
        )
        return format_html(
            '<div class="{}"><label class="govuk-label govuk-label--s" for="{}">{}</label>{}'
            '<select class="govuk-select{}" id="{}" name="{}"{}>{}</select></div>',
            group,
            field.auto_id,
            field.label,
            error,
            " govuk-select--error" if field.errors else "",
            field.auto_id,
            field.html_name,
            format_html(' aria-describedby="{}_error"', field.auto_id) if field.errors else "",
            options,
        )

    def _date(self, name: str) -> str:
        field = self[name]
        group, error = self._error(field)
        value = field.value()
        if isinstance(value, dt.date):
            parts = [value.day, value.month, value.year]
        else:
            parts = list(value or ()) + [""] * 3
        invalid = " govuk-input--error" if field.errors else ""
        boxes = format_html_join(
            "",
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            '<label class="govuk-label govuk-date-input__label" for="{0}_{1}">{2}</label>'
            '<input class="govuk-input govuk-date-input__input govuk-input--width-{3}{4}" id="{0}_{1}" '
            'name="{5}_{1}" type="text" inputmode="numeric" value="{6}"></div></div>',
            (
                (
                    field.auto_id,
                    n,
                    label,
                    width,
                    invalid,
                    field.html_name,
                    "" if parts[n] is None else parts[n],
                )
                for n, (label, width) in enumerate(
                    ((gettext("Day"), 2), (gettext("Month"), 2), (gettext("Year"), 4))
                )
            ),
        )
        return format_html(
            '<div class="{}"><fieldset class="govuk-fieldset" role="group"{}>'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>{}'
            '<div class="govuk-date-input" id="{}">{}</div></fieldset></div>',
            group,
            format_html(' aria-describedby="{}_error"', field.auto_id) if field.errors else "",
            field.label,
            error,
            field.auto_id,
            boxes,
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The last date must be the same as or after the first date"))
        return data
