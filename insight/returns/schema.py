"""What a return's file must hold, and the check every file passes before it is offered.

A return is one or more tables; each table has a `Schema`: its columns, in order, each with how
its value is derived from a source record and what the value must be (required, one of a list
of codes, a date in a format, or a check of its own). `validate(rows)` answers every way the rows
fall short, each a `RowError` saying what to fix and where.

Kept small and generic on purpose: any return (the SSD, Annex A, a Supporting Families claim list)
registers its schema here (`register`) and gets the same validation page and export.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of a return's file.

    `derive(source)` gives the value (a string, a date, a number or None); dates are written in
    `date_format`. `codes`: the only values allowed. `check(value)`: a problem with a present
    value, in words, or None. `fix`: what to do when the value is missing or wrong, in words the
    person putting it right understands.
    """

    name: str
    # Or a test of the row's other values: required only when they say so (an end reason, once
    # the episode has ended).
    required: bool | Callable[[dict[str, str]], bool] = False
    codes: tuple[str, ...] | None = None
    date_format: str | None = None
    derive: Callable[[object], object] = field(default=lambda source: None)
    check: Callable[[str], str | None] | None = None
    fix: str = ""
    # Which of the row's links leads to the record to put right (`Row.links`).
    fixed_at: str = "person"

    def value(self, source) -> str:
        value = self.derive(source)
        if value is None:
            return ""
        if isinstance(value, dt.date) and self.date_format:
            return value.strftime(self.date_format)
        return str(value)

    def is_required(self, values: dict[str, str]) -> bool:
        return self.required(values) if callable(self.required) else self.required

    def problem(self, value: str, values: dict[str, str] | None = None) -> str | None:
        if value == "":
            return "is missing" if self.is_required(values or {}) else None
        if self.codes is not None and value not in self.codes:
            return f"{value!r} is not one of the codes this return allows"
        if self.date_format:
            try:
                dt.datetime.strptime(value, self.date_format)  # noqa: DTZ007 (a date, no time zone)
            except ValueError:
                return f"{value!r} is not a date written as {self.date_format}"
        if self.check is not None:
            return self.check(value)
        return None


@dataclass(frozen=True)
class Row:
    """One row of a return's file: its values, and the record it came from (what to call it and
    where to put it right)."""

    values: dict[str, str]
    record: str = ""
    links: dict[str, str] = field(default_factory=dict)  # where to put each part right, by kind
    case_id: int | None = None


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the first row after the header
    column: str
    value: str
    problem: str
    fix: str
    record: str
    fix_url: str

    @property
    def message(self) -> str:
        return (
            f"{self.column} {self.problem}"
            if self.problem == "is missing"
            else f"{self.column}: {self.problem}"
        )


@dataclass(frozen=True)
class Schema:
    name: str
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def row(self, source, *, record: str = "", links: dict | None = None, case_id: int | None = None) -> Row:
        return Row(
            values={column.name: column.value(source) for column in self.columns},
            record=record,
            links=links or {},
            case_id=case_id,
        )

    def validate(self, rows: Iterable[Row]) -> list[RowError]:
        errors = []
        for number, row in enumerate(rows, start=1):
            for column in self.columns:
                value = row.values.get(column.name, "")
                if (problem := column.problem(value, row.values)) is not None:
                    errors.append(
                        RowError(
                            row=number,
                            column=column.name,
                            value=value,
                            problem=problem,
                            fix=column.fix,
                            record=row.record,
                            fix_url=row.links.get(column.fixed_at, ""),
                        )
                    )
        return errors


def validate(schema: Schema, rows: Iterable[Row]) -> list[RowError]:
    return schema.validate(rows)


@dataclass(frozen=True)
class Table:
    """One file of a return: its schema, and how its rows are read for a period and a scope of cases."""

    schema: Schema
    rows: Callable[..., list[Row]]  # rows(cases, period) -> [Row]


@dataclass(frozen=True)
class Return:
    slug: str
    title: str
    description: str
    tables: tuple[Table, ...]
    # The period a return covers when the page is opened without one: (today) -> (first, last).
    default_period: Callable[[dt.date], tuple[dt.date, dt.date]]

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.schema.name == name), None)


RETURNS: dict[str, Return] = {}


def register(a_return: Return) -> Return:
    RETURNS[a_return.slug] = a_return
    return a_return
