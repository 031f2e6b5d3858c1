"""The authorization matrix: every URL in the project × anonymous and every role.

URLs are read from the resolver, so a new URL without an entry here fails the build. Denied
answers must be 404, the same as for a missing object. The methods each URL accepts are read from
its view (`cases.http.accepts`), never written here: every one is checked for every role, and
every other method must answer 405 to everyone.
"""

import dataclasses
import importlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.http import http_methods
from tests import authz

from .world import ROLES, build_world

MATRIX_MODULES = [
    importlib.import_module(f"tests.authz.{m.name}")
    for m in pkgutil.iter_modules(authz.__path__)
    if m.name.startswith("matrix_")
]
# Third-party URL sets, judged by rule rather than one entry each.
ADMIN_PREFIX = "admin/"
ACCOUNTS_PREFIX = "accounts/"
# Methods a browser sends to our pages; anything else (PUT, DELETE...) is refused by the same rule.
METHODS = ("GET", "POST")


def url_patterns(resolver=None, namespace="", prefix=""):
    """(name, route, view) for every URL pattern in the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, route, pattern.callback


def is_third_party(route: str) -> bool:
    return route.startswith((ADMIN_PREFIX, ACCOUNTS_PREFIX))


OWN_VIEWS = {name or route: view for name, route, view in url_patterns() if not is_third_party(route)}
OWN_PATTERNS = sorted(OWN_VIEWS)
VIEW_METHODS = {name: tuple(sorted(http_methods(view))) for name, view in OWN_VIEWS.items()}
ENTRIES = {
    name: dataclasses.replace(entry, methods=VIEW_METHODS.get(name, ()))
    for module in MATRIX_MODULES
    for name, entry in module.ENTRIES.items()
}


def test_every_view_declares_its_methods():
    """Each view says which methods it is for, so nothing answers a method it was not written for."""
    undeclared = sorted(name for name, methods in VIEW_METHODS.items() if not methods)
    unusual = sorted(name for name, methods in VIEW_METHODS.items() if set(methods) - set(METHODS))
    assert not undeclared, (
        f"Views that accept any method (decorate them with cases.http.accepts): {undeclared}"
    )
    assert not unusual, f"Views accepting methods the matrix does not check: {unusual}"


def test_every_url_has_a_matrix_entry():
    missing = sorted(set(OWN_PATTERNS) - set(ENTRIES))
    stale = sorted(set(ENTRIES) - set(OWN_PATTERNS))
    assert not missing, f"URLs with no authorization matrix entry: {missing}"
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db):
    world = build_world()
    for module in MATRIX_MODULES:
        module.extend_world(world)
    return world


def _expect(entry, role):
    if role == "anonymous":
        return "ok" if entry.public else "login"
    return "ok" if role in entry.allowed else "404"


def _outcome(response):
    if response.status_code == 404:
        return "404"
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    if response.status_code in (200, 201, 204, 302, 303):  # 201: saved; 204: done, nothing to show
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_matrix(name, world, client):
    entry = ENTRIES[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    wrong = []
    assert entry.methods, f"{name}: its view declares no methods"
    for role in ROLES:
        for method in METHODS:
            if method not in entry.methods:
                client.logout()
                if role != "anonymous":
                    client.force_login(world.users[role])
                response = client.generic(method, url)
                if response.status_code != 405:
                    wrong.append(f"{role} {method} {url}: expected 405, got {response.status_code}")
                continue
            # Each role starts from the same world: whatever one POST changes is rolled back.
            with transaction.atomic():
                client.logout()
                if role != "anonymous":
                    client.force_login(world.users[role])
                if method == "GET":
                    response = client.get(url, headers=entry.headers(world))
                elif entry.content_type:
                    response = client.post(
                        url, entry.data(world), content_type=entry.content_type, headers=entry.headers(world)
                    )
                else:
                    response = client.post(url, entry.data(world), headers=entry.headers(world))
                got, expected = _outcome(response), _expect(entry, role)
                if got != expected:
                    wrong.append(f"{role} {method} {url}: expected {expected}, got {got}")
                transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)


def _fill(route_kwargs):
    dummy = {"app_label": "cases", "object_id": "1", "content_type_id": "1"}
    return {key: dummy.get(key, "x") for key in route_kwargs}


def _third_party_urls():
    urls = []
    for name, route, _ in url_patterns():
        if not name or not is_third_party(route):
            continue
        pattern = get_resolver().reverse_dict.getlist(name.split(":")[-1])
        try:
            urls.append((name, reverse(name)))
        except Exception:
            keys = []
            for possibility, *_ in pattern:
                keys = possibility[0][1]
                break
            try:
                urls.append((name, reverse(name, kwargs=_fill(keys))))
            except Exception:
                continue
    return sorted(set(urls))


THIRD_PARTY = _third_party_urls()


def test_third_party_urls_are_enumerated():
    admin = [n for n, _ in THIRD_PARTY if n.startswith("admin:")]
    accounts = [n for n, _ in THIRD_PARTY if not n.startswith("admin:")]
    assert len(admin) > 20 and len(accounts) > 10


@pytest.mark.parametrize(("name", "url"), THIRD_PARTY)
def test_third_party_matrix(name, url, world, client):
    """The admin is for admins only; sign-in pages never fail, whoever asks."""
    wrong = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = client.get(url)
        status = response.status_code
        if status == 405:  # a POST-only page (sign out) refuses a GET from anyone
            continue
        if name.startswith("admin:"):
            if role == "admin":
                ok = status < 500  # a malformed admin request may be refused, never crash
            else:
                # Wherever the admin redirects them, they end at sign-in or at a 404.
                final = client.get(url, follow=True)
                ok = final.status_code == 404 or (
                    role == "anonymous" and final.request["PATH_INFO"] == reverse("account_login")
                )
        else:
            ok = status < 500 and not (role == "anonymous" and status == 200 and "mfa" in name)
        if not ok:
            wrong.append(f"{role} GET {url}: {status}")
    assert not wrong, "\n".join(wrong)
