"""Forms for the case record. Each declares its fields and messages; GovFormMixin lays it out."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .concurrency import EditConflict
from .fields import BIRTH, IN_THE_PAST, PLANNED, BoundedTextMixin, DateRange, GovDateField
from .identifiers import nhs_number_problem, upn_problem
from .models import (
    SENSITIVE_FIELDS,
    Case,
    ContactMethod,
    Disability,
    EndReasonCode,
    Ethnicity,
    Gender,
    IdentifierAnswer,
    MembershipRole,
    ReferralReasonCode,
    ReferralSource,
    RelationshipKind,
    Role,
    SafeContact,
    Sex,
    ThresholdLevel,
    User,
    WrittenLanguage,
)


class GovFormMixin(BoundedTextMixin):
    """GOV.UK layout for any form: labels, hints and errors from the field, one submit button.

    The template owns the <form> tag (method, action, csrf_token, novalidate); `{% crispy form %}`
    renders only the fields and the button inside it.
    """

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.fields.keys(), Submit("submit", self.submit_label))


@dataclass(frozen=True)
class Saved:
    """What a service answered to a saved form (it may be None: the form was still saved)."""

    result: object


def form_save(request, form, save: Callable[[dict], object], *, errors, guard=None) -> Saved | None:
    """Save a posted, valid form through its service: the one way a page turns a form into a write.

    `save` calls the service with the form's cleaned data. A refusal (one of `errors`, or an
    EditConflict when an EditGuard is given) becomes the form's error at the top of the page,
    keeping what the user typed, and None is returned, as it is for a page only being shown or a
    form with errors.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        with guard.saving() if guard is not None else contextlib.nullcontext():
            result = save(form.cleaned_data)
    except (errors, EditConflict) as error:
        form.add_error(None, str(error))
        return None
    return Saved(result)


def gov_date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    name: str = _("date"),
    date_range: DateRange = PLANNED,
) -> GovDateField:
    """A GOV.UK date input (day, month, year) with messages that say what to do.

    `name` is what the date is, as it reads after "the" ("referral date"); pass it marked for
    translation, as the label.
    """
    field = GovDateField(
        label=label,
        required=required,
        help_text=help_text or _("For example, 27 3 2026"),
        name=name,
        date_range=date_range,
    )
    # Made when a form class is defined, so lazily: the words are looked up when shown.
    field.error_messages.update(
        {
            # Translators: {name} is what the date is, for example "referral date".
            "required": format_lazy(_("Enter the {name}"), name=name),
            "incomplete": format_lazy(_("Enter the {name} as a day, month and year"), name=name),
            "invalid": format_lazy(_("Enter the {name} as a real date, for example 27 3 2026"), name=name),
        }
    )
    return field


def gov_text_field(
    label: str, message: str = "", *, help_text: str = "", required: bool = True, rows: int = 4
) -> forms.CharField:
    """A GOV.UK textarea; `message` says what to enter when it is left empty."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )


def gov_radios_field(
    label: str, choices, message: str, *, required: bool = True, help_text: str = ""
) -> forms.ChoiceField:
    """GOV.UK radios; `message` says what to select when none is."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


