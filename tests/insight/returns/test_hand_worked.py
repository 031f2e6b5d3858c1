"""Each return worked by hand for the families of conftest.py: the files match to the character."""

import csv
import datetime as dt
import io

from django.urls import reverse

from cases.models import AccessLogEntry
from tests.factories.supporting_families import signed_agreement

from .conftest import LONDON

EPISODES_HEADER = (
    "earl_episode_id,earl_person_id,earl_episode_start_date,earl_episode_end_date,earl_episode_reason,"
    "earl_episode_end_reason,earl_episode_organisation,earl_episode_worker_id,earl_episode_worker_name"
)
PERSON_HEADER = (
    "pers_legacy_id,pers_person_id,pers_upn,pers_forename,pers_surname,pers_sex,pers_gender,pers_ethnicity,"
    "pers_dob,pers_single_unique_id,pers_upn_unknown,pers_send_flag,pers_expected_dob,pers_death_date,"
    "pers_is_mother,pers_nationality"
)
ANNEX_A_HEADER = (
    "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Assessment start date,"
    "Assessment completion date,Organisation completing assessment"
)


def lines(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return (
        b"".join(response.streaming_content if response.streaming else [response.content])
        .decode()
        .splitlines()
    )


def csv_url(slug, table, **query):
    url = reverse("returns:return_csv", kwargs={"slug": slug, "table": table})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_ssd_is_refused_while_rows_fail_and_lists_what_to_put_right(families, client):
    """ "No file produced while errors remain unless the manager chooses to export with the errors
    listed" (issue 22)."""
    client.force_login(families.morgan)
    response = client.get(csv_url("ssd-early-help", "ssd_early_help_episodes"))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("returns:return_detail", kwargs={"slug": "ssd-early-help"})
    )

    page = client.get(reverse("returns:return_detail", kwargs={"slug": "ssd-early-help"}))
    text = page.content.decode()
    assert "2 problems to put right" in text
    assert "EF2026-00103: Mei Chen" in text
    assert "earl_episode_reason</code> is missing" in text
    assert "&#x27;B123456789012&#x27;" not in text  # the UPN's problem is said in words, not echoed
    assert "This is not a valid unique pupil number" in text
    chen = families.chen
    assert f"/cases/{chen.pk}/episode-codes/?next=" in text
    assert f"/cases/{chen.pk}/people/9301/returns/?next=" in text
    # The page names the Chen family: its reading is logged against their case.
    assert AccessLogEntry.objects.filter(
        user=families.morgan, case=chen, what="return check: ssd-early-help"
    ).exists()


def test_ssd_exported_with_the_errors_listed(families, client):
    client.force_login(families.morgan)
    assert lines(client.get(csv_url("ssd-early-help", "ssd_early_help_episodes", with_errors=1))) == [
        EPISODES_HEADER,
        "EF2026-00102-9201,9201,2025-10-01,2026-02-27,N1,EH2,North Early Help,501,Priya Practitioner",
        "EF2026-00101-9101,9101,2026-03-02,,N4,,North Early Help,501,Priya Practitioner",
        "EF2026-00101-9102,9102,2026-03-02,,N4,,North Early Help,501,Priya Practitioner",
        "EF2026-00103-9301,9301,2026-09-14,,,,North Early Help,501,Priya Practitioner",
    ]
    errors = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("returns:return_errors_csv", kwargs={"slug": "ssd-early-help"})
                ).content.decode()
            )
        )
    )
    assert [row[:6] for row in errors] == [
        ["File", "Row", "Record", "Column", "Value", "Problem"],
        ["ssd_early_help_episodes", "4", "EF2026-00103: Mei Chen", "earl_episode_reason", "", "is missing"],
        [
            "ssd_person",
            "4",
            "EF2026-00103: Mei Chen",
            "pers_upn",
            "B123456789012",
            "This is not a valid unique pupil number: check it against the school's records",
        ],
    ]
    row = AccessLogEntry.objects.get(case=None, user=families.morgan, what__startswith="return export")
    assert row.what == "return export: ssd_early_help_episodes with 1 errors listed"
    assert row.object_id == "2025-11-21/2026-11-20"


