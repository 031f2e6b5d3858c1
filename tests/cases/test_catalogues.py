"""Translation lookups skip the empty catalogues chained behind a language's (cases/catalogues.py)."""

from django.utils import translation
from django.utils.translation import trans_real

from cases.catalogues import _is_empty


def _chain(catalogue):
    found = []
    while (catalogue := catalogue._fallback) is not None:
        found.append(catalogue)
    return found


def _messages(catalogue):
    """Every msgid a catalogue and those behind it hold (plural forms as their singular)."""
    found = set()
    for each in [catalogue, *_chain(catalogue)]:
        keys = set(each._catalog.keys()) if hasattr(each, "_catalog") else set()
        found |= {key[0] if isinstance(key, tuple) else key for key in keys}
    return found - {""}


def test_the_english_chain_has_no_empty_catalogue_left():
    """Built afresh, en-GB's translation has six empty `en` catalogues behind it (admin, auth,
    contenttypes, sessions, humanize, allauth); the one the service uses has none."""
    fresh = trans_real.DjangoTranslation("en-gb")
    assert sum(_is_empty(c) for c in _chain(fresh)) >= 1

    assert not any(_is_empty(c) for c in _chain(trans_real.translation("en-gb")))


def test_every_english_message_and_a_missing_one_answer_as_before():
    live = trans_real.translation("en-gb")
    fresh = trans_real.DjangoTranslation("en-gb")
    messages = _messages(fresh) | {"A sentence no catalogue holds"}
    assert len(messages) > 100  # Django's own en_GB messages, at least

    for message in messages:
        assert live.gettext(message) == fresh.gettext(message), message
    assert live.ngettext("%(n)d family", "%(n)d families", 2) == "%(n)d families"


def test_welsh_still_translates_and_falls_back_to_english_for_what_it_lacks():
    with translation.override("cy"):
        assert translation.gettext("First language") == "Iaith gyntaf"
        assert translation.gettext("A sentence no catalogue holds") == "A sentence no catalogue holds"
