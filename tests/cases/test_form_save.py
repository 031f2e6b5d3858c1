"""A posted form reaches its service one way: cases.forms.form_save.

Common rules for bad input: a GOV.UK-style error message that says what to do, keeping what the
user typed. A service's refusal becomes the form's error at the top of the page; nothing else.
"""

import pytest
from django import forms
from django.test import RequestFactory

from cases.concurrency import EditConflict
from cases.forms import Saved, form_save


class RefusedError(Exception):
    pass


class ReasonForm(forms.Form):
    reason = forms.CharField(error_messages={"required": "Enter the reason"})


def _post(**data):
    return RequestFactory().post("/", data)


def test_a_valid_post_is_saved_and_gives_the_services_answer():
    request = _post(reason="The family moved away")
    form = ReasonForm(request.POST)

    saved = form_save(request, form, lambda data: f"recorded: {data['reason']}", errors=RefusedError)

    assert saved == Saved("recorded: The family moved away")
    assert not form.errors


def test_a_service_that_answers_nothing_still_counts_as_saved():
    request = _post(reason="Moved")

    assert form_save(request, ReasonForm(request.POST), lambda data: None, errors=RefusedError)


@pytest.mark.parametrize(
    "refusal", [RefusedError("Ask the line manager first"), EditConflict("Someone else saved")]
)
def test_a_refusal_is_the_forms_error_and_what_was_typed_stays(refusal):
    request = _post(reason="Moved")
    form = ReasonForm(request.POST)

    def refuse(data):
        raise refusal

    assert form_save(request, form, refuse, errors=RefusedError) is None
    assert form.non_field_errors() == [str(refusal)]
    assert form["reason"].value() == "Moved"


def test_an_error_it_was_not_told_of_is_not_swallowed():
    request = _post(reason="Moved")

    def fail(data):
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        form_save(request, ReasonForm(request.POST), fail, errors=RefusedError)


def test_a_page_shown_or_a_form_with_errors_calls_no_service():
    called = []
    shown = RequestFactory().get("/")
    blank = _post(reason="")

    assert form_save(shown, ReasonForm(), called.append, errors=RefusedError) is None
    assert form_save(blank, ReasonForm(blank.POST), called.append, errors=RefusedError) is None
    assert called == []
