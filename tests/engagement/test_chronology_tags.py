"""The chronology's date filters print what Django's `date` filter would."""

import datetime as dt

import pytest
from django.template import Context, Template

MOMENTS = [
    dt.datetime(2026, 11, 3, 9, 5, tzinfo=dt.UTC),  # GMT, a one-digit day
    dt.datetime(2026, 7, 24, 23, 30, tzinfo=dt.UTC),  # BST: the next day in London
    dt.datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=dt.UTC),  # the hour the clocks change
    dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_same_text_as_the_date_filter(moment):
    rendered = Template(
        "{% load chronology_tags %}"
        "{{ at|local_iso }}|{{ at|date:'c' }}|{{ at|local_short }}|{{ at|date:'D j M Y, H:i' }}"
    ).render(Context({"at": moment}))
    iso, django_iso, short, django_short = rendered.split("|")
    assert iso == django_iso
    assert short == django_short


def test_nothing_prints_as_nothing():
    assert (
        Template("{% load chronology_tags %}[{{ at|local_iso }}{{ at|local_short }}]").render(
            Context({"at": None})
        )
        == "[]"
    )
