"""Statutory returns (issue 22): line managers for the teams they manage, the performance officer
across the authority; nobody else, not even the admin. The person's details for returns and the
episode's codes are case pages, for whoever works on the case."""

import datetime as dt

from tests.factories import ChildFactory

from .entries import CASE_TEAM, Entry

RETURNS = frozenset({"manager", "other_manager", "performance"})
SSD = "ssd-early-help"
# The same pages serve every registered return (the SSD, Annex A, the Supporting Families claim
# list): the matrix checks them on the SSD; tests/insight/returns/ each return's scope.

ENTRIES = {
    "returns:index": Entry(RETURNS),
    "returns:return_detail": Entry(RETURNS, kwargs=lambda w: {"slug": SSD}),
    "returns:return_errors_csv": Entry(RETURNS, kwargs=lambda w: {"slug": SSD}),
    "returns:return_csv": Entry(RETURNS, kwargs=lambda w: {"slug": SSD, "table": "ssd_early_help_episodes"}),
    "cases:person_returns": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.returns_child.pk},
        data=lambda w: {"sex": "F", "ethnicity": "NOBT", "upn": "", "nhs_number": ""},
    ),
    "cases:case_episode_codes": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk},
        data=lambda w: {"referral_reason_code": "N4", "end_reason_code": ""},
    ),
}


def extend_world(world):
    world.returns_child = ChildFactory(case=world.case, full_name="Remi", date_of_birth=dt.date(2018, 5, 2))