class CaseOpenForm(GovFormMixin, forms.Form):
    submit_label = _("Open the case")

    family_name = forms.CharField(
        label=_("Family name"),
        help_text=_("How the family is known, for example 'Smith family'."),
        max_length=200,
        error_messages={"required": _("Enter the family name")},
    )
    referral_date = gov_date_field(
        _("Referral date"),
        help_text=_("Day 1 of the flow chart. For example, 27 3 2026"),
        name=_("referral date"),
        date_range=IN_THE_PAST,
    )
    referral_source = gov_radios_field(
        _("Where the referral came from"), ReferralSource.choices, _("Select where the referral came from")
    )
    referrer_name = forms.CharField(
        label=_("Referrer's name"),
        max_length=200,
        error_messages={"required": _("Enter the referrer's name")},
    )
    referrer_organisation = forms.CharField(
        label=_("Referrer's organisation"), max_length=200, required=False
    )
    referrer_contact = forms.CharField(
        label=_("How to reach the referrer"),
        help_text=_("A phone number or email address."),
        max_length=200,
        error_messages={"required": _("Enter a phone number or email address for the referrer")},
    )
    referral_reason = gov_text_field(_("Reason for referral"), _("Enter the reason for the referral"))
    threshold_level = forms.TypedChoiceField(
        label=_("Threshold of need"),
        choices=ThresholdLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the threshold level")},
    )
    is_step_down = forms.BooleanField(
        label=_("This is a step-down case from children's social care"),
        required=False,
        help_text=_("The allocated social worker must then be consulted before any decision."),
    )
    social_worker_name = forms.CharField(
        label=_("Allocated social worker (if any)"), max_length=200, required=False
    )
    social_worker_contact = forms.CharField(
        label=_("Social worker's phone or email"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("is_step_down") and not data.get("social_worker_name"):
            self.add_error(
                "social_worker_name",
                _("Enter the allocated social worker's name: a step-down case needs one"),
            )
        return data


class CaseEditForm(CaseOpenForm):
    submit_label = _("Save the changes")


class ReassignForm(GovFormMixin, forms.Form):
    submit_label = _("Reassign the case")

    lead_practitioner = forms.ModelChoiceField(
        label=_("New lead practitioner"),
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the new lead practitioner"),
            "invalid_choice": _("Select a practitioner in a team you manage"),
        },
    )

    def __init__(self, *args, case: Case, manager: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_practitioner"].queryset = (
            User.objects.filter(role=Role.LEAD_PRACTITIONER, is_active=True, team__manager=manager)
            .exclude(pk=case.lead_practitioner_id)
            .select_related("team")
            .order_by("full_name")
        )
        self.fields["lead_practitioner"].label_from_instance = lambda u: f"{u} ({u.team})"


YES_NO = [(True, _("Yes")), (False, _("No"))]


def _yes_no(label: str, help_text: str = "", *, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


class ChildForm(GovFormMixin, forms.Form):
    submit_label = _("Save the child's details")

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter the child's full name")}
    )
    date_of_birth = gov_date_field(
        _("Date of birth"),
        help_text=_("For example, 27 3 2016"),
        name=_("child's date of birth"),
        date_range=BIRTH,
    )
    school = forms.CharField(label=_("School or nursery"), max_length=200, required=False)
    lives_in_household = _yes_no(
        _("Does the child live in the household?"),
        message=_("Select yes if the child lives in the household"),
    )
    language = forms.CharField(label=_("First language"), max_length=100, required=False)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    learning_needs = gov_text_field(_("Learning needs or disability"), required=False, rows=2)


class AdultForm(GovFormMixin, forms.Form):
    """An adult around the children, with how they are related to each child of the family."""

    submit_label = _("Save the adult's details")

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter the adult's full name")}
    )
    lives_in_household = _yes_no(
        _("Does this adult live in the household?"),
        _("Include fathers, partners and other men who do not live there."),
        message=_("Select yes if the adult lives in the household"),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=50, required=False)
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )
    preferred_contact_method = forms.ChoiceField(
        label=_("Preferred way to be contacted"),
        choices=[("", _("Not known")), *ContactMethod.choices],
        required=False,
    )
    language = forms.CharField(label=_("First language"), max_length=100, required=False)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    written_language = forms.ChoiceField(
        label=_("Which language would they like letters and written information in?"),
        help_text=_(
            "Letters and the working together agreement can be written in English or in Welsh. "
            "For another language, they are written in English and offer a translated version."
        ),
        choices=WrittenLanguage.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    prefers_verbal_communication = forms.BooleanField(
        label=_("Prefers verbal communication"),
        help_text=_("Literacy: explain things in person or by phone rather than in writing."),
        required=False,
    )
    learning_needs = gov_text_field(_("Learning needs or disability"), required=False, rows=2)
    domestic_abuse_concern = forms.BooleanField(
        label=_("There is a domestic abuse concern"),
        help_text=_("A letter could increase risk: contact them without the other party's knowledge."),
        required=False,
    )
    safe_contact = forms.MultipleChoiceField(
        label=_("Safe-contact plan"),
        choices=SafeContact.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Select all that apply. Everyone who contacts them is shown this plan. "
            "A text to someone who can only be texted counts as a telephone call on the flow chart."
        ),
    )
    safe_contact_notes = gov_text_field(
        _("How to contact them safely"),
        help_text=_("For example: only call on the mobile between 9am and 3pm, never leave a message."),
        required=False,
        rows=2,
    )

    def __init__(self, *args, children=(), existing: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        existing = existing or {}
        for child in self.children:
            name = f"relationship_{child.pk}"
            recorded = existing.get(child.pk)
            self.fields[name] = forms.ChoiceField(
                # The GOV.UK template pack prints labels unescaped: escape the child's name here.
                label=format_html(_("Relationship to {name}"), name=child.full_name),
                choices=([] if recorded else [("", _("Not related / not known"))]) + RelationshipKind.choices,
                required=bool(recorded),
                initial=recorded or "",
                error_messages={
                    "required": _("Select how this adult is related to %(name)s") % {"name": child.full_name}
                },
            )
        self.helper.layout = Layout(*self.fields.keys(), Submit("submit", self.submit_label))

    def clean_written_language(self) -> str:
        # Radios always post a choice from a browser; a post without one keeps what was recorded.
        return (
            self.cleaned_data.get("written_language")
            or self.initial.get("written_language")
            or WrittenLanguage.ENGLISH
        )

    def relationships(self) -> dict:
        return {child: self.cleaned_data.get(f"relationship_{child.pk}", "") for child in self.children}

    def person_details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("relationship_")}


