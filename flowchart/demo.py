"""Demo flow charts: every demo family in the 15-day flow chart at its own day.

The engagement demo has already recorded each family's attempts, so each chart shows what was
done and what is overdue. On top: the Evans family's manager has been told (oversight awaited),
the Begum family has oversight but no decision yet (overdue), the Campbell family is decided.
After the Begum family's multi-agency meeting the lead practitioner asks the manager to close the
case (single-agency monitoring by the school): a closure request awaiting the demo manager.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from .models import ClosureRequest, Episode
from .pathways import KNOWSLEY


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _backdate(record, field: str, when: dt.datetime) -> None:
    setattr(record, field, when)
    record.save(update_fields=[field])


def seed(demo: SimpleNamespace) -> None:
    from . import services

    if demo.already_seeded or Episode.objects.filter(case__in=demo.cases).exists():
        return
    today = timezone.localdate()
    by_name = {case.family_name: case for case in demo.cases}
    episodes = {}
    for case in demo.cases:
        if case.is_open:
            episodes[case.family_name] = services.episode_start(
                case=case, by=case.lead_practitioner, pathway_code=KNOWSLEY
            )

    def informed(family: str, day: int) -> None:
        case, episode = by_name[family], episodes[family]
        record = services.manager_inform(
            case=case,
            by=case.lead_practitioner,
            strategies_tried=(
                "Four calls at different times of day, three home visits (two unannounced), a letter "
                "with the next visit time, a letter asking for contact within 5 days, and two "
                "conversations with the referrer about who the family trusts."
            ),
            fera_outcome="Risks outweigh protective factors while nobody has seen the children.",
            risk_increased="yes",
        )
        _backdate(record, "informed_at", _at(episode.calendar.date_of_day(episode.day1, day), 11))

    def oversight(family: str, day: int) -> None:
        case, episode = by_name[family], episodes[family]
        when = episode.calendar.date_of_day(episode.day1, day)
        record = services.oversight_record(
            case=case,
            by=case.team.manager,
            discussion=(
                "Discussed in supervision. The family have not been seen for three weeks and the "
                "school reports the children arriving hungry. Non-engagement raises the risk."
            ),
            risk_raised="yes",
            actions=[
                {
                    "what": "Call a multi-agency meeting with the school and health visitor",
                    "who": str(case.lead_practitioner),
                    "by_when": today + dt.timedelta(days=3),
                    "review_on": today + dt.timedelta(days=7),
                },
                {
                    "what": "Ask the social care duty team for advice on the threshold",
                    "who": str(case.team.manager),
                    "by_when": today + dt.timedelta(days=2),
                    "review_on": today + dt.timedelta(days=5),
                },
            ],
        )
        _backdate(record, "recorded_at", _at(when, 15))

    for family, day in (("Evans family", 13), ("Begum family", 13), ("Campbell family", 13)):
        if family in episodes and episodes[family].ended_on is None:
            informed(family, day)
    for family, day in (("Begum family", 13), ("Campbell family", 13)):
        if family in episodes and episodes[family].ended_on is None:
            oversight(family, day)
    campbell = by_name.get("Campbell family")
    if campbell and episodes.get("Campbell family") and episodes["Campbell family"].ended_on is None:
        services.decision_record(
            case=campbell,
            by=campbell.team.manager,
            outcome="continue",
            reasons=(
                "Morag answered the day-10 letter and agreed to meet at the children's centre. Continue "
                "the engagement process with a review."
            ),
            review_on=today + dt.timedelta(days=20),
            considered=services.Considered(mash_referral="yes", multi_agency_meeting="yes", level_two="yes"),
            options_notes="No immediate safeguarding concern: the school sees both children daily.",
        )
    for episode in Episode.objects.filter(case__in=demo.cases).select_related("case"):
        services.episode_refresh(episode=episode)
    begum = by_name.get("Begum family")
    if begum and begum.is_open and not ClosureRequest.objects.filter(case=begum).exists():
        services.closure_request_make(
            case=begum,
            by=begum.lead_practitioner,
            reason=(
                "The multi-agency meeting agreed single-agency monitoring by the school: Aisha is "
                "attending and settled, and the school will keep offering Rukhsana a meeting."
            ),
        )
