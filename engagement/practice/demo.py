"""Demo use of the practice tools: the Taylor parents on the cycle of change and a GROW goal,
the Begum family's Signs of Safety meetings over two weeks and a supervision about engagement.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from .models import ChangeStage, RaterKind
from .services import (
    ActionData,
    RatingData,
    grow_goal_record,
    safety_mapping_record,
    stage_of_change_record,
    supervision_family_discussion_record,
    supervision_record,
)


def _family(demo, name):
    return next(c for c in demo.cases if c.family_name == name)


def seed(demo: SimpleNamespace) -> None:
    if demo.already_seeded:
        return
    today = timezone.localdate()

    taylor = _family(demo, "Taylor family")
    lead = taylor.lead_practitioner
    kelly = taylor.people.get(full_name="Kelly Taylor")
    dean = taylor.people.get(full_name="Dean Taylor")
    later = min(taylor.referral_date + dt.timedelta(days=2), today)
    stage_of_change_record(
        case=taylor,
        by=lead,
        person=kelly,
        stage=ChangeStage.PRE_CONTEMPLATION,
        assessed_on=taylor.referral_date,
        evidence="On the phone Kelly said the school 'makes a fuss about nothing' and that Mia is just tired.",
    )
    stage_of_change_record(
        case=taylor,
        by=lead,
        person=kelly,
        stage=ChangeStage.CONTEMPLATION,
        assessed_on=later,
        evidence=(
            "At the door Kelly said she can see Mia is struggling in the mornings and wondered aloud whether "
            "a different routine would help, then said she is not sure she can manage it on her own."
        ),
    )
    stage_of_change_record(
        case=taylor,
        by=lead,
        person=dean,
        stage=ChangeStage.PREPARATION,
        assessed_on=later,
        evidence="Dean rang back, said he wants to have Mia on Wednesday nights and asked what he would need to do.",
    )
    grow_goal_record(
        case=taylor,
        by=lead,
        person=kelly,
        agreed_on=later,
        goal="Mia gets to school on time at least four days a week by half term.",
        reality="Mia misses the 8:15 bus about twice a week. Kelly does the school run alone.",
        options="Dean takes Mia on Wednesdays; breakfast club; setting out uniform the night before.",
        will=f"Kelly will ask about breakfast club this week; {lead.get_short_name()} will text her the form.",
        agreement_reference="To be added to the working together agreement at the next visit",
    )

    begum = _family(demo, "Begum family")
    practitioner, manager = begum.lead_practitioner, begum.team.manager
    start = begum.referral_date
    meetings = [
        (3, "Home visit with Rukhsana", 2, 3, 4),
        (8, "Team around the family meeting", 4, 4, 5),
        (15, "Home visit with Rukhsana and her sister", 6, 5, 6),
    ]
    for offset, name, mother, practitioner_rating, school in meetings:
        on = min(start + dt.timedelta(days=offset), today)
        safety_mapping_record(
            case=begum,
            by=practitioner,
            meeting_on=on,
            meeting_name=name,
            attendees=f"Rukhsana Begum, {practitioner} (lead practitioner), Alex Adeyemi (Oakfield Primary School)",
            past_harm="Aisha missed 14 school days last term and was twice collected late with no adult answering calls.",
            future_danger="If nothing changes we are worried Aisha will fall further behind and be alone after school.",
            complicating_factors="Rukhsana works late shifts; she has said letters from services make her anxious.",
            strengths="Rukhsana's sister lives two streets away and is willing to help.",
            safety="Since the last meeting Rukhsana's sister has collected Aisha every Thursday.",
            agency_goals="Aisha attends school and is collected by a named adult every day for the next 8 weeks.",
            family_goals="Rukhsana wants a routine that works with her shifts.",
            next_steps="Write the collection rota together; school to call the sister if no one arrives by 3:30.",
            danger_statements="We are worried Aisha may be left without an adult after school and miss more learning.",
            safety_goals="Every day a named adult Aisha knows collects her, and she is in school on time.",
            family_safety_plan="Collection rota on the fridge: Rukhsana Monday to Wednesday, her sister Thursday and Friday.",
            ratings=[
                RatingData(
                    "Rukhsana Begum",
                    RaterKind.FAMILY,
                    mother,
                    "Things are getting easier with my sister helping.",
                ),
                RatingData(practitioner.full_name, RaterKind.PROFESSIONAL, practitioner_rating),
                RatingData(
                    "Alex Adeyemi", RaterKind.PROFESSIONAL, school, "Attendance is up this fortnight."
                ),
            ],
        )
    supervised_on = min(start + dt.timedelta(days=9), today)
    record = supervision_record(
        case=begum,
        by=manager,
        supervised_on=supervised_on,
        supervisor=manager,
        practitioner=practitioner,
        concerns=(
            "Two visits were cancelled by Rukhsana at short notice. Engagement is stopping us from seeing Aisha at "
            "home. Rukhsana's late shifts may explain the cancellations rather than reluctance."
        ),
        actions=[
            ActionData(
                "Offer visits after 4pm to fit Rukhsana's shifts",
                practitioner.full_name,
                supervised_on + dt.timedelta(days=3),
            ),
            ActionData(
                "Ask the school to see Aisha alone this week",
                practitioner.full_name,
                supervised_on + dt.timedelta(days=5),
            ),
            ActionData(
                "Review engagement in the next supervision",
                manager.full_name,
                supervised_on + dt.timedelta(days=14),
            ),
        ],
    )
    supervision_family_discussion_record(
        record=record,
        by=practitioner,
        discussed_on=min(supervised_on + dt.timedelta(days=2), today),
        notes="Rukhsana agreed to visits after 4pm and said she had been worried about losing shifts.",
    )
