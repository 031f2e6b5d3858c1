"""The staff interface's words written in Python are marked for translation too (issue 23).

The issue: "the staff interface marks its strings for translation (Django's i18n) so a Welsh
interface can follow." The templates are checked by test_interface_marked_for_translation.py;
this reads the apps' Python and finds the places where words reach a member of staff:

- form and model labels, help text, hints, empty labels, admin descriptions and verbose names;
- error messages: ValidationError, form.add_error, error_messages;
- messages shown after a request (django.contrib.messages);
- choices' labels, including the TextChoices members that leave Django to make one up;
- what a notification says (cases.notifications.Message's subject and body).

Each must be a gettext call (`_("...")`, `gettext_lazy`, `ngettext`, `pgettext`, `format_lazy`,
possibly followed by `% {...}` or `.format(...)`), or a name that holds one. An f-string is never
enough: makemessages cannot read it, so its words are never offered to a translator.

Not read: migrations (they keep the words as they were), management commands (their reader is the
system owner at a terminal) and what is written into the record as evidence.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "engagement", "riskassessment", "flowchart", "insight", "config")

GETTEXT = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "npgettext",
        "npgettext_lazy",
        "format_lazy",
        "gettext_noop",
        "N_",
    }
)

# Keyword arguments whose string a member of staff reads.
READ_KEYWORDS = frozenset(
    {
        "label",
        "help_text",
        "hint",
        "legend",
        "empty_label",
        "verbose_name",
        "verbose_name_plural",
        "description",
        "subject",
        "body",
    }
)

# Calls ending in "Field" whose first argument is not a name people read: the model a relation
# points at, and a layout's `Field("field_name")` (crispy-forms, and the replayer's own).
NOT_NAMED_FIRST = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField", "GenericRelation", "Field"})
# Validators whose second argument is the message shown.
VALIDATORS = frozenset({"MinValueValidator", "MaxValueValidator", "MinLengthValidator", "MaxLengthValidator"})

MESSAGE_LEVELS = frozenset({"success", "error", "info", "warning", "debug", "add_message"})
CHOICES_BASES = frozenset({"TextChoices", "IntegerChoices", "Choices"})


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "management" in parts:
                continue
            yield path


def _has_words(text):
    return any(character.isalpha() for character in text)


def bare(node):
    """Whether the expression is words no gettext call holds."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        # "..." % x and "..." + "...": the left side decides, and either side of a +.
        if isinstance(node.op, ast.Add):
            return bare(node.left) or bare(node.right)
        return bare(node.left)
    if isinstance(node, ast.IfExp):
        return bare(node.body) or bare(node.orelse)
    if isinstance(node, ast.Call):
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in {"format", "join"}:
            return bare(function.value)
        return False
    return False


def _call_name(node):
    function = node.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _message_of_messages_call(node):
    """The words of messages.success(request, words) and the like; None for other calls."""
    function = node.func
    if not (
        isinstance(function, ast.Attribute)
        and function.attr in MESSAGE_LEVELS
        and isinstance(function.value, ast.Name)
        and function.value.id == "messages"
    ):
        return None
    position = 2 if function.attr == "add_message" else 1
    for keyword in node.keywords:
        if keyword.arg == "message":
            return keyword.value
    return node.args[position] if len(node.args) > position else None


