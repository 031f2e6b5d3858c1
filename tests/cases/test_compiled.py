"""Reads compiled once a process (`cases.compiled`): the same rows as the queryset, every call."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.compiled import compiled_objects, compiled_read, record_from
from cases.models import Case, Person, User
from tests.factories import CaseFactory, ChildFactory, PractitionerFactory


@compiled_read
def _cases_referred(*, lead: int, since: dt.date):
    return (
        Case.objects.filter(lead_practitioner_id=lead, referral_date__gte=since)
        .order_by("referral_date", "pk")
        .values_list("pk", "reference", "referral_date", "lead_practitioner__full_name")
    )


@compiled_read
def _children_of(*, case: int, name: str):
    return Person.objects.filter(case_id=case, full_name=name).values_list(
        "pk", "date_of_birth", "safe_contact"
    )


@pytest.mark.django_db
def test_each_call_runs_with_its_own_values_and_matches_the_queryset():
    one, two = PractitionerFactory(full_name="Sam One"), PractitionerFactory(full_name="Jo Two")
    early = CaseFactory(lead_practitioner=one, referral_date=dt.date(2026, 3, 2))
    late = CaseFactory(lead_practitioner=one, referral_date=dt.date(2026, 5, 4))
    theirs = CaseFactory(lead_practitioner=two, referral_date=dt.date(2026, 4, 1))

    rows = _cases_referred(lead=one.pk, since=dt.date(2026, 1, 1))
    assert rows == [
        (early.pk, early.reference, dt.date(2026, 3, 2), "Sam One"),
        (late.pk, late.reference, dt.date(2026, 5, 4), "Sam One"),
    ]
    # Another user and another day: the SQL compiled on the first call takes the new values.
    assert _cases_referred(lead=one.pk, since=dt.date(2026, 4, 1)) == [
        (late.pk, late.reference, dt.date(2026, 5, 4), "Sam One")
    ]
    assert _cases_referred(lead=two.pk, since=dt.date(2026, 1, 1)) == [
        (theirs.pk, theirs.reference, dt.date(2026, 4, 1), "Jo Two")
    ]
    assert _cases_referred(lead=two.pk, since=dt.date(2026, 1, 1)) == list(
        _cases_referred.build(lead=two.pk, since=dt.date(2026, 1, 1))
    )


@pytest.mark.django_db
def test_rows_are_converted_as_django_converts_them():
    """Dates come back as dates and JSON as Python values on every database (SQLite hands both
    back as text)."""
    child = ChildFactory(full_name="Ava Stone", date_of_birth=dt.date(2019, 6, 1), safe_contact=["letter"])
    rows = _children_of(case=child.case_id, name="Ava Stone")
    assert rows == [(child.pk, dt.date(2019, 6, 1), ["letter"])]
    assert rows == list(_children_of.build(case=child.case_id, name="Ava Stone"))


@pytest.mark.django_db
def test_one_query_a_call_and_it_is_logged():
    lead = PractitionerFactory()
    CaseFactory(lead_practitioner=lead)
    _cases_referred(lead=lead.pk, since=dt.date(2000, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        _cases_referred(lead=lead.pk, since=dt.date(2000, 1, 1))
    assert len(queries) == 1


def test_a_read_must_be_called_with_exactly_its_slots():
    with pytest.raises(TypeError, match="lead, since"):
        _cases_referred(lead=1)


@pytest.mark.django_db
def test_a_slot_the_sql_does_not_use_is_refused_when_compiled():
    @compiled_read
    def unused(*, lead: int, since: dt.date):
        return Case.objects.filter(lead_practitioner_id=lead).values_list("pk")

    with pytest.raises(ValueError, match="does not use since"):
        unused(lead=1, since=dt.date(2026, 1, 1))


@pytest.mark.django_db
def test_columns_listed_out_of_their_selected_order_are_refused():
    """values_list() puts annotations after fields whatever the order named; the compiled read
    returns rows as selected, so it refuses a list that would be reordered."""
    from django.db.models import F

    @compiled_read
    def reordered(*, lead: int):
        return (
            Case.objects.filter(lead_practitioner_id=lead)
            .annotate(lead_name=F("lead_practitioner__full_name"))
            .values_list("lead_name", "pk")
        )

    with pytest.raises(ValueError, match="list the columns as selected"):
        reordered(lead=1)


def test_a_slot_of_another_kind_is_refused():
    with pytest.raises(TypeError, match="an int, a date, a time"):

        @compiled_read
        def by_amount(*, amount: float):
            return Case.objects.filter(pk__gte=amount).values_list("pk")

        by_amount(amount=1.5)


@compiled_read
def _cases_created_since(*, lead: int, since: dt.datetime):
    return (
        Case.objects.filter(lead_practitioner_id=lead, created_at__gte=since)
        .order_by("created_at")
        .values_list("pk", "created_at")
    )


@pytest.mark.django_db
def test_a_time_slot_compares_as_the_queryset_does_across_time_zones():
    """A datetime slot takes an aware time and compares it as Django would (SQLite keeps times as
    UTC text): 00:30 on a summer's day in London is 23:30 the day before in UTC."""
    lead = PractitionerFactory()
    london = ZoneInfo("Europe/London")
    before = CaseFactory(lead_practitioner=lead, created_at=dt.datetime(2026, 6, 30, 23, 59, tzinfo=london))
    after = CaseFactory(lead_practitioner=lead, created_at=dt.datetime(2026, 7, 1, 0, 30, tzinfo=london))
    midnight = dt.datetime(2026, 7, 1, tzinfo=london)

    rows = _cases_created_since(lead=lead.pk, since=midnight)
    assert rows == list(_cases_created_since.build(lead=lead.pk, since=midnight))
    assert [pk for pk, _at in rows] == [after.pk]
    assert rows[0][1] == after.created_at  # back as an aware datetime
    an_hour_earlier = midnight - dt.timedelta(hours=1)
    assert [pk for pk, _at in _cases_created_since(lead=lead.pk, since=an_hour_earlier)] == [
        before.pk,
        after.pk,
    ]


