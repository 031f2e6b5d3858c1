"""The period a return covers: a GET form, so a checked return can be bookmarked."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import BoundedTextMixin
from insight.forms import OptionalDateField

from .common import Period

EARLIEST = dt.date(2000, 1, 1)


class ReturnPeriodForm(BoundedTextMixin, forms.Form):
    date_from = OptionalDateField(_("From"), name=_("first date"), help_text=_("For example, 1 4 2026"))
    date_to = OptionalDateField(_("To"), name=_("last date"), help_text=_("For example, 31 3 2027"))

    def __init__(self, *args, today: dt.date, default: tuple[dt.date, dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.default = default
        self.fields["date_from"].initial, self.fields["date_to"].initial = default
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout("date_from", "date_to")

    def clean(self):
        data = super().clean()
        first = data.get("date_from") or self.default[0]
        last = data.get("date_to") or self.default[1]
        if "date_from" not in self.errors and first < EARLIEST:
            self.add_error(
                "date_from",
                _("The first date must be on or after %(date)s") % {"date": f"{EARLIEST:%-d %B %Y}"},
            )
        if "date_to" not in self.errors and last > self.today:
            self.add_error("date_to", _("The last date must be today or in the past"))
        if not {"date_from", "date_to"} & set(self.errors) and first > last:
            self.add_error("date_to", _("The last date must be the same as or after the first date"))
        data.update(date_from=first, date_to=last)
        return data

    def period(self) -> Period:
        if not self.is_bound:
            return Period(*self.default)
        return Period(self.cleaned_data["date_from"], self.cleaned_data["date_to"])
