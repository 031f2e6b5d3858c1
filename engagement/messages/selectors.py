"""Reads of family messages, each scoped by the case the view has already checked."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from cases.access import cases_managed_by
from cases.models import OPEN_STATUSES, Case, Person, Team

from .models import FamilyMessage, MessageTemplate, ReceivedText, TemplateLanguage


def message_on_case(case: Case, pk) -> FamilyMessage:
    found = (
        FamilyMessage.objects.filter(case=case, pk=pk)
        .select_related("person", "written_by", "decided_by", "attempt")
        .first()
    )
    if found is None:
        raise Http404("No such message")
    return found


def message_templates_for(language: str) -> tuple[list[MessageTemplate], list[MessageTemplate]]:
    """The wording in use to offer for a message in `language`, and which of it is English for want
    of a version in that language (matched by name and kind)."""
    in_use = list(MessageTemplate.objects.filter(in_use=True).order_by("kind", "name", "language"))
    english = [t for t in in_use if t.language == TemplateLanguage.ENGLISH]
    if language == TemplateLanguage.ENGLISH:
        return english, []
    own = {(t.name, t.kind): t for t in in_use if t.language == language}
    fallbacks = [t for t in english if (t.name, t.kind) not in own]
    return sorted([*own.values(), *fallbacks], key=lambda t: (t.kind, t.name)), fallbacks


def received_texts(case: Case) -> list[ReceivedText]:
    return list(
        ReceivedText.objects.filter(case=case).select_related("person").order_by("-received_at", "-id")
    )


def unmatched_texts():
    """Texts from numbers that matched nobody, newest first. They have no case, so any line manager
    may read them (docs/notify.md)."""
    return ReceivedText.objects.filter(person__isnull=True).order_by("-received_at", "-id")


def unmatched_text(pk) -> ReceivedText:
    """One text still matching nobody; 404 once it has been put on a case."""
    found = unmatched_texts().filter(pk=pk).first()
    if found is None:
        raise Http404("No such text")
    return found


def people_to_place_texts_on(user):
    """The people on the open cases this manager manages, for putting a text on one of them."""
    return (
        Person.objects.filter(case__in=cases_managed_by(user), case__status__in=OPEN_STATUSES)
        .select_related("case")
        .order_by("case__reference", "full_name", "pk")
    )


def case_id_of_person(pk) -> int | None:
    """The case of a person, whoever may see it: for the access check that answers 404."""
    return Person.objects.filter(pk=pk).values_list("case_id", flat=True).first()


def held_messages(case: Case) -> list[FamilyMessage]:
    return list(
        FamilyMessage.objects.filter(case=case, status__in=["held", "refused"]).select_related(
            "person", "written_by"
        )
    )


SMS_FRAGMENT = 160  # characters of a one-part text
SMS_PART = 153  # characters of each part of a longer text


def text_parts(body: str) -> int:
    """How many texts Notify counts a message as (plain characters; 160, then parts of 153)."""
    length = len(body)
    return 1 if length <= SMS_FRAGMENT else -(-length // SMS_PART)


def financial_year_start(today) -> dt.date:
    """Notify's allowance runs from 1 April."""
    year = today.year if today.month >= 4 else today.year - 1
    return dt.date(year, 4, 1)


@dataclass(frozen=True)
class TextUsage:
    team: str
    texts: int
    parts: int


@dataclass(frozen=True)
class TextCosts:
    since: dt.date
    teams: list[TextUsage]
    council_parts: int
    allowance: int
    price_pence: float

    @property
    def left(self) -> int:
        return max(self.allowance - self.council_parts, 0)

    @property
    def over(self) -> int:
        return max(self.council_parts - self.allowance, 0)

    @property
    def cost_pounds(self) -> float:
        return round(self.over * self.price_pence / 100, 2)


def text_costs(user, today) -> TextCosts:
    """Texts sent since 1 April by each team the manager manages, and the council's whole count
    against Notify's free allowance: read from the messages' lengths, one query for all."""
    since = financial_year_start(today)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    rows = FamilyMessage.objects.filter(channel="sms", sent_at__gte=start).values_list(
        "case__team_id", "case__team__name", "body"
    )
    managed = set(Team.objects.filter(manager=user).values_list("pk", flat=True))
    by_team: dict[int, list] = {}
    names: dict[int, str] = dict(Team.objects.filter(pk__in=managed).values_list("pk", "name"))
    council = 0
    for team_id, _name, body in rows:
        parts = text_parts(body)
        council += parts
        if team_id in managed:
            by_team.setdefault(team_id, []).append(parts)
    teams = [
        TextUsage(team=names[pk], texts=len(by_team.get(pk, [])), parts=sum(by_team.get(pk, [])))
        for pk in sorted(managed, key=lambda pk: names[pk])
    ]
    return TextCosts(
        since=since,
        teams=teams,
        council_parts=council,
        allowance=settings.NOTIFY_FREE_TEXTS_A_YEAR,
        price_pence=settings.NOTIFY_TEXT_PRICE_PENCE,
    )
