"""The hostile incident form (quick on a phone), the review after it, and lifting the warning."""

from crispy_forms_gds.layout import Field, Fixed, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from cases.models import Case, CaseMembership, MembershipRole, Role, User
from engagement.forms import OccurredAtMixin, time_field
from engagement.models import ContactAttempt

from .services import place_for_attempt

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# What the incident involved: one checkbox each, quick to tick on a phone.
INVOLVED = [
    ("threats", _("Threats")),
    ("violence", _("Violence")),
    ("weapon", _("A weapon, used or shown")),
    ("animals", _("Animals used to intimidate, or a danger")),
    ("police_called", _("The police were called")),
]


def case_workers(case: Case, user: User):
    """Who from our side could have been affected: the lead, live co-workers, the allocated social
    workers (the role and a live membership, as cases.access has it), the line manager, and
    whoever is recording."""
    members = (
        CaseMembership.objects.filter(case=case, ended_at__isnull=True)
        .filter(
            Q(role=MembershipRole.CO_WORKER)
            | Q(role=MembershipRole.SOCIAL_WORKER, user__role=Role.SOCIAL_WORKER)
        )
        .values("user_id")
    )
    return User.objects.filter(
        Q(pk=case.lead_practitioner_id) | Q(pk__in=members) | Q(pk=case.team.manager_id) | Q(pk=user.pk),
        is_active=True,
    ).order_by("full_name")


class HostileIncidentForm(OccurredAtMixin, GovFormMixin, forms.Form):
    submit_label = _("Save and tell the manager")
    time_not_a_time = _("Enter the time of the incident as hours and minutes, for example 14:30")
    date_in_future = _("The date of the incident must be today or in the past")
    time_in_future = _("The time of the incident must be now or in the past")

    occurred_on = gov_date_field(_("Date of the incident"), name=_("date of the incident"))
    occurred_time = time_field(_("Time of the incident"), message=_("Enter the time of the incident"))
    place = forms.CharField(
        label=_("Where did it happen?"),
        help_text=_("For example 'On the doorstep of the family home' or 'On the telephone'."),
        max_length=200,
        error_messages={"required": _("Enter where it happened")},
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Who from the family was involved?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select everyone involved."),
        error_messages={
            "required": _("Select who from the family was involved"),
            "invalid_choice": _("Select people from this family"),
            "invalid_pk_value": _("Select people from this family"),
        },
    )
    what_happened = gov_text_field(
        _("What happened?"),
        _("Describe what happened"),
        help_text=_("Describe what was said and done, in the order it happened."),
        rows=5,
    )
    involved = forms.MultipleChoiceField(
        label=_("Did it involve any of these?"),
        choices=INVOLVED,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Select all that apply."),
    )
    police_reference = forms.CharField(
        label=_("Police reference (if the police were called)"), max_length=100, required=False
    )
    staff_affected = forms.ModelMultipleChoiceField(
        label=_("Who from our side was affected?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Select people who work on this case")},
    )
    others_affected = forms.CharField(
        label=_("Anyone else affected"),
        help_text=_("Someone not on the case, such as an interpreter or a colleague from another agency."),
        max_length=300,
        required=False,
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = case.people.order_by("kind", "full_name")
        self.fields["staff_affected"].queryset = case_workers(case, user)
        self.helper.layout = Layout(
            "occurred_on",
            Field.text("occurred_time", field_width=Fixed.FIVE),
            "place",
            Field.checkboxes("people", small=True),
            "what_happened",
            Field.checkboxes("involved", small=True),
            "police_reference",
            Field.checkboxes("staff_affected", small=True),
            "others_affected",
            Submit("submit", self.submit_label),
        )

    @classmethod
    def initial_for(cls, *, user: User, attempt: ContactAttempt | None) -> dict:
        """Now, or what the attempt it came from says: when, who, where, what happened, who made it."""
        if attempt is None:
            return {**cls.occurred_initial(), "staff_affected": [user.pk]}
        return {
            **cls.occurred_initial(attempt.occurred_at),
            "place": place_for_attempt(attempt),
            "people": [attempt.with_person_id] if attempt.with_person_id else [],
            "what_happened": attempt.notes,
            "staff_affected": [attempt.made_by_id],
        }

    def clean(self):
        data = super().clean()
        if data.get("police_reference", "").strip() and "police_called" not in data.get("involved", []):
            self.add_error(
                "police_reference",
                _("Select 'The police were called', or remove the police reference"),
            )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        involved = set(data.get("involved") or ())
        return {
            "occurred_at": data["occurred_at"],
            "place": data["place"],
            "people": list(data["people"]),
            "what_happened": data["what_happened"],
            **{name: name in involved for name, _label in INVOLVED},
            "police_reference": data.get("police_reference", ""),
            "staff_affected": list(data.get("staff_affected") or ()),
            "others_affected": data.get("others_affected", ""),
        }


class HostileIncidentReviewForm(GovFormMixin, forms.Form):
    submit_label = _("Record the review")

    meeting_held = gov_radios_field(
        _("Was a risk management meeting held?"),
        YES_NO,
        _("Select whether a risk management meeting was held"),
        help_text=_(
            "With the professional network, to share whether others have met hostility and agree "
            "how to keep people safe."
        ),
    )
    meeting_on = gov_date_field(
        _("Date of the meeting"),
        required=False,
        name=_("date of the meeting"),
        help_text=_("If a meeting was held. For example, 27 3 2026"),
    )
    safety_plan = gov_text_field(
        _("The safety plan"),
        _("Enter the safety plan"),
        help_text=_(
            "How people will stay safe while the work with the family goes on: for example joint "
            "visits only, meetings at the office, no visits after dark."
        ),
        rows=5,
    )
    warning_stays = gov_radios_field(
        _("Should the lone-working warning (visit in pairs) stay on the case?"),
        YES_NO,
        _("Select whether the lone-working warning should stay on the case"),
        help_text=_("Only the line manager can lift it."),
    )

    def __init__(self, *args, warning_live: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not warning_live:
            del self.fields["warning_stays"]
        self.helper.layout = Layout(
            Field.radios("meeting_held", inline=True),
            "meeting_on",
            "safety_plan",
            *([Field.radios("warning_stays", inline=True)] if warning_live else []),
            Submit("submit", self.submit_label),
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("meeting_held") == "yes"
            and not data.get("meeting_on")
            and "meeting_on" not in self.errors
        ):
            self.add_error("meeting_on", _("Enter the date of the meeting"))
        if data.get("meeting_on") and data["meeting_on"] > timezone.localdate():
            self.add_error("meeting_on", _("The date of the meeting must be today or in the past"))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        held = data["meeting_held"] == "yes"
        stays = data.get("warning_stays")
        return {
            "meeting_held": held,
            "meeting_on": data.get("meeting_on") if held else None,
            "safety_plan": data["safety_plan"],
            "warning_stays": None if stays is None else stays == "yes",
        }


class WarningLiftForm(GovFormMixin, forms.Form):
    submit_label = _("Lift the warning")

    reason = gov_text_field(
        _("Why can the warning be lifted?"),
        _("Enter why the warning can be lifted"),
        help_text=_(
            "For example what the risk management meeting agreed, or what has changed in the household."
        ),
    )