def _choice_labels(node):
    """Labels in choices=[(value, label), ...] or ((value, label), ...)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                value, label = element.elts
                if isinstance(label, (ast.List, ast.Tuple)):
                    yield from _choice_labels(label)  # a named group of choices
                else:
                    yield label


class Finder(ast.NodeVisitor):
    def __init__(self):
        self.found = []

    def _flag(self, node, why):
        self.found.append(f"{node.lineno}: {why}: {ast.unparse(node)[:80]}")

    def visit_Call(self, node):
        name = _call_name(node)
        if name in GETTEXT:
            return  # what is inside is marked
        for keyword in node.keywords:
            if keyword.arg in READ_KEYWORDS and bare(keyword.value):
                self._flag(keyword.value, keyword.arg)
            if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                self._dict_values(keyword.value, "error_messages")
            if keyword.arg == "choices":
                for label in _choice_labels(keyword.value):
                    if bare(label):
                        self._flag(label, "choice label")
        if (
            name
            and name.endswith("Field")
            and name not in NOT_NAMED_FIRST
            and node.args
            and bare(node.args[0])
        ):
            self._flag(node.args[0], "verbose_name")  # a model field's first argument
        if name in VALIDATORS and len(node.args) > 1 and bare(node.args[1]):
            self._flag(node.args[1], "validator message")
        if name == "ValidationError" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Dict):
                self._dict_values(first, "ValidationError")
            elif bare(first):
                self._flag(first, "ValidationError")
        if name == "add_error" and len(node.args) > 1 and bare(node.args[1]):
            self._flag(node.args[1], "add_error")
        words = _message_of_messages_call(node)
        if words is not None and bare(words):
            self._flag(words, "message")
        self.generic_visit(node)

    def _dict_values(self, dictionary, why):
        for value in dictionary.values:
            if bare(value):
                self._flag(value, why)
            elif isinstance(value, ast.Dict):  # a ModelForm's Meta.error_messages, field by field
                self._dict_values(value, why)
            elif isinstance(value, (ast.List, ast.Tuple)):
                for element in value.elts:
                    if bare(element):
                        self._flag(element, why)

    def visit_Assign(self, node):
        targets = [target.id for target in node.targets if isinstance(target, ast.Name)]
        if {"default_error_messages", "error_messages"} & set(targets) and isinstance(node.value, ast.Dict):
            self._dict_values(node.value, "error_messages")
        if {"labels", "help_texts"} & set(targets) and isinstance(node.value, ast.Dict):
            self._dict_values(node.value, targets[0])  # a ModelForm's Meta
        if {"verbose_name", "verbose_name_plural", "label", "help_text"} & set(targets) and bare(node.value):
            self._flag(node.value, targets[0])
        if any(target.endswith("CHOICES") for target in targets):
            for label in _choice_labels(node.value):
                if bare(label):
                    self._flag(label, "choice label")
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        bases = {
            base.id if isinstance(base, ast.Name) else getattr(base, "attr", None) for base in node.bases
        }
        if bases & CHOICES_BASES:
            for statement in node.body:
                if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
                    continue
                target = statement.targets[0]
                if (
                    not isinstance(target, ast.Name)
                    or target.id.startswith("_")
                    or target.id.isupper() is False
                ):
                    continue
                value = statement.value
                if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
                    if bare(value.elts[-1]):
                        self._flag(value.elts[-1], f"{node.name}.{target.id} label")
                else:
                    self.found.append(
                        f"{statement.lineno}: {node.name}.{target.id} has no label to translate"
                    )
        self.generic_visit(node)


def unmarked(source):
    finder = Finder()
    finder.visit(ast.parse(source))
    return finder.found


@pytest.mark.parametrize("path", list(_python_files()), ids=lambda path: str(path.relative_to(ROOT)))
def test_words_staff_read_in_python_are_marked_for_translation(path):
    assert unmarked(path.read_text()) == []


def test_the_check_finds_unmarked_words_and_passes_marked_ones():
    source = """
from django.utils.translation import gettext_lazy as _
class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", _("Blue")
    GREEN = "green"
class M(models.Model):
    days = models.SmallIntegerField("Days to keep", validators=[MinValueValidator(1, "Enter 1 or more")])
    case = models.ForeignKey("cases.Case", verbose_name=_("case"))
class G(forms.ModelForm):
    class Meta:
        labels = {"name": "Name"}
        error_messages = {"name": {"required": "Enter their name", "max_length": _("Shorter")}}
class F(forms.Form):
    a = forms.CharField(label="Name", help_text=_("Their name"), error_messages={"required": "Enter it"})
    b = forms.ChoiceField(choices=[("y", _("Yes")), ("n", "No"), ("", "")])
    def clean(self):
        self.add_error("a", f"Wrong {x}")
        self.add_error("a", _("Wrong %(x)s") % {"x": x})
        raise ValidationError("Enter a date")
def view(request):
    messages.success(request, "Saved")
    messages.success(request, _("Saved %(n)s") % {"n": 1})
    messages.info(request, words)
    Message(subject=f"{case.reference}: held", body=_("Held"))
"""
    found = [line.split(": ", 1)[1].split(": ")[0] for line in unmarked(source)]
    assert found == [
        "Colour.RED label",
        "Colour.GREEN has no label to translate",
        "verbose_name",
        "validator message",
        "labels",
        "error_messages",
        "label",
        "error_messages",
        "choice label",
        "add_error",
        "ValidationError",
        "message",
        "subject",
    ]
