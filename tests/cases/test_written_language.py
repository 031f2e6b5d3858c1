"""Each person's language for letters and written information, asked and recorded (issue 23).

Issue 23: "each person's preferred language (and whether they need an interpreter) is asked and
recorded"; "Welsh councils must ask a person's language and send system-generated letters in
Welsh". Coventry 001: "Consider language barriers".
"""

import gettext
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.models import Person, WrittenLanguage
from tests.factories import AdultFactory

# What docs/language.md's makemessages leaves out: code that is not the product's. The
# JavaScript's pass reads static/js, and leaves out the vendored libraries beside it.
MAKEMESSAGES_IGNORE = {
    "django": ["tests", "var", "static", "bench", "node_modules", "docs"],
    "djangojs": [
        "tests",
        "var",
        "static/vendor",
        "static/govuk",
        "staticfiles",
        "bench",
        "node_modules",
        "docs",
    ],
}
DOMAINS = list(MAKEMESSAGES_IGNORE)


def _checked(page: str) -> str:
    """The value of the language-for-letters radio that is checked."""
    (value,) = re.findall(r'name="written_language"[^>]*?value="(\w+)"\s*checked', page)
    return value


def test_the_adult_form_asks_the_language_for_letters_in_plain_words(lead_client, case):
    url = reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "adult"})
    page = lead_client.get(url).content.decode()

    assert "Which language would they like letters and written information in?" in page
    for label in ("English", "Welsh (Cymraeg)", "Another language"):
        assert label in page
    assert _checked(page) == "en"


def test_the_person_form_records_the_choice_and_the_case_page_shows_it(lead_client, case):
    url = reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "adult"})
    data = {
        "full_name": "Rhian Okafor",
        "lives_in_household": "True",
        "language": "Welsh",
        "written_language": "cy",
    }

    assert lead_client.post(url, data).status_code == 302

    rhian = Person.objects.get(full_name="Rhian Okafor")
    assert rhian.written_language == WrittenLanguage.WELSH
    page = lead_client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    assert "Letters in" in page and "Welsh (Cymraeg)" in page

    edit = reverse("cases:person_edit", kwargs={"case_pk": case.pk, "pk": rhian.pk})
    assert _checked(lead_client.get(edit).content.decode()) == "cy"
    assert lead_client.post(edit, {**data, "written_language": "en"}).status_code == 302
    rhian.refresh_from_db()
    assert rhian.written_language == WrittenLanguage.ENGLISH
    assert list(rhian.history.order_by("history_date").values_list("written_language", flat=True)) == [
        "cy",
        "en",
    ]


def test_a_post_without_the_choice_keeps_what_was_recorded(lead_client, case):
    rhian = AdultFactory(case=case, full_name="Rhian Okafor", written_language=WrittenLanguage.WELSH)
    edit = reverse("cases:person_edit", kwargs={"case_pk": case.pk, "pk": rhian.pk})

    response = lead_client.post(edit, {"full_name": "Rhian Okafor", "lives_in_household": "True"})

    assert response.status_code == 302
    rhian.refresh_from_db()
    assert rhian.written_language == WrittenLanguage.WELSH


def test_an_unknown_choice_is_refused_with_a_message(lead_client, case, lead):
    url = reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "adult"})
    response = lead_client.post(
        url, {"full_name": "Rhian Okafor", "lives_in_household": "True", "written_language": "fr"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(full_name="Rhian Okafor").exists()
    with pytest.raises(services.CaseError, match="Select the language they would like letters in"):
        services.person_add(case=case, by=lead, kind="adult", full_name="Rhian", written_language="fr")


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_welsh_catalogue_is_compiled_from_its_source(tmp_path, domain):
    """The .mo shipped beside the .po says the same: a change to the Welsh must be compiled."""
    (locale,) = settings.LOCALE_PATHS
    source = Path(locale) / "cy" / "LC_MESSAGES" / f"{domain}.po"
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(source)], check=True)
    with open(compiled, "rb") as fresh, open(source.with_suffix(".mo"), "rb") as shipped:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(shipped)._catalog


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_welsh_catalogue_offers_every_marked_string(tmp_path, monkeypatch, domain):
    """Every string the code, templates and JavaScript mark is in the committed .po, for a
    translator to see: `django` for the Python and templates, `djangojs` for static/js.

    Issue 23: "the staff interface marks its strings for translation (Django's i18n) so a Welsh
    interface can follow." A marked string missing from the catalogue can never be translated.
    This runs makemessages, as docs/language.md says, into a copy of the locale directory.
    """
    (locale,) = settings.LOCALE_PATHS
    copy = tmp_path / "locale"
    (copy / "cy" / "LC_MESSAGES").mkdir(parents=True)
    committed = Path(locale) / "cy" / "LC_MESSAGES" / f"{domain}.po"
    (copy / "cy" / "LC_MESSAGES" / f"{domain}.po").write_bytes(committed.read_bytes())
    monkeypatch.setattr(settings, "LOCALE_PATHS", [str(copy)])
    monkeypatch.chdir(settings.BASE_DIR)
    # Leaving out the real locale directory too: makemessages writes into any `locale` it walks past.
    ignored = [*MAKEMESSAGES_IGNORE[domain], str(Path(locale).relative_to(settings.BASE_DIR))]
    call_command("makemessages", locale=["cy"], domain=domain, ignore_patterns=ignored, verbosity=0)
    # msgcmp names each string of the fresh catalogue that the committed one does not define.
    compared = subprocess.run(
        ["msgcmp", "--use-untranslated", str(committed), str(copy / "cy" / "LC_MESSAGES" / f"{domain}.po")],
        capture_output=True,
        text=True,
    )
    missing = "\n".join(compared.stderr.splitlines()[:20])
    assert compared.returncode == 0, "run makemessages (docs/language.md) and commit the .po\n" + missing


def test_the_interface_stays_english_and_documents_can_be_welsh():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    with translation.override("cy"):
        assert translation.gettext("We would hope you can") == "Rydym yn gobeithio y gallwch chi"


def test_the_interface_s_javascript_has_its_words_from_the_catalogue_before_it_runs(lead_client):
    """static/js says its words through gettext and ngettext (the djangojs catalogue): the
    catalogue answers a signed-in person, and every page loads it before the scripts that use it
    (deferred scripts run in the order they are written)."""
    catalogue_url = reverse("javascript_catalog")
    catalogue = lead_client.get(catalogue_url)
    assert catalogue.status_code == 200
    assert catalogue["Content-Type"].startswith("text/javascript")
    assert "globals.ngettext = django.ngettext" in catalogue.content.decode()

    page = lead_client.get(reverse("today:my_work")).content.decode()
    loaded = page.index(f'<script src="{catalogue_url}"')
    assert loaded < page.index("js/timeout-warning.js")
    assert loaded < page.index("js/drafts.js") and loaded < page.index("js/device.js")
    offline = lead_client.get(reverse("today:offline")).content.decode()
    assert offline.index(f'<script src="{catalogue_url}"') < offline.index("js/offline.js")
