"""What every form accepts: real dates in a plausible range, text of a bounded length, one-line
fields on one line.

Case records are evidence and are signed into PDFs, so a date a practitioner could not have meant
(an assessment on 1 January 0001, a next contact in 9999) is refused where it is typed, in the
GOV.UK words for the date input ("Year must include 4 numbers", "must be a real date"), with what
was typed kept in the boxes.
"""

import datetime as dt
import re
from collections.abc import Callable

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Nothing the service records happened before 2000: the earliest a referral, attempt or assessment
# can be. A person's date of birth may be earlier, but not before 1900.
EARLIEST_RECORD = dt.date(2000, 1, 1)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
# Dates planned ahead (reviews, actions, meetings) are at most this far from today; a next
# contact is planned within a year.
FURTHEST_PLAN_YEARS = 10
NEXT_CONTACT_YEARS = 1

# Long text (notes, analysis, what was agreed): about four pages. Bounded so one post cannot make
# a signed PDF take minutes to render.
LONG_TEXT_LIMIT = 10_000

_DAY_OR_MONTH = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"\d{4}")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


Bound = dt.date | Callable[[dt.date], dt.date]


class DateRange:
    """A plausible range for a date field: `earliest` and `latest` are dates or `today -> date`.

    `too_late` is the whole sentence for a date after `latest`, with `%(name)s` for the field's
    name and, if it needs them, `%(date)s` for the latest date and `%(years)s` for how many years
    from today that is; without it, the sentence gives the latest date.
    """

    def __init__(self, *, earliest: Bound = EARLIEST_RECORD, latest: Bound | None = None, too_late: str = ""):
        self.earliest = earliest
        self.latest = latest
        self.too_late = too_late

    @staticmethod
    def _at(bound: Bound, today: dt.date) -> dt.date:
        return bound(today) if callable(bound) else bound

    def check(self, value: dt.date, *, name: str) -> None:
        today = timezone.localdate()
        earliest = self._at(self.earliest, today)
        if value < earliest:
            raise ValidationError(
                # Translators: %(name)s is what the date is, for example "referral date".
                _("The %(name)s must be on or after %(date)s")
                % {"name": name, "date": f"{earliest:%-d %B %Y}"},
                code="too_early",
            )
        if self.latest is not None and value > self._at(self.latest, today):
            latest = self._at(self.latest, today)
            message = self.too_late or _("The %(name)s must be on or before %(date)s")
            words = {"name": name, "date": f"{latest:%-d %B %Y}", "years": latest.year - today.year}
            raise ValidationError(message % words, code="too_late")


def _today(today: dt.date) -> dt.date:
    return today


# The ranges the forms choose from.
IN_THE_PAST = DateRange(
    latest=_today,
    # Translators: %(name)s is what the date is, for example "referral date".
    too_late=_("The %(name)s must be today or in the past"),
)
BIRTH = DateRange(
    earliest=EARLIEST_BIRTH, latest=_today, too_late=_("The %(name)s must be today or in the past")
)
PLANNED = DateRange(
    latest=lambda today: _years_from(today, FURTHEST_PLAN_YEARS),
    too_late=_("The %(name)s must be within %(years)s years from today"),
)
NEXT_CONTACT = DateRange(
    latest=lambda today: _years_from(today, NEXT_CONTACT_YEARS),
    too_late=_("The %(name)s must be within a year from today"),
)


class GovDateField(DateInputField):
    """A GOV.UK date input that takes only a real date with a 4-number year, in a plausible range.

    The library's field hands any number of digits to `datetime.date`, so a 30-digit year raised
    OverflowError (a server error) and year 1 reached the calendar's arithmetic.
    """

    # Errors whose words already say what to do, rather than "must be a real date".
    SAID_PLAINLY = frozenset({"invalid_year", "too_early", "too_late"})

    def __init__(self, *, name: str = _("date"), date_range: DateRange = PLANNED, **kwargs):
        super().__init__(**kwargs)
        self.name = name
        self.date_range = date_range

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) == 3:
            day, month, year = (str(part or "").strip() for part in value)
            for box in self.fields:
                box.widget.errors = []
            if year and not _YEAR.fullmatch(year):
                self._mark(
                    2,
                    _("The year of the %(name)s must include 4 numbers, for example 2026")
                    % {"name": self.name},
                )
            if (day and not _DAY_OR_MONTH.fullmatch(day)) or (month and not _DAY_OR_MONTH.fullmatch(month)):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        result = super().clean(value)
        if result is not None:
            self.date_range.check(result, name=self.name)
        return result

    def _mark(self, index: int, message: str):
        # Only the box that is wrong is highlighted, as the design system asks.
        self.fields[index].widget.errors = [message]
        raise ValidationError(message, code="invalid_year")

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except (ValidationError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedTextMixin:
    """Every long-text box has a limit the person is told of; one-line boxes keep to one line.

    Line breaks posted into a one-line field (a name, a phone number, a heading) would break the
    line they are printed on in a letter or a signed PDF, so they are read as spaces. Forms add
    fields in their own __init__ (rows, columns), so the limits are applied to the fields there
    are when a field is shown and when the form is checked.
    """

    def __getitem__(self, name):
        field = self.fields.get(name)
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
            limit_long_text(field)
        return super().__getitem__(name)

    def full_clean(self):
        one_line = []
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            if isinstance(field.widget, forms.Textarea):
                limit_long_text(field)
            elif not field.widget.is_hidden:
                one_line.append(self.add_prefix(name))
        if self.is_bound and any(_LINE_BREAKS.search(v) for n in one_line for v in self._posted(n)):
            self.data = self.data.copy()
            for name in one_line:
                if name in self.data:
                    self.data.setlist(name, [_LINE_BREAKS.sub(" ", v) for v in self._posted(name)])
        super().full_clean()

    def _posted(self, name: str) -> list[str]:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
        return [v for v in values if isinstance(v, str)]


def limit_long_text(field: forms.CharField, limit: int = LONG_TEXT_LIMIT) -> None:
    """Give a long-text field its limit, said in its hint (the GOV.UK character count's words)."""
    if field.max_length is None:
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
    limit_words = f"{field.max_length:,}"
    words = _("You can enter up to %(limit)s characters.") % {"limit": limit_words}
    if words not in str(field.help_text):
        # A hint already marked safe keeps its escaping; the template pack prints hints as they are.
        field.help_text = format_html("{} {}", field.help_text, words) if field.help_text else words
    label = str(field.label or _("The text")).rstrip("?:. ")
    # Translators: %(label)s is the field's label, for example "What was agreed".
    field.error_messages["max_length"] = _("%(label)s must be %(limit)s characters or less") % {
        "label": label,
        "limit": limit_words,
    }
