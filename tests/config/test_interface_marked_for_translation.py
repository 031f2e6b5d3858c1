"""The staff interface marks its words for translation, so a Welsh interface can follow (issue 23).

The issue: "the staff interface marks its strings for translation (Django's i18n) so a Welsh
interface can follow." The interface still renders in English (LocaleMiddleware stays out; see
tests/cases/test_written_language.py::test_the_interface_stays_english_and_documents_can_be_welsh);
this checks that each finished template loads i18n and leaves no words outside
{% translate %} / {% blocktranslate %}, and that what it marks a translator can translate: plurals
through {% blocktranslate count %}, and a sentence with a link or other inline element in it as
one whole message rather than pieces either side of the element.

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
    "columns",
    "row_name",
    "add_first",
    "add_another",
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


def test_no_marked_template_uses_pluralize():
    """Plurals go through {% blocktranslate count %}: Welsh has more plural forms than English (the
    catalogue's Plural-Forms header gives four; CLDR counts six), and `pluralize` only knows
    English's two (and puts English endings on words a translator has translated)."""
    using = [
        str(path.relative_to(TEMPLATES))
        for path in _templates()
        if re.search(r"\|\s*pluralize\b", path.read_text())
    ]
    assert using == []


# Elements that sit inside a sentence: a translator has to see them in the sentence to place them.
INLINE = "a|strong|em|span|code|b"

_TRANSLATION = re.compile(
    r"""{%\s*translate\s+(?P<literal>"[^"]*"|'[^']*')(?P<rest>[^%]*)%}"""
    r"""|{%\s*blocktranslate\b(?P<options>[^%]*)%}(?P<body>.*?){%\s*endblocktranslate\s*%}""",
    re.S,
)
_INLINE_ELEMENT = re.compile(
    rf"""(?P<gap>\s*)<({INLINE})\b[^>]*>(?P<inside>.*?)</\2\s*>(?P<then>\s*(?:{{%\s*(?:translate|blocktranslate)\b|[.,;:!?)]))?""",
    re.S,
)
_AFTER_INLINE_ELEMENT = re.compile(rf"</(?:{INLINE})\s*>\s*$")


def _translations(source):
    """Each translation shown where it stands, with how its text starts and how it ends."""
    for match in _TRANSLATION.finditer(source):
        if re.search(r"\bas(var)?\b", match["rest"] or match["options"]):
            continue  # kept in a variable, shown elsewhere
        if match["literal"]:
            first = last = match["literal"][1:-1]
        else:
            forms = re.split(r"{%\s*plural\s*%}", match["body"])
            first, last = forms[0], forms[-1]
        yield match, first.strip(), last.strip()


def split_sentences(source):
    """Sentences marked in pieces around an inline element, so a translator cannot reorder them.

    Either a translation that does not end a sentence is followed by an inline element and then by
    another translation or the sentence's punctuation ("go to the" <a>home page</a>.), or runs with
    no space into an element holding another translation ("Previous"<span> "page"</span>); or a
    translation after an inline element carries on its sentence, starting in lower case or with
    punctuation (<a>Read the evidence</a> "first.").
    """
    found = []
    for match, first, last in _translations(source):
        element = _INLINE_ELEMENT.match(source, match.end())
        if element and not last.endswith((".", ":", "?", "!")):
            glued = not element["gap"] and re.search(r"{%\s*(translate|blocktranslate)\b", element["inside"])
            if element["then"] or glued:
                found.append(f"{last[-40:]!r} then <{element[2]}>")
        before = source[max(0, match.start() - 200) : match.start()]
        if _AFTER_INLINE_ELEMENT.search(before) and re.match(r"[a-z,.;:()]", first):
            found.append(f"</...> then {first[:40]!r}")
    return found


@pytest.mark.parametrize("path", list(_templates()), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_each_marked_template_keeps_a_sentence_with_an_inline_element_whole(path):
    assert split_sentences(path.read_text()) == []


def test_the_check_finds_sentences_split_around_inline_elements():
    split = (
        '{% translate "If the address is correct, go to the" %} <a href="/">{% translate "home page" %}</a>.'
        '<a href="/e">{% translate "Read the evidence" %}</a> {% translate "first." %}'
        '{% translate "Previous" %}<span class="govuk-visually-hidden"> {% translate "page" %}</span>'
        "<strong>{{ outcome }}</strong>{% blocktranslate with on=on %}, by {{ on }}.{% endblocktranslate %}"
    )
    assert split_sentences(split) == [
        "'If the address is correct, go to the' then <a>",
        "</...> then 'first.'",
        "'Previous' then <span>",
        "</...> then ', by {{ on }}.'",
    ]
    whole = (
        '<p>{% blocktranslate trimmed %}If the address is correct, go to the <a href="{{ home_url }}">home page</a>.'
        "{% endblocktranslate %}</p>"
        '<p>{% translate "This was submitted already." %} <a href="/x">{% translate "View it" %}</a>.</p>'
        '<p><strong class="govuk-tag">{% translate "Draft" %}</strong> {% translate "Only you can see it." %}</p>'
        '<p>{% translate "Change" %}<span class="govuk-visually-hidden"> {{ row_name }}</span></p>'
        '<p>{% translate "all teams" as every_team %}<strong>{{ every_team }}</strong>.</p>'
        '<p>{% blocktranslate %}Told on {{ on }}: {{ what }}{% endblocktranslate %} <a href="/w">{% translate "Who" %}</a></p>'
    )
    assert split_sentences(whole) == []
