"""The two ways a letter starts ask the same questions (which letter, to whom) and each says, when
one is missed, what to do in its own words; a letter written elsewhere then asks what it says."""

import pytest

from cases.models import PersonKind
from engagement.documents.forms import LetterOutsideForm, LetterStartForm
from tests.factories import AdultFactory, CaseFactory


@pytest.mark.django_db
def test_a_letter_started_here_and_one_written_elsewhere_ask_which_letter_in_their_own_words():
    case = CaseFactory()

    started = LetterStartForm(data={}, case=case)
    outside = LetterOutsideForm(data={}, case=case)

    assert not started.is_valid() and not outside.is_valid()
    assert started.errors["step"] == ["Select which letter to send"]
    assert outside.errors["step"] == ["Select which letter it is"]
    assert list(started.fields) == ["step", "recipient"]
    assert list(outside.fields) == ["step", "recipient", "address", "subject", "body"]
    assert outside.errors["address"] == ["Enter the postal address"]


@pytest.mark.django_db
def test_both_offer_only_the_adults_of_this_family():
    case = CaseFactory()
    adult = AdultFactory(case=case)
    AdultFactory()  # another family's adult

    for form in (LetterStartForm(case=case), LetterOutsideForm(case=case)):
        offered = list(form.fields["recipient"].queryset)
        assert offered == [adult]
        assert all(person.kind == PersonKind.ADULT for person in offered)
