"""Whose cases each person may return, and a return checked against its schema."""

from dataclasses import dataclass

from django.db.models import QuerySet

from cases.access import cases_managed_by, has_role
from cases.models import Case, Role, User

from . import annex_a, ssd, supporting_families  # noqa: F401 (each registers its return)
from .common import Period
from .schema import RETURNS, Return, Row, RowError, Table

RETURN_ROLES = (Role.LINE_MANAGER, Role.PERFORMANCE)


def returns_cases(user: User) -> QuerySet[Case]:
    """A line manager returns their teams' cases; the performance officer the whole authority's."""
    if has_role(user, Role.PERFORMANCE):
        return Case.objects.all()
    return cases_managed_by(user)


def all_returns() -> list[Return]:
    return list(RETURNS.values())


def return_for(slug: str) -> Return | None:
    return RETURNS.get(slug)


@dataclass(frozen=True)
class CheckedTable:
    table: Table
    rows: list[Row]
    errors: list[RowError]

    @property
    def name(self) -> str:
        return self.table.schema.name


@dataclass(frozen=True)
class CheckedReturn:
    a_return: Return
    period: Period
    tables: list[CheckedTable]

    @property
    def errors(self) -> list[tuple[str, RowError]]:
        return [(table.name, error) for table in self.tables for error in table.errors]

    @property
    def case_ids(self) -> set[int]:
        return {row.case_id for table in self.tables for row in table.rows if row.case_id is not None}

    def failing_case_ids(self) -> set[int]:
        failing = set()
        for table in self.tables:
            rows = dict(enumerate(table.rows, start=1))
            failing |= {rows[error.row].case_id for error in table.errors if rows[error.row].case_id}
        return failing


def check_return(a_return: Return, user: User, period: Period, back: str = "") -> CheckedReturn:
    """Every table of the return for the user's cases and the period, each validated."""
    cases = returns_cases(user)
    tables = []
    for table in a_return.tables:
        rows = table.rows(cases, period, back)
        tables.append(CheckedTable(table=table, rows=rows, errors=table.schema.validate(rows)))
    return CheckedReturn(a_return=a_return, period=period, tables=tables)
