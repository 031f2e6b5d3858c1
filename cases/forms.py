"""Forms for the case record. Each declares its fields and messages; GovFormMixin lays it out."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.utils import timezone

from .models import ReferralSource, ThresholdLevel


class GovFormMixin:
    """GOV.UK layout for any form: labels, hints and errors from the field, one submit button."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.fields.keys(), Submit("submit", self.submit_label))


def gov_date_field(
    label: str, *, required: bool = True, help_text: str = "", name: str = "date"
) -> DateInputField:
    """A GOV.UK date input (day, month, year) with messages that say what to do."""
    field = DateInputField(label=label, required=required, help_text=help_text or "For example, 27 3 2026")
    field.error_messages.update(
        {
            "required": f"Enter the {name}",
            "incomplete": f"Enter the {name} as a day, month and year",
            "invalid": f"Enter the {name} as a real date, for example 27 3 2026",
        }
    )
    return field


class CaseOpenForm(GovFormMixin, forms.Form):
    submit_label = "Open the case"

    family_name = forms.CharField(
        label="Family name",
        help_text="How the family is known, for example 'Smith family'.",
        max_length=200,
        error_messages={"required": "Enter the family name"},
    )
    referral_date = gov_date_field(
        "Referral date",
        help_text="Day 1 of the flow chart. For example, 27 3 2026",
        name="referral date",
    )
    referral_source = forms.ChoiceField(
        label="Where the referral came from",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the referral came from"},
    )
    referrer_name = forms.CharField(
        label="Referrer's name",
        max_length=200,
        error_messages={"required": "Enter the referrer's name"},
    )
    referrer_organisation = forms.CharField(label="Referrer's organisation", max_length=200, required=False)
    referrer_contact = forms.CharField(
        label="How to reach the referrer",
        help_text="A phone number or email address.",
        max_length=200,
        error_messages={"required": "Enter a phone number or email address for the referrer"},
    )
    referral_reason = forms.CharField(
        label="Reason for referral",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the referral"},
    )
    threshold_level = forms.TypedChoiceField(
        label="Threshold of need",
        choices=ThresholdLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the threshold level"},
    )
    is_step_down = forms.BooleanField(
        label="This is a step-down case from children's social care",
        required=False,
        help_text="The allocated social worker must then be consulted before any decision.",
    )
    social_worker_name = forms.CharField(
        label="Allocated social worker (if any)", max_length=200, required=False
    )
    social_worker_contact = forms.CharField(
        label="Social worker's phone or email", max_length=200, required=False
    )

    def clean_referral_date(self):
        value = self.cleaned_data["referral_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Referral date must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        if data.get("is_step_down") and not data.get("social_worker_name"):
            self.add_error(
                "social_worker_name",
                "Enter the allocated social worker's name: a step-down case needs one",
            )
        return data
