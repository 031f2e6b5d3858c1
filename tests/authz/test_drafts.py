"""Drafts across the authorization matrix: every role × every form page that saves drafts.

A draft is case content kept for the one person who typed it (cases/drafts.py). For each page of
the matrix whose form saves drafts, the first of its allowed roles saves one; then every other
role (and the anonymous) tries to read it and to save over it. Nobody else ever sees its text:
those the page refuses get the page's own answer (404, or sign in) and save nothing; those it
allows get only their own draft, never the author's.
"""

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from cases.drafts import DRAFT_FIELD
from cases.models import Draft
from tests.audit.world import full_world

from .test_matrix import ENTRIES, _expect, _outcome
from .world import ROLES

MARK = "Only the author may ever read this draft 7f3a"
TEXTAREA = re.compile(r'<textarea[^>]*\bname="([^"]+)"')


class _Hidden(HTMLParser):
    """The page's hidden fields (a formset's counts, the record's version), as the browser posts them."""

    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


@pytest.fixture
def world(db):
    return full_world()


def _sign_in(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])


def _drafted_pages(world, client):
    """(name, url, author, fields) of every matrix page whose form saves drafts."""
    pages = []
    for name, entry in sorted(ENTRIES.items()):
        if "POST" not in entry.methods or not entry.allowed:
            continue
        url = reverse(name, kwargs=entry.kwargs(world))
        author = next(role for role in ROLES if role in entry.allowed)
        _sign_in(client, world, author)
        html = client.get(url).content.decode()
        names = TEXTAREA.findall(html)
        if "data-draft" in html and names:
            hidden = _Hidden()
            hidden.feed(html)
            pages.append((name, url, author, hidden.fields | dict.fromkeys(names, MARK)))
    return pages


def names_of(fields):
    return [key for key, value in fields.items() if value == MARK]


def test_nobody_but_its_author_reads_or_replaces_a_draft(world, client):
    pages = _drafted_pages(world, client)
    assert len(pages) >= 15, [name for name, *_ in pages]
    wrong = []
    for name, url, author, fields in pages:
        with transaction.atomic():
            _sign_in(client, world, author)
            assert client.post(url, {**fields, DRAFT_FIELD: "save"}).status_code == 204, name
            assert MARK in client.get(url).content.decode(), f"{name}: not restored for its author"
            for role in ROLES:
                if role == author:
                    continue
                _sign_in(client, world, role)
                read = client.get(url)
                if MARK in read.content.decode():
                    wrong.append(f"{role} GET {url}: sees {author}'s draft")
                saved = client.post(url, {"notes": "another's", DRAFT_FIELD: "save"})
                got, expected = _outcome(saved), _expect(ENTRIES[name], role)
                if got != expected:
                    wrong.append(f"{role} saves a draft on {url}: expected {expected}, got {got}")
                theirs = Draft.objects.filter(path=url, user=world.users.get(role))
                if expected != "ok" and theirs.exists():
                    wrong.append(f"{role} saved a draft on {url}, a page they may not open")
            authors = Draft.objects.get(path=url, user=world.users[author])
            if authors.fields[names_of(fields)[0]] != [MARK]:
                wrong.append(f"{name}: the author's draft was changed by someone else")
            transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)
