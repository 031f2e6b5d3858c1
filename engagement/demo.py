"""Demo contact attempts: each demo family's chronology, following the 15-day flow chart to its day.

Notes are written as practitioners are asked to write them: what happened and what was seen,
describing behaviour, never labelling the family. The Hussain family is reached on day 6, when
Farah agrees to a home visit: the one family that agrees to work with us. In the Walsh family only
Connor is seen, at school: contact with a child is not engagement, so their flow chart runs on.
At the Walsh family's door on day 5 Lee Parker shouts and steps towards the practitioner: a
hostile incident, recorded with the attempt, that the line manager has still to review.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from cases.calendar import Calendar

from .models import AttemptKind as K
from .models import AttemptOutcome as O
from .models import ChildSeen, ContactAttempt, NonEngagementForm
from .safety.models import HostileIncident
from .safety.services import hostile_incident_record
from .services import contact_attempt_record

# (day, "HH:MM", kind, outcome, with (a family member's name, or "referrer", or ""), notes, extras)
Plan = list[tuple[int, str, str, str, str, str, dict]]

TAYLOR: Plan = [
    (
        1,
        "10:05",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Kelly Taylor",
        "Rang Kelly's mobile to introduce myself and arrange a home visit. No answer; no voicemail set up.",
        {},
    ),
    (
        2,
        "09:20",
        K.TEXT_MESSAGE,
        O.MESSAGE_LEFT,
        "Kelly Taylor",
        "Texted Kelly: who I am, that Mia's school asked us to offer support, and my direct number.",
        {},
    ),
    (
        2,
        "14:30",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Spoke to the school's safeguarding lead. Kelly usually collects Mia at 3.15 and responds best in person; the school will mention my call to her.",
        {},
    ),
    (
        3,
        "09:40",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Dean Taylor",
        "Rang Dean, Mia's father, who does not live with the family, to include him from the start. No answer.",
        {},
    ),
]

NOWAK: Plan = [
    (1, "11:00", K.PHONE_CALL, O.NO_ANSWER, "Anna Nowak", "Rang Anna to arrange a visit. No answer.", {}),
    (
        2,
        "10:15",
        K.PHONE_CALL,
        O.MESSAGE_LEFT,
        "Anna Nowak",
        "Rang again and left a short voicemail in English; the referral says Anna's first language is Polish, so I have asked for an interpreter for the visit.",
        {},
    ),
    (
        3,
        "16:45",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Anna Nowak",
        "Rang after school hours in case Anna is at work during the day. No answer.",
        {},
    ),
    (
        4,
        "12:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Spoke to the school nurse who referred. Zofia has been tired and withdrawn in class; Anna works shifts. Agreed the nurse will give Anna my card at parents' evening.",
        {},
    ),
    (
        5,
        "09:30",
        K.UNANNOUNCED_VISIT,
        O.NOT_AT_HOME,
        "Anna Nowak",
        "First unannounced home visit. No one answered; curtains open, no sound inside.",
        {
            "purpose": "Day 5 visit to meet Anna and Zofia",
            "what_is_required": "Remind Anna of the next visit by phone",
            "required_by_whom": "Lead practitioner",
            "next": (7, "10:00"),
        },
    ),
    (
        5,
        "09:40",
        K.LETTER,
        O.LETTER_SENT,
        "Anna Nowak",
        "Hand-delivered a letter (in English and Polish): I called today and will call again on day 7 at 10am; please ring me if another time suits better.",
        {},
    ),
]

HUSSAIN: Plan = [
    (
        1,
        "10:30",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Farah Hussain",
        "Rang Farah to arrange a home visit. No answer.",
        {},
    ),
    (
        2,
        "13:10",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Imran Hussain",
        "Rang Imran to include both parents. No answer.",
        {},
    ),
    (
        3,
        "09:15",
        K.PHONE_CALL,
        O.MESSAGE_LEFT,
        "Farah Hussain",
        "Left a voicemail explaining who I am and why the health visitor asked us to get in touch.",
        {},
    ),
    (
        3,
        "15:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Spoke to the health visitor. Ayaan missed his 2-year review twice; Farah has said she feels judged at appointments. The health visitor suggested a text first, then a call.",
        {},
    ),
    (
        4,
        "10:00",
        K.TEXT_MESSAGE,
        O.MESSAGE_LEFT,
        "Farah Hussain",
        "Texted Farah that I am not from social care and that the visit is to see what would help.",
        {},
    ),
    (
        5,
        "11:00",
        K.UNANNOUNCED_VISIT,
        O.DOOR_NOT_OPENED,
        "Farah Hussain",
        "Unannounced visit. A child's voice inside and the television on; the door was not opened after two knocks.",
        {"forms": [NonEngagementForm.AVOIDANCE], "child_seen": ChildSeen.NOT_SEEN, "next": (7, "11:00")},
    ),
    (
        5,
        "11:10",
        K.LETTER,
        O.LETTER_SENT,
        "Farah Hussain",
        "Left a letter: I called today and will call again on day 7 at 11am.",
        {},
    ),
    (
        6,
        "10:20",
        K.PHONE_CALL,
        O.SPOKE,
        "Farah Hussain",
        "Farah answered. She said she did not open the door because she was worried the visit was about taking the children. I explained the offer of early help; she agreed to a visit tomorrow with Imran there.",
        {
            "challenge": "Named that Ayaan has missed two health reviews and that we need to see him.",
            "response": "Farah said the appointments clash with Sara's school run; she would like help to rebook.",
            "purpose": "Remind the family of the day 7 visit",
            "done": "Agreed a home visit for day 7 at 11am; Farah will let Imran know.",
            "what_is_required": "Rebook Ayaan's 2-year review with the health visitor",
            "required_by_whom": "Tom Reid with Farah",
            "next": (7, "11:00"),
            "said": "agreed",
            "agreed": "A home visit on day 7 at 11am, with Imran there, to talk about early help.",
        },
    ),
]

WALSH: Plan = [
    (
        1,
        "09:50",
        K.TEXT_MESSAGE,
        O.MESSAGE_LEFT,
        "Siobhan Walsh",
        "Texted Siobhan on her own mobile, as the safe-contact note asks, to arrange to meet. No reply.",
        {},
    ),
    (
        2,
        "10:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Spoke to the police officer who referred after the incident at the address. Lee Parker is now living there; contact Siobhan only on her mobile, never by letter.",
        {},
    ),
    (
        2,
        "14:15",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Siobhan Walsh",
        "Rang Siobhan's mobile during school hours. No answer; did not leave a message.",
        {},
    ),
    (
        3,
        "13:30",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Siobhan Walsh",
        "Rang again during school hours. No answer.",
        {},
    ),
    (
        4,
        "11:45",
        K.LIAISON,
        O.DISCUSSED,
        "",
        "Spoke to Connor's head of year. Connor has been late most days since half term and has said home is 'loud'. The school will let me see Connor in school.",
        {"other": "Head of Year 9, Northshire Academy"},
    ),
    (
        5,
        "16:00",
        K.UNANNOUNCED_VISIT,
        O.REFUSED_ENTRY,
        "Lee Parker",
        "Lee answered the door, said Siobhan was out and told me to leave. When I explained I wanted to offer support to the family he shouted, stepped towards me and closed the door. No letter left because of the domestic abuse concern.",
        {
            "forms": [NonEngagementForm.REFUSAL, NonEngagementForm.CHILD_NOT_SEEN_ALONE],
            "child_seen": ChildSeen.NOT_SEEN,
        },
    ),
    (
        6,
        "10:30",
        K.TEXT_MESSAGE,
        O.MESSAGE_LEFT,
        "Siobhan Walsh",
        "Texted Siobhan that I called yesterday and will visit again tomorrow afternoon.",
        {},
    ),
    (
        7,
        "15:30",
        K.ANNOUNCED_VISIT,
        O.DOOR_NOT_OPENED,
        "Siobhan Walsh",
        "Second home visit at the time in the text. Someone moved behind the curtain; the door was not opened. Left my card through the door.",
        {"forms": [NonEngagementForm.AVOIDANCE]},
    ),
    (
        8,
        "12:30",
        K.JOINT_VISIT,
        O.SEEN,
        "",
        "Saw Connor in school with the school nurse, whom he trusts. Connor said his mum is 'stressed all the time' and he does not like being at home when Lee is drinking.",
        {
            "other": "School nurse, Northshire Academy",
            "child_seen": ChildSeen.SEEN_ALONE,
            "child_words": "Mum's stressed all the time. I stay out when Lee's been drinking.",
            "purpose": "Hear Connor's views; agree a safe way to reach Siobhan",
            "what_is_required": "Discuss the risk with the line manager; consider a referral to the MASH",
            "required_by_whom": "Lead practitioner",
        },
    ),
]

EVANS: Plan = [
    (1, "09:30", K.PHONE_CALL, O.NO_ANSWER, "Rhys Evans", "Rang Rhys to arrange a visit. No answer.", {}),
    (
        1,
        "14:00",
        K.LIAISON,
        O.DISCUSSED,
        "",
        "Spoke to Jo Bennett, the social worker who stepped the case down, about what worked with Rhys before: short calls, in the afternoon, and plain explanations.",
        {"other": "Jo Bennett, allocated social worker"},
    ),
    (
        2,
        "15:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Rhys Evans",
        "Rang in the afternoon as suggested. No answer.",
        {},
    ),
    (
        3,
        "15:30",
        K.PHONE_CALL,
        O.MESSAGE_LEFT,
        "Rhys Evans",
        "Left a short voicemail with my name and number.",
        {},
    ),
    (4, "16:00", K.PHONE_CALL, O.NO_ANSWER, "Rhys Evans", "Rang again. No answer.", {}),
    (
        5,
        "10:00",
        K.UNANNOUNCED_VISIT,
        O.NOT_AT_HOME,
        "Rhys Evans",
        "First unannounced visit. No answer; car not on the drive.",
        {"next": (7, "15:00")},
    ),
    (
        5,
        "10:10",
        K.LETTER,
        O.LETTER_SENT,
        "Rhys Evans",
        "Left a letter: I called today and will call again on day 7 at 3pm.",
        {},
    ),
    (
        6,
        "15:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Rhys Evans",
        "Rang to remind Rhys of tomorrow's visit. No answer.",
        {},
    ),
    (
        7,
        "15:00",
        K.ANNOUNCED_VISIT,
        O.DOOR_NOT_OPENED,
        "Rhys Evans",
        "Second visit at the time given. Rhys's car was outside; the door was not opened. Left contact details.",
        {"forms": [NonEngagementForm.AVOIDANCE]},
    ),
    (
        8,
        "11:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Discussed engagement with the referrer and the school: Ffion's attendance is 82% and she seems well cared for. Agreed the school will invite Rhys to a meeting with me present.",
        {},
    ),
    (
        10,
        "16:15",
        K.UNANNOUNCED_VISIT,
        O.NOT_AT_HOME,
        "Rhys Evans",
        "Third unannounced visit. No answer. Left contact details asking Rhys to call me.",
        {},
    ),
    (
        10,
        "16:30",
        K.LETTER,
        O.LETTER_SENT,
        "Rhys Evans",
        "Sent the day 10 letter asking Rhys to contact us within 5 days if he would like support for Ffion.",
        {},
    ),
    (
        12,
        "10:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Discussed the way forward and the risks of non-engagement with the referrer; arranged to complete the FERA with the school and Jo Bennett.",
        {},
    ),
]

BEGUM: Plan = [
    (
        1,
        "10:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Rukhsana Begum",
        "Rang Rukhsana with a Bengali interpreter on the line. No answer.",
        {},
    ),
    (
        2,
        "10:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Rukhsana Begum",
        "Rang again with the interpreter. No answer.",
        {},
    ),
    (
        3,
        "11:30",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Spoke to Aisha's class teacher: Rukhsana prefers face-to-face contact and reads little English.",
        {},
    ),
    (3, "13:00", K.PHONE_CALL, O.NO_ANSWER, "Rukhsana Begum", "Rang. No answer.", {}),
    (4, "13:00", K.PHONE_CALL, O.NO_ANSWER, "Rukhsana Begum", "Rang. No answer.", {}),
    (
        5,
        "10:30",
        K.UNANNOUNCED_VISIT,
        O.NOT_AT_HOME,
        "Rukhsana Begum",
        "First unannounced visit with an interpreter. No one at home.",
        {"next": (7, "10:30")},
    ),
    (
        5,
        "10:40",
        K.LETTER,
        O.LETTER_SENT,
        "Rukhsana Begum",
        "Left a letter in Bengali and English with the date and time of the next visit.",
        {},
    ),
    (
        6,
        "10:00",
        K.PHONE_CALL,
        O.MESSAGE_LEFT,
        "Rukhsana Begum",
        "Rang with the interpreter to remind Rukhsana of tomorrow's visit; left a voicemail in Bengali.",
        {},
    ),
    (
        7,
        "10:30",
        K.ANNOUNCED_VISIT,
        O.VISIT_CUT_SHORT,
        "Rukhsana Begum",
        "Rukhsana opened the door and spoke briefly through the interpreter; she said now was not a good time and closed the door after two minutes. Aisha was not seen.",
        {"forms": [NonEngagementForm.AMBIVALENCE], "child_seen": ChildSeen.NOT_SEEN},
    ),
    (
        8,
        "14:00",
        K.LIAISON,
        O.DISCUSSED,
        "",
        "Asked the family's GP practice whether a professional they know could join a visit. The practice nurse has a good relationship with Rukhsana and will come on day 10.",
        {"other": "Practice nurse, Oakfield Surgery"},
    ),
    (
        10,
        "11:00",
        K.JOINT_VISIT,
        O.NOT_AT_HOME,
        "Rukhsana Begum",
        "Joint visit with the practice nurse. No one at home. Left contact details asking for a call back.",
        {},
    ),
    (
        10,
        "11:30",
        K.LETTER,
        O.LETTER_SENT,
        "Rukhsana Begum",
        "Sent the day 10 letter in Bengali and English asking Rukhsana to contact us within 5 days if she would like support.",
        {},
    ),
    (
        12,
        "14:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Discussed the way forward with the school. Aisha is attending and seems settled; the school will keep offering Rukhsana a meeting.",
        {},
    ),
    (
        14,
        "13:00",
        K.MULTI_AGENCY_MEETING,
        O.DISCUSSED,
        "",
        "Multi-agency meeting with the school, GP practice and health visitor: shared the FERA and agreed single-agency monitoring by the school.",
        {"other": "School, GP practice, health visitor"},
    ),
]

CAMPBELL: Plan = [
    (
        1,
        "11:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Morag Campbell",
        "Rang Morag, the children's grandmother and carer, to arrange a visit. No answer.",
        {},
    ),
    (
        2,
        "11:00",
        K.PHONE_CALL,
        O.CANCELLED_BY_FAMILY,
        "Morag Campbell",
        "Morag answered, agreed a visit for day 4, then rang back an hour later to cancel because Jack was unwell.",
        {},
    ),
    (
        3,
        "10:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Spoke to the health visitor who referred: Lily has missed her vaccinations and Morag has said she is struggling to cope since the children's mother left.",
        {},
    ),
    (
        4,
        "10:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Morag Campbell",
        "Rang to rearrange the cancelled visit. No answer.",
        {},
    ),
    (4, "15:00", K.PHONE_CALL, O.NO_ANSWER, "Morag Campbell", "Rang again. No answer.", {}),
    (
        5,
        "09:45",
        K.UNANNOUNCED_VISIT,
        O.DOOR_NOT_OPENED,
        "Morag Campbell",
        "Unannounced visit. A child was crying inside; no one came to the door.",
        {"forms": [NonEngagementForm.AVOIDANCE], "child_seen": ChildSeen.NOT_SEEN, "next": (7, "09:45")},
    ),
    (
        5,
        "09:55",
        K.LETTER,
        O.LETTER_SENT,
        "Morag Campbell",
        "Left a letter with the date and time of the next visit, written in plain words.",
        {},
    ),
    (
        6,
        "10:00",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Morag Campbell",
        "Rang to remind Morag of tomorrow's visit. No answer.",
        {},
    ),
    (
        7,
        "09:45",
        K.ANNOUNCED_VISIT,
        O.NOT_AT_HOME,
        "Morag Campbell",
        "Second visit at the time given. No answer. Left contact details.",
        {},
    ),
    (
        8,
        "13:00",
        K.LIAISON,
        O.DISCUSSED,
        "",
        "Discussed with the nursery manager, who sees Morag most mornings; she offered to introduce me at drop-off.",
        {"other": "Manager, Little Oaks Nursery"},
    ),
    (
        10,
        "08:50",
        K.JOINT_VISIT,
        O.APPOINTMENT_MISSED,
        "Morag Campbell",
        "Went to nursery drop-off with the manager as agreed; Jack and Lily were not brought in today.",
        {},
    ),
    (
        10,
        "14:00",
        K.UNANNOUNCED_VISIT,
        O.NOT_AT_HOME,
        "Morag Campbell",
        "Third unannounced visit. No answer. Left contact details asking for a call back.",
        {},
    ),
    (
        10,
        "14:30",
        K.LETTER,
        O.LETTER_SENT,
        "Morag Campbell",
        "Sent the day 10 letter asking Morag to contact us within 5 days if she would like support.",
        {},
    ),
    (
        12,
        "11:00",
        K.LIAISON,
        O.DISCUSSED,
        "referrer",
        "Discussed the risks of continued non-engagement with the health visitor: two young children, missed health appointments, a carer who has said she is not coping. Arranged to complete the FERA.",
        {},
    ),
    (
        15,
        "10:00",
        K.MULTI_AGENCY_MEETING,
        O.DISCUSSED,
        "",
        "Multi-agency meeting with the health visitor, nursery and social care duty worker to agree next steps.",
        {"other": "Health visitor, nursery, CSC duty"},
    ),
]

OKAFOR: Plan = [
    (
        1,
        "09:10",
        K.PHONE_CALL,
        O.NO_ANSWER,
        "Grace Okafor",
        "Rang Grace to introduce myself and arrange a home visit. No answer.",
        {},
    ),
]

# Flow-chart days in the demo are working days in England, the default the flow chart starts with.
DEMO_CALENDAR = Calendar(working_days=True)

PLANS = {
    "Okafor family": OKAFOR,
    "Taylor family": TAYLOR,
    "Nowak family": NOWAK,
    "Hussain family": HUSSAIN,
    "Walsh family": WALSH,
    "Evans family": EVANS,
    "Begum family": BEGUM,
    "Campbell family": CAMPBELL,
}


def _at(day_one: dt.date, day: int, clock: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return timezone.make_aware(
        dt.datetime.combine(DEMO_CALENDAR.date_of_day(day_one, day), dt.time(hour, minute))
    )


def seed(demo: SimpleNamespace) -> None:
    if demo.already_seeded or ContactAttempt.objects.filter(case__in=demo.cases).exists():
        return
    now = timezone.now()
    for case in demo.cases:
        people = {p.full_name: p for p in case.people.all()}
        for day, clock, kind, outcome, with_whom, notes, extra in PLANS.get(case.family_name, []):
            occurred_at = _at(case.referral_date, day, clock)
            if occurred_at > now:
                continue  # the demo shows what has happened by the time it is loaded
            next_day = extra.get("next")
            contact_attempt_record(
                case=case,
                by=case.lead_practitioner,
                kind=kind,
                outcome=outcome,
                occurred_at=occurred_at,
                with_person=people.get(with_whom),
                with_other=extra.get(
                    "other", f"{case.referrer_name} (referrer)" if with_whom == "referrer" else ""
                ),
                notes=notes,
                non_engagement_forms=extra.get("forms", []),
                child_seen=extra.get("child_seen", ""),
                child_words=extra.get("child_words", ""),
                challenge=extra.get("challenge", ""),
                family_response=extra.get("response", ""),
                response=extra.get("said", ""),
                what_agreed=extra.get("agreed", ""),
                purpose=extra.get("purpose", ""),
                what_was_done=extra.get("done", ""),
                what_is_required=extra.get("what_is_required", ""),
                required_by_whom=extra.get("required_by_whom", ""),
                next_contact_at=_at(case.referral_date, *next_day) if next_day else None,
            )
    _walsh_incident(demo)


def _walsh_incident(demo: SimpleNamespace) -> None:
    """The day-5 visit to the Walsh family as a hostile incident awaiting the manager's review.

    Keyed on its own record, so a demo loaded before incidents existed gains it too.
    """
    walsh = next((c for c in demo.cases if c.family_name == "Walsh family" and c.is_open), None)
    if walsh is None or HostileIncident.objects.filter(case=walsh).exists():
        return
    visit = (
        ContactAttempt.objects.filter(case=walsh, kind=K.UNANNOUNCED_VISIT, outcome=O.REFUSED_ENTRY)
        .order_by("occurred_at")
        .first()
    )
    if visit is None:
        return
    hostile_incident_record(
        case=walsh,
        by=walsh.lead_practitioner,
        occurred_at=visit.occurred_at,
        place="On the doorstep of the family home",
        people=walsh.people.filter(full_name="Lee Parker"),
        what_happened=(
            "Lee Parker answered the door, told me to leave and, when I explained why I had come, "
            "shouted and stepped towards me before closing the door. I left straight away and rang "
            "my manager from the car."
        ),
        threats=True,
        staff_affected=[walsh.lead_practitioner],
        attempt=visit,
    )
