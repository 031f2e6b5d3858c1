"""The staff interface marks its words for translation, so a Welsh interface can follow (issue 23).

The issue: "the staff interface marks its strings for translation (Django's i18n) so a Welsh
interface can follow." The interface still renders in English (LocaleMiddleware stays out; see
tests/cases/test_written_language.py::test_the_interface_stays_english_and_documents_can_be_welsh);
this only checks that each finished template loads i18n and leaves no words outside
{% translate %} / {% blocktranslate %}.

Not checked here: text inside <script>, <style> and <svg> (code and drawings, not sentences),
HTML comments, and strings passed to tags other than the readable arguments of {% include %}
(INCLUDE_TEXT: those take _("...")).
"""

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Files or directories (under templates/) whose words are all marked. Grows as the work goes on.
MARKED = (
    "base.html",
    "layouts",
    "includes",
    "gds",
    "403.html",
    "404.html",
    "500.html",
    "403_csrf.html",
    "cases",
    "engagement",
    "insight",
    "flowchart",
    "riskassessment",
    "practice",
    "socialwork",
    "subject_access",
    "account",
    "allauth",
    "mfa",
)

# Words that stay as they are in every language. Keep this short.
ALLOWED_WORDS = frozenset()

# The placeholder left where a template tag or variable stood.
GAP = "\x00"

READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")

# Arguments to {% include %} that the included template shows to people.
INCLUDE_TEXT = (
    "caption",
    "empty",
    "heading",
    "label",
    "hint",
    "first",
    "second",
    "scroll_label",
    "submit",
    "row_title",
    "formset_label",
    "action_column",
    "chart_title",
    "what",
)

_SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def _templates():
    for entry in MARKED:
        path = TEMPLATES / entry
        if path.is_dir():
            yield from sorted(path.rglob("*.html"))
        else:
            yield path


def untranslated_text(source):
    """The template's text outside translation (and comment) blocks; each tag or variable is a GAP."""
    pieces = []
    closing = None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            closing = _SKIPPED_BLOCKS.get(token.contents.split()[0])
        pieces.append(GAP)
    return "".join(pieces)


def untranslated_include_arguments(source):
    """Readable {% include %} arguments given as bare strings rather than _("...")."""
    found = []
    closing = None
    pattern = re.compile(rf"""\b({"|".join(INCLUDE_TEXT)})=("[^"]*"|'[^']*')""")
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        word = token.contents.split()[0]
        if closing:
            closing = None if word == closing else closing
        elif word in _SKIPPED_BLOCKS:
            closing = _SKIPPED_BLOCKS[word]
        elif word == "include":
            found += [f"{name}={value}" for name, value in pattern.findall(token.contents) if _words(value)]
    return found


def _without_code(text):
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    for element in ("script", "style", "svg"):
        text = re.sub(rf"<{element}\b.*?</{element}\s*>", " ", text, flags=re.S | re.I)
    return text


def _words(text):
    text = re.sub(r"&(#\d+|#x[0-9a-f]+|[a-z]+\d*);", " ", text, flags=re.I)
    return [word for word in re.findall(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*", text) if word not in ALLOWED_WORDS]


def bare_words(source):
    """Words a reader sees that no translation tag holds: in the page, and in attributes people read."""
    text = _without_code(untranslated_text(source))
    found = []
    attributes = re.compile(rf"""\s({"|".join(READ_ATTRIBUTES)})\s*=\s*("[^"]*"|'[^']*')""", re.I)
    for name, value in attributes.findall(text):
        found += [f"{name}={word}" for word in _words(value)]
    for value in re.findall(r"""<input\b[^>]*\btype=["']?(?:submit|button|reset)[^>]*>""", text, re.I):
        shown = re.search(r"""\svalue\s*=\s*("[^"]*"|'[^']*')""", value)
        if shown:
            found += [f"value={word}" for word in _words(shown.group(1))]
    found += _words(re.sub(r"<[^>]*>", " ", text))
    return found + untranslated_include_arguments(source)


def test_the_marked_list_names_real_templates():
    for entry in MARKED:
        assert (TEMPLATES / entry).exists(), entry


@pytest.mark.parametrize("path", list(_templates()), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_each_marked_template_loads_i18n_and_leaves_no_words_untranslated(path):
    source = path.read_text()
    assert re.search(r"{%\s*load\s[^%]*\bi18n\b", source), f"{path.name} does not load i18n"
    assert bare_words(source) == []


def test_the_check_finds_words_in_text_and_read_attributes_but_not_in_code_or_translations():
    source = (
        '{% load i18n %}<p class="govuk-body">{% translate "Marked" %} Bare {{ name }}</p>'
        '<a href="{% url "x" %}" aria-label="Remove {{ name }}" title="{% translate "Fine" %}">'
        "{% blocktranslate with n=name %}Also {{ n }} fine{% endblocktranslate %}</a>"
        "<!-- note --><script>var words = 1;</script>{# comment #}"
        "{% comment %}Said nothing{% endcomment %}"
        '<input type="submit" value="Save"><img alt="Chart">&nbsp;&rsquo;'
        '{% include "t.html" with caption="Letters" empty=_("None yet") list_id="letters" %}'
    )
    assert sorted(bare_words(source)) == [
        "Bare",
        "alt=Chart",
        "aria-label=Remove",
        'caption="Letters"',
        "value=Save",
    ]
