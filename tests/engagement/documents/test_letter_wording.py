"""The letters' default wording says nothing a third party could read as a concern (issue 17)."""

import importlib

import pytest
from django.apps import apps

from engagement.documents.models import LetterStep, LetterTemplate

reword = importlib.import_module("engagement.migrations.0012_letter_wording_third_party_safe")

# What a reader other than the addressee (a perpetrator opening the post) could take as a sign
# that someone has raised a worry about the family.
TELLING = (
    "someone who cares",
    "asked us",
    "asked me",
    "worr",
    "concern",
    "refer",
    "school",
    "abuse",
    "safe",
    "support",
    "help",
    "social",
    "children",
    "child",
    "gp",
    "risk",
)


@pytest.mark.django_db
@pytest.mark.parametrize("step", LetterStep.values)
def test_the_default_wording_says_who_we_are_that_we_would_like_to_talk_and_how_to_reach_us(step):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us within
    5 days if they require support (if DV ensure your letter would not increase risk)"."""
    template = LetterTemplate.objects.get(step=step, language="en")
    text = f"{template.subject}\n{template.body}".lower()
    for word in TELLING:
        assert word not in text, (step, word)
    assert "{practitioner}" in template.body and "{organisation}" in template.body  # who we are
    assert "talk with you" in text  # that we would like to talk
    assert "ring me on" in text  # how to reach us
    if step == LetterStep.DAY_10:
        assert "within 5 days" in text


@pytest.mark.django_db
def test_the_migration_rewords_only_what_still_holds_the_seeded_wording():
    LetterTemplate.objects.filter(step=LetterStep.DAY_5, language="en").update(
        subject=reword.OLD_DAY_5_SUBJECT, body=reword.OLD_DAY_5
    )
    LetterTemplate.objects.filter(step=LetterStep.DAY_10, language="en").update(
        subject="Our letter", body=reword.OLD_DAY_10.replace("\n", "\r\n")
    )
    reword.reword(apps, None)
    day_5 = LetterTemplate.objects.get(step=LetterStep.DAY_5, language="en")
    day_10 = LetterTemplate.objects.get(step=LetterStep.DAY_10, language="en")
    assert (day_5.subject, day_5.body) == (reword.DAY_5_SUBJECT, reword.DAY_5)
    assert day_10.subject == "Our letter"  # an admin's own heading stays
    assert day_10.body == reword.DAY_10

    LetterTemplate.objects.filter(step=LetterStep.DAY_5, language="en").update(body="An admin's own words.")
    reword.reword(apps, None)
    assert LetterTemplate.objects.get(step=LetterStep.DAY_5, language="en").body == "An admin's own words."
    reword.restore(apps, None)
    assert LetterTemplate.objects.get(step=LetterStep.DAY_10, language="en").body == reword.OLD_DAY_10
    assert LetterTemplate.objects.get(step=LetterStep.DAY_5, language="en").body == "An admin's own words."
