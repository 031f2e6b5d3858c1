"""A signed-in admin driving the real admin pages, and helpers to read what the pages say."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from tests.factories import AdminFactory
from tests.factories.flowchart import ensure_pathways

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def pathways(db):
    ensure_pathways()


@pytest.fixture
def admin_user(db):
    return AdminFactory(full_name="Sam Systemowner", email="sam.systemowner@example.test")


@pytest.fixture
def admin_client(client, admin_user, pathways):
    client.force_login(admin_user)
    return client


def form_data(response) -> dict:
    """What the admin add or change page would post back unchanged, inlines included."""
    data = {}

    def add(form, name):
        value = form[name].value()
        if value is None:
            return
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
        elif isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(v) for v in value]
        elif isinstance(value, dt.time):
            data[form.add_prefix(name)] = f"{value:%H:%M}"
        else:
            data[form.add_prefix(name)] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        add(form, name)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(n): management[n].value() for n in management.fields}
        for inline_form in formset.forms:
            for name in inline_form.fields:
                add(inline_form, name)
    return data


def page_errors(response) -> str:
    """Every error message on an admin form page, as one string."""
    assert response.status_code == 200, f"expected the form again with its errors, got {response.status_code}"
    messages = [str(e) for e in response.context["adminform"].form.non_field_errors()]
    for field_errors in response.context["adminform"].form.errors.values():
        messages += [str(e) for e in field_errors]
    for inline in response.context.get("inline_admin_formsets", []):
        messages += [str(e) for e in inline.formset.non_form_errors()]
        for form_errors in inline.formset.errors:
            for field_errors in form_errors.values():
                messages += [str(e) for e in field_errors]
    return "\n".join(messages)


def shows(response, message: str) -> bool:
    """The message is in the page as the admin sees it, not only in the form object."""
    return escape(message) in response.content.decode()


def assert_refused(response, message: str) -> None:
    errors = page_errors(response)
    assert message in errors, errors
    assert shows(response, message)


def last_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()
