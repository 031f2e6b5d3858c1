"""Object-level 404 sweep (issue 9): nobody outside practitioner A's case reaches any object of it.

Every URL of the matrix that names an object (a case, a person, an attempt, an assessment or
version, a PDF, an agreement, a letter, a notification, an export, a practice record) is asked
for, with GET and with POST, by practitioner B (another team), the manager of another team, a
multi-agency member on no case and one whose place on the case has ended. Each must get 404, with
exactly the page a missing id gets, so a refusal tells nothing; and a refused POST changes
nothing. Where B has a case of their own, A's object under B's case is refused the same way.
"""

import pytest
from django.urls import reverse

from cases.services import membership_end
from riskassessment.services import assessment_share
from tests.factories import AgencyMemberFactory, CaseMembershipFactory

from .figures import count, record
from .matrix import APPEND_ONLY, ENTRIES, Snapshot, matrix_world, same_page, signed_in

MISSING = 987654
OUTSIDERS = ("other_practitioner", "other_manager", "agency_on_no_case", "agency_whose_place_ended")
OWN_CASE = {"other_practitioner", "other_manager"}  # they may see B's case, not A's objects under it
# Objects that belong to no case, with why anyone outside A's case may reach them.
OF_NO_CASE = {
    "engagement:unmatched_text_place": "a text from a number nobody on any case has: any line manager "
    "may place it on a case they manage (docs/notify.md); placing it on A's case is refused as any "
    "post to A's case is",
}


def _outsiders(world):
    outsider = AgencyMemberFactory(email="nurse@example.test", full_name="Agency Outsider")
    former = AgencyMemberFactory(email="former@example.test", full_name="Former Member")
    membership = CaseMembershipFactory(case=world.case, user=former)
    lead = world.users["lead"]
    # They sat on the case and had the assessment shared with them; then their place ended.
    assert assessment_share(assessment=world.signed_assessment, by=lead)
    membership_end(membership=membership, by=lead)
    return {
        "other_practitioner": world.users["other_practitioner"],
        "other_manager": world.users["other_manager"],
        "agency_on_no_case": outsider,
        "agency_whose_place_ended": former,
    }


def _ids(kwargs: dict) -> list[str]:
    return [k for k, v in kwargs.items() if isinstance(v, int)]


def _request(client, method, url, data):
    response = client.get(url) if method == "GET" else client.post(url, data)
    body = (
        b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    )
    return response.status_code, same_page(body)


@pytest.mark.slow
@pytest.mark.sweep
def test_outsiders_get_404_for_every_object_of_the_case(db, settings):
    world = matrix_world(settings)
    people = _outsiders(world)
    problems = []
    for name, entry in sorted(ENTRIES.items()):
        kwargs = world.kwargs[name]
        if not _ids(kwargs) or name in OF_NO_CASE:
            continue  # not an object of the case
        url = world.urls[name]
        data = entry.data(world)
        for role in OUTSIDERS:
            assert role not in entry.allowed, f"{name} is open to {role}: not an object of A's case"
            client = signed_in(people[role])
            for method in ("GET", "POST"):
                before = Snapshot() if method == "POST" else None
                denied = _request(client, method, url, data)
                if before is not None:
                    changed = set(before.changes(Snapshot())) - APPEND_ONLY
                    if changed:
                        problems.append(f"{role} {method} {url}: a refused POST changed {sorted(changed)}")
                # A refusal is a 404; a method the URL never takes is refused alike for everyone.
                expected = {404} if method in entry.methods else {404, 405}
                groups = [(url, denied, [(f"{k}={MISSING}", {**kwargs, k: MISSING}) for k in _ids(kwargs)])]
                if role in OWN_CASE and "case_pk" in kwargs and len(_ids(kwargs)) > 1:
                    # A's object asked for under B's own case: refused like a missing object there.
                    theirs = {**kwargs, "case_pk": world.other_case.pk}
                    cross_url = reverse(name, kwargs=theirs)
                    missing_there = [
                        (f"{k}={MISSING} under B's case", {**theirs, k: MISSING})
                        for k in _ids(kwargs)
                        if k != "case_pk"
                    ]
                    groups.append((cross_url, _request(client, method, cross_url, data), missing_there))
                for asked, answer, alike in groups:
                    if answer[0] not in expected:
                        problems.append(f"{role} {method} {asked}: {answer[0]}, not 404")
                    for what, other_kwargs in alike:
                        other_url = reverse(name, kwargs=other_kwargs)
                        missing = _request(client, method, other_url, data)
                        if missing != answer:
                            problems.append(
                                f"{role} {method} {asked}: answered {answer[0]}, but {what} ({other_url}) "
                                f"answered {missing[0]}{' with another page' if missing[0] == answer[0] else ''}"
                            )
                        count("object access", "URL x role x method checks")
                record("object access", "object URLs", url)
                record("object access", "URLs x roles x methods", (url, role, method))
    assert not problems, "outsiders could tell or reach A's objects:\n" + "\n".join(problems)