def test_ssd_once_put_right_matches_the_hand_worked_files(families, client):
    client.force_login(families.morgan)
    chen = families.chen
    back = reverse("returns:return_detail", kwargs={"slug": "ssd-early-help"})
    response = client.post(
        f"{reverse('cases:case_episode_codes', kwargs={'case_pk': chen.pk})}?next={back}",
        {"referral_reason_code": "N5", "end_reason_code": ""},
    )
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(
        reverse("cases:person_returns", kwargs={"case_pk": chen.pk, "pk": 9301}),
        {
            "sex": "R",
            "gender": "",
            "ethnicity": "REFU",
            "disability": "",
            "upn_status": "refused",  # the invalid UPN is cleared: the family would not give it
            "upn": "",
            "nhs_number_status": "not_known",
            "nhs_number": "",
        },
    )
    assert response.status_code == 302

    assert lines(client.get(csv_url("ssd-early-help", "ssd_early_help_episodes"))) == [
        EPISODES_HEADER,
        "EF2026-00102-9201,9201,2025-10-01,2026-02-27,N1,EH2,North Early Help,501,Priya Practitioner",
        "EF2026-00101-9101,9101,2026-03-02,,N4,,North Early Help,501,Priya Practitioner",
        "EF2026-00101-9102,9102,2026-03-02,,N4,,North Early Help,501,Priya Practitioner",
        "EF2026-00103-9301,9301,2026-09-14,,N5,,North Early Help,501,Priya Practitioner",
    ]
    assert lines(client.get(csv_url("ssd-early-help", "ssd_person"))) == [
        PERSON_HEADER,
        ",9201,,Leo,Brown,M,I,WBRI,2012-11-30,,,,,,,",
        ",9101,A123456789012,Amara,Adeyemi,F,F,BAFR,2015-06-14,9434765919,,,,,,",
        ",9102,,Tobi,Adeyemi,M,M,BAFR,2019-01-09,,,,,,,",
        ",9301,,Mei,Chen,U,U,REFU,2020-02-29,,,,,,,",
    ]
    # Each export is logged once for each family it holds, and once as a whole.
    exported = AccessLogEntry.objects.filter(user=families.morgan, what="return export: ssd_person")
    assert sorted(exported.values_list("case__reference", flat=True), key=str) == sorted(
        [None, "EF2026-00101", "EF2026-00102", "EF2026-00103"], key=str
    )


def test_annex_a_list_2_matches_the_hand_worked_file(families, client):
    """Annex A list 2: "children with an early help assessment started in the last six months"
    (issue 22)."""
    client.force_login(families.morgan)
    assert lines(client.get(csv_url("annex-a-list-2", "annex_a_list_2"))) == [
        ANNEX_A_HEADER,
        "9101,b) Female,o) BAFR,14/06/2015,11,01/07/2026,15/07/2026,North Early Help",
        "9301,c) Not stated/recorded,s) REFU,29/02/2020,6,05/10/2026,,North Early Help",
    ]


def test_the_performance_officer_returns_every_team(families, client):
    client.force_login(families.performance)
    rows = lines(client.get(csv_url("ssd-early-help", "ssd_early_help_episodes", with_errors=1)))
    # In the order the episodes started: the Dunn family's between the Adeyemis' and the Chens'.
    assert rows[4] == "EF2026-00104-9401,9401,2026-06-01,,,,South Early Help,502,Quinn Practitioner"
    assert len(rows) == 6
    page = client.get(reverse("returns:return_detail", kwargs={"slug": "ssd-early-help"})).content.decode()
    assert "EF2026-00104: Ava Dunn" in page


def test_another_period_is_chosen_with_the_dates(families, client):
    client.force_login(families.morgan)
    query = "date_from_0=1&date_from_1=1&date_from_2=2025&date_to_0=31&date_to_1=3&date_to_2=2025"
    # The Ellis family's case closed with no end reason recorded: the file waits for one...
    assert client.get(csv_url("ssd-early-help", "ssd_early_help_episodes") + "?" + query).status_code == 302
    # ...unless exported with the errors listed.
    response = client.get(
        csv_url("ssd-early-help", "ssd_early_help_episodes") + "?" + query + "&with_errors=1"
    )
    assert lines(response) == [
        EPISODES_HEADER,
        "EF2026-00105-9501,9501,2025-01-06,2025-06-30,N5,,North Early Help,501,Priya Practitioner",
    ]


CLAIMS_HEADER = (
    "case_reference,family_name,team,lead_practitioner,needs_count,needs,closed_on,outcomes_recorded_on,"
    "sustained_recorded_on,assessment_version,assessment_signed_on,assessment_signed_by,plan,plan_signed_on"
)
CLAIMS = "supporting-families-claims"
FOX = (
    "EF2026-00106,Fox family,North Early Help,Priya Practitioner,3,"
    "Getting a good education; Improved mental and physical health; Secure housing,"
    "2026-03-31,2026-03-30,2026-10-05,1,2026-01-20,Morgan Manager,Fox family agreement,2026-01-28"
)
GREEN_NEEDS = "Good early years development; Improved family relationships; Safe from domestic abuse; Financial stability"


