"""The form a multi-agency member fills in to report non-engagement on a case they sit on."""

from crispy_forms_gds.layout import Field, Fixed, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from engagement.forms import parse_time, time_field

from .models import HowKnown, PartnerReportKind


class PartnerReportForm(GovFormMixin, forms.Form):
    submit_label = _("Send the report")

    kind = gov_radios_field(_("What happened"), PartnerReportKind.choices, _("Select what happened"))
    occurred_on = gov_date_field(
        _("When it happened"), name=_("date it happened"), help_text=_("For example, 27 3 2026")
    )
    occurred_time = time_field(_("Time (optional)"), message=_("Enter the time it happened"), required=False)
    how_known = gov_radios_field(_("How do you know?"), HowKnown.choices, _("Select how you know"))
    details = gov_text_field(
        _("What happened, in your own words"),
        _("Enter what happened, in your own words"),
        help_text=_(
            "Describe what happened and what you did: for example who was due where, who "
            "you spoke to, what was said. Write what you saw or were told, not a label for the family."
        ),
        rows=6,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("kind", small=True),
            "occurred_on",
            Field.text("occurred_time", field_width=Fixed.FIVE),
            Field.radios("how_known", small=True),
            "details",
            Submit("submit", self.submit_label),
        )

    def clean_occurred_time(self):
        value = self.cleaned_data["occurred_time"]
        if value and parse_time(value) is None:
            raise forms.ValidationError(_("Enter the time as hours and minutes, for example 14:30"))
        return value

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "occurred_time": parse_time(data["occurred_time"]) if data["occurred_time"] else None,
            "how_known": data["how_known"],
            "details": data["details"],
        }