def _member_label(user: User) -> str:
    if user.role == Role.SOCIAL_WORKER and user.agency:
        return _("%(user)s (allocated social worker, %(agency)s)") % {"user": user, "agency": user.agency}
    if user.role == Role.SOCIAL_WORKER:
        return _("%(user)s (allocated social worker)") % {"user": user}
    return f"{user} ({user.agency or user.team or user.get_role_display()})"


class MembershipForm(GovFormMixin, forms.Form):
    submit_label = _("Add to the case")

    user = forms.ModelChoiceField(
        label=_("Who"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Select who to add"),
            "invalid_choice": _("Select someone from the list"),
        },
    )
    role = gov_radios_field(
        _("Their role on the case"),
        [
            (MembershipRole.CO_WORKER, _("Co-worker")),
            (MembershipRole.AGENCY_MEMBER, _("Multi-agency meeting member")),
            (MembershipRole.SOCIAL_WORKER, _("Allocated social worker")),
        ],
        _("Select their role on the case"),
    )
    agency_role = forms.CharField(
        label=_("Their role in their agency (optional)"),
        help_text=_("For example 'Designated safeguarding lead' or 'Health visitor'."),
        max_length=200,
        required=False,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                role__in=[Role.LEAD_PRACTITIONER, Role.LINE_MANAGER, Role.AGENCY_MEMBER, Role.SOCIAL_WORKER],
            )
            .exclude(pk=case.lead_practitioner_id)
            .select_related("team", "agency")
            .order_by("full_name")
        )
        self.fields["user"].label_from_instance = _member_label


def _optional_choice(label: str, choices, *, help_text: str = "", radios: bool = True) -> forms.ChoiceField:
    """An answer the returns use: never required; leaving it empty means not yet asked."""
    return forms.ChoiceField(
        label=label,
        choices=[("", _("Not recorded yet")), *choices],
        required=False,
        help_text=help_text,
        widget=forms.RadioSelect if radios else forms.Select,
    )


RECORDED = "recorded"  # the form's answer for "the number is below"; stored as the number itself

