"""The insight filters: a GET form, so a filtered page can be bookmarked and shared with a colleague."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.fields import IN_THE_PAST, BoundedTextMixin, GovDateField
from cases.models import Team, User

from .selectors import (
    InsightFilter,
    InsightScope,
    Period,
    default_date_from,
    period_count,
    practitioners_in,
)

EARLIEST = dt.date(2000, 1, 1)
# Enough columns to stay readable: two years of weeks, ten years of months.
MOST_PERIODS = {Period.WEEK: 106, Period.MONTH: 120}


# What a half-typed date is missing, by the boxes left empty, as whole sentences.
MISSING_PARTS = {
    # Translators: %(name)s is what the date is, for example "first date".
    ("day",): _("The %(name)s must include a day"),
    ("month",): _("The %(name)s must include a month"),
    ("year",): _("The %(name)s must include a year"),
    ("day", "month"): _("The %(name)s must include a day and month"),
    ("day", "year"): _("The %(name)s must include a day and year"),
    ("month", "year"): _("The %(name)s must include a month and year"),
}


class OptionalDateField(GovDateField):
    """A date that may be left blank, but not half typed or impossible: GOV.UK messages for each.

    The library's field reads a half-typed optional date as no date at all, and shows Python's
    own words for an impossible one; someone filtering figures would never know.
    """

    PARTS = ("day", "month", "year")

    def __init__(self, label: str, *, name: str, help_text: str):
        super().__init__(label=label, required=False, help_text=help_text, name=name, date_range=IN_THE_PAST)

    def clean(self, value):
        parts = list(value) if isinstance(value, list | tuple) else []
        parts = (parts + ["", "", ""])[:3]
        missing = [str(part or "").strip() == "" for part in parts]
        for box in self.fields:
            box.widget.errors = []
        if all(missing):
            return None
        if any(missing):
            gaps = tuple(part for part, gap in zip(self.PARTS, missing, strict=True) if gap)
            message = MISSING_PARTS[gaps] % {"name": self.name}
            # Only the empty boxes are marked (and described by the message), as the design system asks.
            for box, gap in zip(self.fields, missing, strict=True):
                if gap:
                    box.widget.errors = [message]
            raise ValidationError(message, code="incomplete")
        try:
            return super().clean(value)
        except ValidationError as error:
            if getattr(error, "code", None) in GovDateField.SAID_PLAINLY:
                raise
            for box in self.fields:
                box.widget.errors = []
            raise ValidationError(
                _("The %(name)s must be a real date, for example 27 3 2026") % {"name": self.name},
                code="invalid",
            ) from None


class InsightScopeForm(BoundedTextMixin, forms.Form):
    """Team and practitioner. Either one outside the person's scope answers 404 (see the views)."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All practitioners"),
        help_text=_("The figures of the cases they lead."),
    )
    SCOPE_FIELDS = ("team", "practitioner")

    def __init__(self, *args, scope: InsightScope, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["team"].queryset = scope.teams
        self.fields["team"].empty_label = _("All your teams") if scope.shows_cases else _("All teams")
        if scope.by_practitioner:
            self.fields["practitioner"].queryset = practitioners_in(scope)
        else:
            del self.fields["practitioner"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list:
        return [Field.select(name) for name in self.SCOPE_FIELDS if name in self.fields]

    def out_of_scope(self) -> bool:
        """A team or practitioner this person may not see, or that does not exist."""
        return self.is_bound and any(name in self.errors for name in self.SCOPE_FIELDS)

    def scope_filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"team": data.get("team"), "practitioner": data.get("practitioner")}


class InsightFilterForm(InsightScopeForm):
    date_from = OptionalDateField(_("From"), name=_("first date"), help_text=_("For example, 1 4 2026"))
    date_to = OptionalDateField(_("To"), name=_("last date"), help_text=_("For example, 31 3 2027"))
    period = forms.ChoiceField(
        label=_("Count attempts by"),
        choices=Period.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select month or week")},
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("period"):
            # Show the month the figures are counted by, even when a link left the choice out.
            data = data.copy()
            data["period"] = Period.MONTH
        super().__init__(data, *args, **kwargs)
        self.fields["date_from"].initial = default_date_from(self.today)
        self.fields["date_to"].initial = self.today
        self.fields["period"].initial = Period.MONTH

    def layout_fields(self) -> list:
        return [
            *super().layout_fields(),
            "date_from",
            "date_to",
            Field.radios("period", inline=True, small=True),
        ]

    def clean(self):
        data = super().clean()
        date_from = data.get("date_from") or default_date_from(self.today)
        date_to = data.get("date_to") or self.today
        if "date_from" not in self.errors and date_from < EARLIEST:
            self.add_error(
                "date_from",
                _("The first date must be on or after %(date)s") % {"date": f"{EARLIEST:%-d %B %Y}"},
            )
        if "date_to" not in self.errors and date_to > self.today:
            self.add_error("date_to", _("The last date must be today or in the past"))
        if not {"date_from", "date_to"} & set(self.errors) and date_from > date_to:
            self.add_error("date_to", _("The last date must be the same as or after the first date"))
        period = data.get("period") or Period.MONTH
        if not self.errors:
            filters = InsightFilter(date_from=date_from, date_to=date_to, period=period)
            if period_count(filters) > MOST_PERIODS[period]:
                self.add_error(
                    "date_from",
                    _(
                        "Choose a later first date or count by month: by week the dates can be at most 2 years apart"
                    )
                    if period == Period.WEEK
                    else _("Choose a later first date: the dates can be at most 10 years apart"),
                )
        data.update(date_from=date_from, date_to=date_to, period=period)
        return data

    def filters(self) -> InsightFilter:
        """The filters asked for, or the defaults for a page opened without any."""
        if not self.is_bound:
            return InsightFilter(date_from=default_date_from(self.today), date_to=self.today)
        data = self.cleaned_data
        return InsightFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            period=data["period"],
            team=data.get("team"),
            practitioner=data.get("practitioner"),
        )
