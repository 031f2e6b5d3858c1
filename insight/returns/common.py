"""What the returns share: the period asked for, the people and the links to put a row right."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse

from cases.identifiers import nhs_number_problem, upn_problem
from cases.models import Ethnicity, Person

ETHNICITY_CODES = tuple(Ethnicity.values)


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def person_links(person: Person, back: str = "") -> dict[str, str]:
    """Where to put right what a row says of a person, and of their case's episode."""
    suffix = f"?next={quote(back)}" if back else ""
    return {
        "person": reverse("cases:person_returns", kwargs={"case_pk": person.case_id, "pk": person.pk})
        + suffix,
        "case": reverse("cases:case_episode_codes", kwargs={"case_pk": person.case_id}) + suffix,
    }


def forename(person: Person) -> str:
    parts = person.full_name.split()
    return " ".join(parts[:-1]) if len(parts) > 1 else person.full_name


def surname(person: Person) -> str:
    parts = person.full_name.split()
    return parts[-1] if len(parts) > 1 else ""


def upn_check(value: str) -> str | None:
    return upn_problem(value)


def nhs_check(value: str) -> str | None:
    return nhs_number_problem(value)
