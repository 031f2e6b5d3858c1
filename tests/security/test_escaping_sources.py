"""A scan of the sources: nothing switches escaping off for user data (issue 9).

Django escapes every variable a template prints. The ways around that are `|safe`, `safeseq`,
`{% autoescape off %}` and, in Python, `mark_safe`/`SafeString`. Each use in the project is listed
below with why it cannot carry user data; any new one fails this test until it is listed (or
removed). The GOV.UK template pack prints form labels, legends and hints with `|safe`, so a form
must never build one from user data without `format_html` (which escapes what it is given).
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("cases", "engagement", "flowchart", "riskassessment", "insight", "config")

# (template, the text around the use): why it is safe.
TEMPLATE_EXCEPTIONS = {
    (
        "templates/base.html",
        'font_family|cut:"<"|cut:">"|cut:"{"|cut:"}"|cut:";"|cut:"@"|cut:"\\\\"|safe',
    ): "FONT_FAMILY is a setting an operator sets, never user data; the characters that could "
    "end the CSS rule or the <style> element are cut before it is printed",
    ("templates/gds/layout/option_fieldset.html", "field.label|safe"): "the fieldset crispy-forms-gds's "
    "radios and checkboxes templates share (kept as it is upstream): labels are written by developers; "
    "where one holds user data the form escapes it with format_html (checked below)",
    ("templates/gds/layout/conditional_question.html", "conditional_content|safe"): "HTML the form's "
    "layout declares in code (crispy's conditional content), never user data",
}

UNESCAPE = re.compile(r"\|\s*safe(seq)?\b|{%-?\s*autoescape\s+off")
PY_UNESCAPE = re.compile(r"\bmark_safe\b|\bSafeString\b|\bSafeText\b|\bSafeData\b|\bhtml_safe\b")

# Where forms name labels, legends and hints (printed unescaped by the template pack).
LABEL_KEYWORDS = {"label", "help_text", "legend", "empty_label"}
# Interpolations in a label that cannot hold user data: row numbers.
HARMLESS_NAMES = {"i", "n", "number", "position", "index"}


def _templates():
    return sorted(p for p in (ROOT / "templates").rglob("*.html"))


def _python():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_template_switches_escaping_off_except_the_listed_ones():
    found = {}
    for path in _templates():
        text = path.read_text()
        for match in UNESCAPE.finditer(text):
            start = text.rfind("{{", 0, match.start())
            start = start if start != -1 and text.find("}}", start) >= match.start() else match.start()
            expression = text[start : match.end()].lstrip("{").strip()
            found[(str(path.relative_to(ROOT)), expression)] = match.group(0)
    unlisted = sorted(set(found) - set(TEMPLATE_EXCEPTIONS))
    assert not unlisted, f"escaping switched off (list it here with why, or remove it): {unlisted}"
    stale = sorted(set(TEMPLATE_EXCEPTIONS) - set(found))
    assert not stale, f"listed exceptions no longer in the templates: {stale}"


def test_no_python_marks_text_safe():
    found = []
    for path in _python():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PY_UNESCAPE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "text marked safe in Python (use format_html, which escapes):\n" + "\n".join(found)


def _interpolated_names(node) -> set[str]:
    names = set()
    for part in ast.walk(node):
        if isinstance(part, ast.FormattedValue):
            names |= {n.id for n in ast.walk(part.value) if isinstance(n, ast.Name)}
            names |= {"<attribute>" for n in ast.walk(part.value) if isinstance(n, ast.Attribute)}
    return names


def _unescaped_text(value) -> bool:
    """An f-string printing more than a row number, or text glued to a variable with +."""
    for part in ast.walk(value):
        if isinstance(part, ast.JoinedStr) and _interpolated_names(part) - HARMLESS_NAMES:
            return True
        if (
            isinstance(part, ast.BinOp)
            and isinstance(part.op, ast.Add | ast.Mod)
            and any(isinstance(n, ast.Name | ast.Attribute) for n in (part.left, part.right))
        ):
            return True
    return False


def test_labels_and_hints_built_from_data_are_escaped():
    """Forms (and views that adjust them) build labels and hints from data only with format_html."""
    found = []
    for path in _python():
        if not path.name.endswith(("forms.py", "views.py")):
            continue
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            values = []
            if isinstance(node, ast.keyword) and node.arg in LABEL_KEYWORDS:
                values.append(node.value)
            if isinstance(node, ast.Assign):
                values += [
                    node.value
                    for t in node.targets
                    if isinstance(t, ast.Attribute) and t.attr in LABEL_KEYWORDS
                ]
            found += [
                f"{path.relative_to(ROOT)}:{v.lineno}: {ast.get_source_segment(source, v)}"
                for v in values
                if _unescaped_text(v)
            ]
    assert not found, "labels or hints built from data without escaping:\n" + "\n".join(sorted(set(found)))


def test_the_scan_would_see_an_unescaped_label(tmp_path):
    """The AST check above catches the shape of the bug it was written for."""
    source = 'forms.ChoiceField(label=f"Relationship to {child.full_name}")'
    node = ast.parse(source).body[0].value
    assert _unescaped_text(node.keywords[0].value)
    assert not _unescaped_text(ast.parse('f"Action {i}"').body[0].value)
    assert not _unescaped_text(ast.parse('format_html("Relationship to {}", child.full_name)').body[0].value)
    assert UNESCAPE.search("{{ x|safe }}") and UNESCAPE.search("{% autoescape off %}")
    assert PY_UNESCAPE.search("mark_safe(x)")
