"""Collectors: each app gathers its own records about a person, and registers how here.

An app registers a collector in its AppConfig.ready() (`register("engagement", collect)`). A
collector is called with the `Subject` (the person's records, one a case) and returns
`Gathered` items: a kind, a date, a title that names nobody, and parts each tagged with whose
information it is (`Whose`). Third parties' parts are redacted by default (`REDACTED_BY_DEFAULT`).
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .choices import Whose


@dataclass(frozen=True)
class Part:
    label: str
    text: str
    whose: str
    about: str = ""
    is_name: bool = False


@dataclass
class Gathered:
    kind: str
    title: str
    source_type: str
    source_id: str
    case_id: int | None
    occurred_at: dt.datetime | dt.date | None
    parts: list[Part] = field(default_factory=list)

    def add(self, label: str, text, whose: str, *, about: str = "", is_name: bool = False) -> None:
        """Add a part, if there is anything in it."""
        text = "" if text is None else str(text).strip()
        if text:
            self.parts.append(Part(label=label, text=text, whose=whose, about=about, is_name=is_name))


@dataclass(frozen=True)
class Subject:
    """The person a request is about: their records (`people`, one a case) on every case."""

    people: tuple  # cases.Person rows, with their case

    @cached_property
    def person_ids(self) -> frozenset[int]:
        return frozenset(p.pk for p in self.people)

    @cached_property
    def case_ids(self) -> tuple[int, ...]:
        return tuple(sorted({p.case_id for p in self.people}))

    def whose_person(self, person_id: int | None) -> str:
        """Whose information a record about this person is: theirs, or a third party's."""
        if person_id is None:
            return Whose.FAMILY
        return Whose.SUBJECT if person_id in self.person_ids else Whose.THIRD_PARTY

    @staticmethod
    def whose_staff(user_id: int | None, author_id: int | None) -> str:
        return Whose.AUTHOR if user_id is not None and user_id == author_id else Whose.OTHER_STAFF

    @cached_property
    def _names(self) -> re.Pattern:
        names = {p.full_name.strip() for p in self.people if p.full_name.strip()}
        names |= {name.split()[0] for name in names if len(name.split()[0]) > 1}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE) if alternatives else re.compile(r"(?!)")

    def is_named_in(self, *texts: str) -> bool:
        """Whether any of the texts names the person (full name or first name)."""
        return any(self._names.search(text or "") for text in texts)


Collector = Callable[[Subject], Iterable[Gathered]]

_collectors: dict[str, Collector] = {}


def register(name: str, collector: Collector) -> None:
    """Register an app's collector (from its AppConfig.ready()); registering again replaces it."""
    _collectors[name] = collector


def collectors() -> dict[str, Collector]:
    return dict(_collectors)
