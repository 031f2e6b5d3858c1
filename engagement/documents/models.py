"""Working together agreements and letters to families: drafted, signed or approved, then printed.

Once an agreement is signed by both sides, or a letter is sent, it is locked and its signed PDF
(cases.Document) is the record. Nothing here is deleted.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import DOCUMENT_LANGUAGES, Case, Document, Person, User, WrittenLanguage

# The gaps a letter's wording may leave for the service to fill in when a practitioner starts a
# letter (engagement.documents.services.letter_draft fills exactly these).
LETTER_PLACEHOLDERS = {
    "family_name": _("the family's name, for example 'Smith family'"),
    "recipient": _("the name of the adult the letter is to"),
    "practitioner": _("the lead practitioner's name"),
    "organisation": _("the council's name"),
}
# The languages wording ships in and a letter or agreement can be written in.
LANGUAGE_CHOICES = [(language.value, language.label) for language in DOCUMENT_LANGUAGES]


def _language_field(verbose_name=None) -> models.CharField:
    return models.CharField(
        verbose_name or _("language"),
        max_length=10,
        choices=LANGUAGE_CHOICES,
        default=WrittenLanguage.ENGLISH,
    )


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _listed(names) -> str:
    names = [f"{{{name}}}" for name in names]
    if len(names) == 1:
        return names[0]
    # Translators: the end of a list of gaps such as "{recipient}, {practitioner} or {organisation}".
    return gettext("%(names)s or %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def unknown_placeholder_error(text: str, allowed) -> str | None:
    """A message naming the first {gap} in `text` the service would not fill in, or None."""
    for match in _PLACEHOLDER.finditer(text or ""):
        name = match.group(1)
        if name in allowed:
            continue
        if not allowed:
            return gettext(
                "Remove {%(name)s}: nothing in this wording is filled in for you. Leave a dotted line "
                "(.........) for a gap the practitioner completes"
            ) % {"name": name}
        hint = next((a for a in allowed if a == "_".join(name.lower().split())), None)
        if hint:
            return gettext(
                "{%(name)s} is not something the service can fill in: write {%(hint)s} instead"
            ) % {
                "name": name,
                "hint": hint,
            }
        return gettext(
            "{%(name)s} is not something the service can fill in: use only %(gaps)s, "
            "or leave a dotted line (.........) for the practitioner to complete"
        ) % {"name": name, "gaps": _listed(allowed)}
    return None


class AgreementTemplate(models.Model):
    """The wording every new working together agreement starts from. Admins keep it up to date."""

    name = models.CharField(max_length=200, default="Our working together agreement")
    language = _language_field()
    our_commitments = models.TextField(
        _("what we will do"), help_text=_("One commitment a line. Each new agreement starts with these.")
    )
    family_commitments = models.TextField(
        _("what we would hope the family can do"), help_text=_("One commitment a line.")
    )
    closing_words = models.TextField(_("closing words"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("working together agreement wording")
        verbose_name_plural = _("working together agreement wording")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        self.name = " ".join((self.name or "").split())
        if not self.name:
            errors["name"] = gettext("Enter the title the agreements will have")
        for field in ("our_commitments", "family_commitments"):
            text = getattr(self, field) or ""
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if not lines:
                errors[field] = gettext("Enter at least one commitment, one a line")
            else:
                setattr(self, field, "\n".join(lines))
        for field in ("name", "our_commitments", "family_commitments", "closing_words"):
            message = unknown_placeholder_error(getattr(self, field), ())
            if message and field not in errors:
                errors[field] = message
        if errors:
            raise ValidationError(errors)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed by both")


class Agreement(models.Model):
    """One family's working together agreement. Editable while draft; locked once both sign."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agreements")
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    title = models.CharField(max_length=200)
    language = _language_field(_("written in"))
    our_commitments = models.TextField(_("what we will do"))
    family_commitments = models.TextField(_("what we would hope you can do"))
    closing_words = models.TextField(blank=True)
    goals = models.TextField(_("what we agree to work towards"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(_("signed by both on"), null=True, blank=True)
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="agreement"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="draft"), name="one_draft_agreement_per_case"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, document__isnull=True)
                | Q(status="signed", signed_at__isnull=False, document__isnull=False),
                name="signed_agreement_has_date_and_pdf",
            ),
        ]

    def __str__(self):
        return f"Working together agreement for {self.case}"

    @property
    def is_editable(self) -> bool:
        return self.status == AgreementStatus.DRAFT