@pytest.mark.django_db
def test_a_naive_time_or_a_time_in_a_date_slot_is_refused():
    """A naive time would be read in the database's zone, and a datetime in a date slot would
    compare as text against a date: both refused rather than run wrong."""
    lead = PractitionerFactory()
    with pytest.raises(TypeError, match="aware datetime"):
        _cases_created_since(lead=lead.pk, since=dt.datetime(2026, 7, 1))
    with pytest.raises(TypeError, match="aware datetime"):
        _cases_created_since(lead=lead.pk, since=dt.date(2026, 7, 1))
    with pytest.raises(TypeError, match="not a datetime"):
        _cases_referred(lead=lead.pk, since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


@compiled_objects
def _people_of(*, case: int):
    return Person.objects.filter(case_id=case).order_by("full_name", "pk")


@pytest.mark.django_db
def test_a_compiled_read_of_records_gives_the_records_the_queryset_gives():
    case, other = CaseFactory(), CaseFactory()
    ChildFactory(case=case, full_name="Zara", date_of_birth=dt.date(2019, 4, 1))
    ChildFactory(case=case, full_name="Amir", date_of_birth=dt.date(2021, 6, 9))
    ChildFactory(case=other, full_name="Bea")

    for each in (case, other):
        found = _people_of(case=each.pk)
        expected = list(_people_of.build(case=each.pk))
        assert found == expected  # the same records, in the same order
        for found_record, same in zip(found, expected, strict=True):
            fields = [f.attname for f in Person._meta.concrete_fields]
            assert [getattr(found_record, f) for f in fields] == [getattr(same, f) for f in fields]
            assert not found_record._state.adding and found_record._state.db == "default"
    # Saved as a record read any other way would be: an update, not a second row.
    zara = _people_of(case=case.pk)[1]
    zara.school = "Oakfield Primary"
    zara.save()
    assert Person.objects.get(pk=zara.pk).school == "Oakfield Primary"
    assert Person.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_a_compiled_read_of_records_refuses_anything_but_a_plain_queryset():
    @compiled_objects
    def with_case(*, case: int):
        return Person.objects.filter(case_id=case).select_related("case")

    with pytest.raises(ValueError, match="plain queryset"):
        with_case(case=1)


@pytest.mark.django_db
def test_a_record_made_from_some_columns_reads_any_other_field_when_asked(django_assert_num_queries):
    case = CaseFactory(family_name="Okafor family")
    made = record_from(Case, ("id", "family_name"), (case.pk, case.family_name))
    with django_assert_num_queries(0):
        assert (made.pk, made.family_name) == (case.pk, "Okafor family")
    with django_assert_num_queries(1):
        assert made.reference == case.reference  # read, never a default
    assert made._state.adding is False and made == case


@pytest.mark.django_db
def test_a_record_takes_each_value_by_its_name_whatever_the_models_order_of_fields():
    """The model keeps `email` before `full_name`: named the other way round, each value still
    lands on its own field (Django's from_db alone would take them in the model's order)."""
    user = PractitionerFactory(full_name="Priya Patel", email="priya@example.test")
    made = record_from(User, ("full_name", "id", "email"), ("Priya Patel", user.pk, "priya@example.test"))
    assert (made.pk, made.full_name, made.email, str(made)) == (
        user.pk,
        "Priya Patel",
        "priya@example.test",
        "Priya Patel",
    )
    with pytest.raises(ValueError, match="User has no field nickname"):
        record_from(User, ("id", "nickname"), (user.pk, "Pri"))