# An answer given in place of a number, and a number typed too: one whole sentence for each.
ANSWER_BESIDE_NUMBER = {
    ("upn", IdentifierAnswer.NOT_KNOWN): _(
        "You chose 'not known' for the unique pupil number: clear the number, or choose 'Yes: enter it below'"
    ),
    ("upn", IdentifierAnswer.REFUSED): _(
        "You chose 'refused' for the unique pupil number: clear the number, or choose 'Yes: enter it below'"
    ),
    ("nhs_number", IdentifierAnswer.NOT_KNOWN): _(
        "You chose 'not known' for the NHS number: clear the number, or choose 'Yes: enter it below'"
    ),
    ("nhs_number", IdentifierAnswer.REFUSED): _(
        "You chose 'refused' for the NHS number: clear the number, or choose 'Yes: enter it below'"
    ),
}
NUMBER_MISSING = {
    "upn": _("Enter the unique pupil number, or choose 'not known' or 'refused' if there is none"),
    "nhs_number": _("Enter the NHS number, or choose 'not known' or 'refused' if there is none"),
}


class PersonReturnsForm(GovFormMixin, forms.Form):
    """What the statutory returns need about a person (`SENSITIVE_FIELDS`). Nothing is required:
    "not known" and "refused" are answers, and an empty one has simply not been asked yet."""

    submit_label = _("Save the details for returns")

    sex = _optional_choice(_("Sex"), Sex.choices)
    gender = _optional_choice(
        _("Gender, if different from sex"),
        Gender.choices,
        help_text=_("Leave as not recorded if it is the same."),
    )
    ethnicity = _optional_choice(_("Ethnicity"), Ethnicity.choices, radios=False)
    disability = _optional_choice(_("Disability"), Disability.choices)
    upn_status = forms.ChoiceField(
        label=_("Is the unique pupil number (UPN) known?"),
        choices=[
            ("", _("Not recorded yet")),
            (RECORDED, _("Yes: enter it below")),
            *IdentifierAnswer.choices,
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    upn = forms.CharField(
        label=_("Unique pupil number (UPN)"),
        max_length=13,
        required=False,
        help_text=_("13 characters, from the school, for example A123456789012"),
    )
    nhs_number_status = forms.ChoiceField(
        label=_("Is the NHS number known?"),
        choices=[
            ("", _("Not recorded yet")),
            (RECORDED, _("Yes: enter it below")),
            *IdentifierAnswer.choices,
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    nhs_number = forms.CharField(
        label=_("NHS number"),
        max_length=14,
        required=False,
        help_text=_("10 digits, for example 943 476 5919"),
    )

    def clean_upn(self):
        upn = self.cleaned_data["upn"].strip().upper()
        if upn and (problem := upn_problem(upn)):
            raise forms.ValidationError(problem)
        return upn

    def clean_nhs_number(self):
        number = self.cleaned_data["nhs_number"].replace(" ", "")
        if number and (problem := nhs_number_problem(number)):
            raise forms.ValidationError(problem)
        return number

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {name: getattr(person, name) for name in SENSITIVE_FIELDS}
        for number in ("upn", "nhs_number"):
            if getattr(person, number):
                initial[f"{number}_status"] = RECORDED
        return initial

    def clean(self):
        """A number, or the answer given in its place: never both. "Recorded" is the number
        itself, so it is stored as no answer beside the number."""
        data = super().clean()
        for number in ("upn", "nhs_number"):
            status = f"{number}_status"
            if status not in data or number not in data:
                continue
            if data[status] in IdentifierAnswer.values and data[number]:
                self.add_error(number, ANSWER_BESIDE_NUMBER[number, data[status]])
            elif data[status] == RECORDED and not data[number]:
                self.add_error(number, NUMBER_MISSING[number])
            elif data[status] == RECORDED:
                data[status] = ""
        return data


class EpisodeCodesForm(GovFormMixin, forms.Form):
    """The early help episode's reasons, in the codes the returns use."""

    submit_label = _("Save the episode's codes")

    referral_reason_code = forms.ChoiceField(
        label=_("Why was the family referred?"),
        choices=[("", _("Not recorded yet")), *ReferralReasonCode.choices],
        required=False,
        help_text=_("The main need, in the primary need codes the returns use."),
    )
    end_reason_code = forms.ChoiceField(
        label=_("Why did the episode end?"),
        choices=[("", _("Not recorded yet")), *EndReasonCode.choices],
        required=False,
        help_text=_("Only once the case is closed. Left empty, a step up or step down is reported as one."),
    )