def test_supporting_families_claims_list_what_each_family_still_needs(claims, client):
    """ "All families must have been supported by a lead practitioner, there must have been a whole
    family assessment and an action plan"; "all identified family needs must evidence a positive
    outcome that is sustained for at least six months after closure" (docs/supporting-families.md).
    The Green family has no signed plan and one need not yet judged sustained: no file until it is
    recorded, and the page says what to record and where."""
    client.force_login(claims.morgan)
    response = client.get(csv_url(CLAIMS, "supporting_families_claims"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("returns:return_detail", kwargs={"slug": CLAIMS}))

    page = client.get(reverse("returns:return_detail", kwargs={"slug": CLAIMS}))
    text = page.content.decode()
    assert "<code>supporting_families_claims</code>: 2 rows, 3 problems" in text
    assert "EF2026-00107: Green family" in text
    assert "sustained_recorded_on</code> is missing" in text
    assert "Record whether each need&#x27;s outcome was sustained six months after closure" in text
    green = claims.green
    record = reverse("engagement:supporting_families", kwargs={"case_pk": green.pk})
    assert f'href="{record}"' in text
    assert f'href="{reverse("engagement:agreement_list", kwargs={"case_pk": green.pk})}"' in text
    assert "Fox family" not in text and "Hill family" not in text and "Irwin family" not in text
    assert AccessLogEntry.objects.filter(
        user=claims.morgan, case=green, what=f"return check: {CLAIMS}"
    ).exists()

    errors = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("returns:return_errors_csv", kwargs={"slug": CLAIMS})).content.decode()
            )
        )
    )
    assert [row[:6] for row in errors] == [
        ["File", "Row", "Record", "Column", "Value", "Problem"],
        [
            "supporting_families_claims",
            "2",
            "EF2026-00107: Green family",
            "sustained_recorded_on",
            "",
            "is missing",
        ],
        ["supporting_families_claims", "2", "EF2026-00107: Green family", "plan", "", "is missing"],
        ["supporting_families_claims", "2", "EF2026-00107: Green family", "plan_signed_on", "", "is missing"],
    ]
    assert errors[1][7] == f"http://testserver{record}"

    assert lines(client.get(csv_url(CLAIMS, "supporting_families_claims", with_errors=1))) == [
        CLAIMS_HEADER,
        FOX,
        f"EF2026-00107,Green family,North Early Help,Priya Practitioner,4,{GREEN_NEEDS},"
        "2026-04-30,2026-04-28,,1,2026-02-16,Morgan Manager,,",
    ]
    row = AccessLogEntry.objects.get(case=None, user=claims.morgan, what__startswith="return export")
    assert row.what == "return export: supporting_families_claims with 3 errors listed"
    assert row.object_id == "2000-01-01/2026-11-20"


def test_supporting_families_claims_once_recorded_match_the_hand_worked_file(claims, client):
    client.force_login(claims.priya)
    green = claims.green
    answers = {}
    for need in green.supporting_families_needs.all():
        answers[f"answer_{need.pk}"] = "sustained"
        answers[f"evidence_{need.pk}"] = (
            need.sustained_evidence or "Rent paid on time since May (landlord's letter)."
        )
    response = client.post(
        reverse("engagement:supporting_families_sustained", kwargs={"case_pk": green.pk}), answers
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    signed_agreement(
        green, title="Green family agreement", signed_at=dt.datetime(2026, 11, 19, 16, 0, tzinfo=LONDON)
    )

    client.force_login(claims.morgan)
    assert lines(client.get(csv_url(CLAIMS, "supporting_families_claims"))) == [
        CLAIMS_HEADER,
        FOX,
        f"EF2026-00107,Green family,North Early Help,Priya Practitioner,4,{GREEN_NEEDS},"
        "2026-04-30,2026-04-28,2026-11-20,1,2026-02-16,Morgan Manager,Green family agreement,2026-11-19",
    ]
    # Only the families closed in the dates chosen.
    query = "date_from_0=1&date_from_1=4&date_from_2=2026&date_to_0=20&date_to_1=11&date_to_2=2026"
    assert lines(client.get(csv_url(CLAIMS, "supporting_families_claims") + "?" + query))[1].startswith(
        "EF2026-00107,"
    )


def test_supporting_families_claims_across_the_authority(claims, client):
    client.force_login(claims.performance)
    rows = lines(client.get(csv_url(CLAIMS, "supporting_families_claims", with_errors=1)))
    assert rows[:3] == [
        CLAIMS_HEADER,
        "EF2026-00110,Jones family,South Early Help,Quinn Practitioner,3,"
        "Better managed substance use; Families diverted from crime; Safe from domestic abuse,"
        "2026-01-30,2026-01-29,2026-08-03,1,2025-12-19,Sam Manager,Jones family agreement,2026-01-06",
        FOX,
    ]
    assert len(rows) == 4
    assert "Supporting Families claim list" in client.get(reverse("returns:index")).content.decode()
