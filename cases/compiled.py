"""Reads whose SQL Django builds and compiles once a process, for the busiest pages.

Building a queryset and compiling it to SQL costs Django about 1-3 ms a read, whatever the rows:
a manager's "Needs you" makes nine reads, and that cost was most of the page. The SQL of such a
read is the same for every user and every day but for a few values (the user's id, today's
date), so it is written once as a function of named slots:

    @compiled_read
    def held_letters(*, manager, today):
        return Letter.objects.filter(case__team__manager_id=manager, held_on__lte=today).values_list(...)

    rows = held_letters(manager=user.pk, today=today)    # a list of tuples, as values_list gives

`compiled_objects` does the same for a read of one model's instances (a plain queryset: no
select_related, annotation or values), for a page that needs the records themselves.

The first call builds the queryset with a stand-in value no record holds for each slot, compiles
it, and keeps the SQL, where each stand-in sits among its parameters, and the columns' converters
(SQLite hands dates back as text). Every call then runs that SQL with its own values in those
places and converts the rows as Django would. A slot's value must be one parameter (an id, a
date, an aware datetime, a piece of text), never a list whose length varies; a read whose
stand-in does not appear among its parameters exactly where expected is refused when first
compiled, not run wrong.
"""

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Sequence

from django.db import connection
from django.utils import timezone

# Stand-ins no record holds, one per kind of value; a slot's number keeps two slots of one kind apart.
_INT = -7_340_000_000
_TEXT = "\x00slot-"


def _stand_in(kind: type, n: int):
    if kind is int:
        return _INT - n
    if kind is dt.datetime:
        return dt.datetime(1000 + n, 1, 1, tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.date(1000 + n, 1, 1)
    if kind is str:
        return f"{_TEXT}{n}"
    raise TypeError(f"A slot holds an int, a date, a time (datetime) or text, not {kind.__name__}")


def _adapt(value, kind: type):
    """A slot's value as the database's parameters hold it (SQLite keeps dates and times as text,
    times in UTC). A datetime is a date too: each is refused in the other's slot, where it would
    compare wrong rather than fail."""
    if kind is dt.datetime:
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            raise TypeError("A time slot holds an aware datetime")
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.datetime):
        raise TypeError("A date slot holds a date, not a datetime")
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _Compiled:
    def __init__(self, build: Callable, kinds: dict[str, type], *, objects: bool = False):
        stand_ins = {name: _stand_in(kind, n) for n, (name, kind) in enumerate(kinds.items())}
        queryset = build(**stand_ins)
        query = queryset.query
        if objects and (
            queryset._fields is not None or query.select_related or query.annotations or query.extra
        ):
            raise ValueError(f"{build.__qualname__}: a plain queryset of one model's records")
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        if tuple(queryset._fields or ()) != names:
            # values_list() would reorder the columns; the rows here come back as selected.
            raise ValueError(f"{build.__qualname__}: list the columns as selected: {names}")
        compiler = query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.kinds = kinds
        adapted = {name: _adapt(value, kinds[name]) for name, value in stand_ins.items()}
        self.places = {
            name: [n for n, p in enumerate(self.params) if p == value] for name, value in adapted.items()
        }
        missing = [name for name, places in self.places.items() if not places]
        if missing:
            raise ValueError(f"{build.__qualname__}: the SQL does not use {', '.join(missing)}")
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())
        self.model = queryset.model
        # The fields in the order selected, as Django's own iterable hands them to Model.from_db.
        self.attnames = [column.target.attname for column in fields] if objects else None

    def objects(self, values: dict) -> list:
        return [self.model.from_db(connection.alias, self.attnames, row) for row in self.run(values)]

    def run(self, values: dict) -> list[tuple]:
        params = list(self.params)
        for name, places in self.places.items():
            value = _adapt(values[name], self.kinds[name])
            for n in places:
                params[n] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters or not rows:
            return [tuple(row) for row in rows]
        # Column by column: a read of hundreds of rows converts each column in one comprehension
        # rather than each value through nested loops (the dashboard's 500 episodes: a third of
        # the read's time in Python).
        columns = list(zip(*rows, strict=True))
        for n, (converters, expression) in self.converters:
            column = columns[n]
            for convert in converters:
                column = [convert(value, expression, connection) for value in column]
            columns[n] = column
        return list(zip(*columns, strict=True))


def _compiled(build: Callable, *, objects: bool) -> Callable[..., list]:
    annotations = inspect.get_annotations(build, eval_str=True)
    kinds = {name: kind for name, kind in annotations.items() if name != "return"}
    compiled: dict[str, _Compiled] = {}

    @functools.wraps(build)
    def read(**values) -> list:
        if set(values) != set(kinds):
            raise TypeError(f"{build.__qualname__} takes {', '.join(kinds)}")
        found = compiled.get(connection.vendor)
        if found is None:
            found = compiled[connection.vendor] = _Compiled(build, kinds, objects=objects)
        return found.objects(values) if objects else found.run(values)

    read.build = build  # the queryset itself, for a test that compares the two
    return read


def compiled_read(build: Callable) -> Callable[..., list[tuple]]:
    """`build(**slots)` returns a values_list queryset; the read runs its SQL, compiled once per
    database (the SQL is the database's own), with each call's values. The slots' kinds come from
    `build`'s annotations (int, datetime.date, datetime.datetime or str)."""
    return _compiled(build, objects=False)


def compiled_objects(build: Callable) -> Callable[..., list]:
    """`build(**slots)` returns a plain queryset of one model; the read gives its records, as
    iterating the queryset would, from SQL compiled once per database (as `compiled_read`)."""
    return _compiled(build, objects=True)


def record_from(model: type, names: Sequence[str], values: Sequence) -> object:
    """A model record from some of its columns, read by a compiled read (`names`: the fields'
    attnames, in any order, and their values), as Django makes one for `.only()`: any other field
    is read from the database if asked for, never left at a default."""
    given = dict(zip(names, values, strict=True))
    # Model.from_db takes the values in the model's own order of fields, whatever the names say.
    ordered = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    if len(ordered) != len(given):
        unknown = ", ".join(sorted(set(given) - set(ordered)))
        raise ValueError(f"{model.__name__} has no field {unknown}")
    return model.from_db(connection.alias, ordered, tuple(given[name] for name in ordered))