class SignatureRole(models.TextChoices):
    PARENT = "parent", _("Parent or carer")
    PRACTITIONER = "practitioner", _("Lead practitioner")


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", _("Drawn on screen")
    TYPED = "typed", _("Typed name")


class AgreementSignature(models.Model):
    """Who signed an agreement, for which side, how and when."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=20, choices=SignatureRole.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name of who signed"), max_length=200)
    method = models.CharField(max_length=10, choices=SignatureMethod.choices)
    drawing = models.TextField(_("drawn signature (PNG data URL)"), blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "role"], name="one_signature_per_side"),
            models.CheckConstraint(
                condition=Q(role="parent", person__isnull=False) | Q(role="practitioner", user__isnull=False),
                name="signature_names_its_signer",
            ),
            models.CheckConstraint(
                condition=Q(method="typed", drawing="") | (Q(method="drawn") & ~Q(drawing="")),
                name="drawn_signature_has_drawing",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class LetterStep(models.TextChoices):
    DAY_5 = "day_5", _("Day 5: after the first unannounced visit")
    DAY_10 = "day_10", _("Day 10: please contact us within 5 days")


class LetterTemplate(models.Model):
    """The wording a letter starts from. Plain, restorative English; admins keep it up to date."""

    step = models.CharField(max_length=20, choices=LetterStep.choices)
    language = _language_field()
    subject = models.CharField(
        max_length=200,
        help_text=_("The same gaps in braces as the letter, such as {family_name}, can be used here."),
    )
    body = models.TextField(
        help_text=(
            _(
                "The letter itself. {family_name}, {recipient}, {practitioner} and {organisation} are "
                "filled in; the practitioner completes any dotted gaps before sending."
            )
        )
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["step", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "language"],
                name="one_letter_wording_per_step_and_language",
                violation_error_message=_(
                    "There is wording for this step in this language already: change that one instead"
                ),
            )
        ]
        verbose_name = _("letter wording")
        verbose_name_plural = _("letter wording")

    def __str__(self):
        if self.language == WrittenLanguage.ENGLISH:
            return self.get_step_display()
        return f"{self.get_step_display()}: {self.get_language_display()}"

    def clean(self):
        errors = {}
        self.subject = " ".join((self.subject or "").split())
        if not self.subject:
            errors["subject"] = gettext("Enter the subject of the letter")
        if not (self.body or "").strip():
            errors["body"] = gettext("Enter the wording of the letter")
        for field in ("subject", "body"):
            message = unknown_placeholder_error(getattr(self, field), LETTER_PLACEHOLDERS)
            if message and field not in errors:
                errors[field] = message
        if errors:
            raise ValidationError(errors)


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    HELD = "held", _("Held for the manager's approval")
    APPROVED = "approved", _("Approved by the manager")
    REFUSED = "refused", _("Not sent: unsafe (manager's decision)")
    SENT = "sent", _("Sent")


class Letter(models.Model):
    """A letter to one adult of the family for a step of the flow chart."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    step = models.CharField(max_length=20, choices=LetterStep.choices)
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="letters")
    address = models.TextField(_("postal address"))
    subject = models.CharField(max_length=200)
    body = models.TextField()
    language = _language_field(_("written in"))
    status = models.CharField(max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    held_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="letter"
    )
    contact_attempt = models.OneToOneField(
        "engagement.ContactAttempt", null=True, blank=True, on_delete=models.PROTECT, related_name="letter"
    )
    # The run of the flow chart the letter was written in, and the step that asks for it (the
    # day-10 letter): a refused letter closes that step as not sent, unsafe (flowchart.schedule).
    episode = models.ForeignKey(
        "flowchart.Episode", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    flow_step = models.ForeignKey(
        "flowchart.Step",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("flow-chart step"),
    )
    # Written by hand or in another system: recorded here, held like any other letter, and
    # marked sent without a PDF of ours.
    outside_system = models.BooleanField(_("written outside the system"), default=False)
    # The letter offers a version in the person's language or in easy read (a line in the letter).
    reader_note = models.BooleanField(_("offers a translated or easy-read version"), default=False)
    held_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "case"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent")
                | Q(sent_at__isnull=False, sent_by__isnull=False)
                & (Q(document__isnull=False) | Q(outside_system=True)),
                name="sent_letter_has_pdf",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_notes=""),
                name="refused_letter_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(flow_step__isnull=True) | Q(episode__isnull=False),
                name="letter_step_has_its_run",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="letter_decision_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} letter to {self.recipient}"

    @property
    def is_editable(self) -> bool:
        return self.status == LetterStatus.DRAFT
