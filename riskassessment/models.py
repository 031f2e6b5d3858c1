"""The Family Engagement Risk Assessment (FERA): factors, analysis, actions, sign-off, sharing.

An assessment is a version: amending a signed one copies it into a new draft version linked to
the one before, so earlier versions stay as they were signed.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, CaseMembership, Document, Person, Team, User
from cases.storage import documents_storage


class CatalogueKind(models.TextChoices):
    PROTECTIVE = "protective", _("Protective factor")
    RISK = "risk", _("Risk factor")
    VULNERABILITY = "vulnerability", _("Vulnerability")


class FactorSide(models.TextChoices):
    RISK = "risk", _("Risk and vulnerability")
    PROTECTIVE = "protective", _("Protective and resilient")


# Which side of the assessment each kind of catalogue example belongs on.
SIDE_OF_KIND = {
    CatalogueKind.PROTECTIVE: FactorSide.PROTECTIVE,
    CatalogueKind.RISK: FactorSide.RISK,
    CatalogueKind.VULNERABILITY: FactorSide.RISK,
}


class FactorCategory(models.Model):
    """An example factor from the catalogue (Appendix 3), which admins extend."""

    kind = models.CharField(_("type of factor"), max_length=20, choices=CatalogueKind.choices)
    name = models.CharField(
        _("factor"),
        max_length=200,
        help_text=_("As practitioners will see it, for example 'Domestic abuse'."),
    )
    is_active = models.BooleanField(
        _("offered on new assessments"),
        default=True,
        help_text=_("Untick to stop offering it. Assessments that already use it keep it."),
    )
    position = models.PositiveSmallIntegerField(_("order in the list"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "position", "name"]
        verbose_name = _("example factor")
        verbose_name_plural = _("example factors (the factor catalogue)")
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="one_catalogue_name_per_kind")]

    def __str__(self):
        return gettext("%(kind)s: %(name)s") % {"kind": self.get_kind_display(), "name": self.name}

    @property
    def side(self) -> str:
        return SIDE_OF_KIND[self.kind]

    def clean_fields(self, exclude=None):
        # Here rather than in clean(): the catalogue's list page edits only some fields, and an
        # error on a field a form leaves out would have nowhere to show.
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "name" not in exclude and "name" not in errors:
            self.name = " ".join((self.name or "").split())
            if not self.name:
                errors["name"] = [_("Enter the factor, for example 'Domestic abuse'")]
            elif self.kind and "kind" not in exclude:
                same = (
                    FactorCategory.objects.filter(kind=self.kind)
                    .annotate(lower=Lower("name"))
                    .filter(lower=self.name.lower())
                    .exclude(pk=self.pk)
                    .first()
                )
                if same is not None:
                    errors["name"] = [_already_in_catalogue(same)]
        if errors:
            raise ValidationError(errors)


def _already_in_catalogue(same: FactorCategory) -> str:
    """The catalogue has this example already: one message for each type of factor, offered or not."""
    offered = same.is_active
    values = {"name": same.name}
    if same.kind == CatalogueKind.PROTECTIVE:
        message = (
            _(
                "'%(name)s' is already in the catalogue as a protective factor: change that one instead of adding it again"
            )
            if offered
            else _(
                "'%(name)s' is already in the catalogue as a protective factor (no longer offered: tick it there "
                "to offer it again): change that one instead of adding it again"
            )
        )
    elif same.kind == CatalogueKind.RISK:
        message = (
            _(
                "'%(name)s' is already in the catalogue as a risk factor: change that one instead of adding it again"
            )
            if offered
            else _(
                "'%(name)s' is already in the catalogue as a risk factor (no longer offered: tick it there to "
                "offer it again): change that one instead of adding it again"
            )
        )
    else:
        message = (
            _(
                "'%(name)s' is already in the catalogue as a vulnerability: change that one instead of adding it again"
            )
            if offered
            else _(
                "'%(name)s' is already in the catalogue as a vulnerability (no longer offered: tick it there to "
                "offer it again): change that one instead of adding it again"
            )
        )
    return message % values


SHARE_DEADLINE_MAX_DAYS = 20
SHARE_REMINDER_MAX_DAYS = 10
SHARE_ESCALATE_MAX_DAYS = 10


def _between(low: int, high: int, message: str) -> list:
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


class SharingSettings(models.Model):
    """The deadline to share a signed assessment, and who is chased when it is late. One row."""

    share_deadline_days = models.SmallIntegerField(
        _("Working days to share a signed assessment"),
        default=5,
        validators=_between(
            1,
            SHARE_DEADLINE_MAX_DAYS,
            format_lazy(
                _("Enter a number of working days from 1 to {maximum}"), maximum=SHARE_DEADLINE_MAX_DAYS
            ),
        ),
        help_text=_(
            "Multi-agency meeting members should have the signed assessment within this many "
            "working days of the manager signing it. The guidance says 5. Assessments already signed "
            "keep the deadline they were given."
        ),
    )
    reminder_days_before = models.SmallIntegerField(
        _("Remind the lead practitioner this many working days before the deadline"),
        default=1,
        validators=_between(
            0,
            SHARE_REMINDER_MAX_DAYS,
            format_lazy(
                _("Enter a number of working days from 0 to {maximum}"), maximum=SHARE_REMINDER_MAX_DAYS
            ),
        ),
        help_text=_(
            "If a member has not acknowledged the assessment by then. 0 reminds on the day it is due."
        ),
    )
    escalate_after_days = models.SmallIntegerField(
        _("Working days late before the escalation"),
        default=1,
        validators=_between(
            1,
            SHARE_ESCALATE_MAX_DAYS,
            format_lazy(
                _("Enter a number of working days from 1 to {maximum}"), maximum=SHARE_ESCALATE_MAX_DAYS
            ),
        ),
        help_text=_("1 tells them on the first working day after the deadline."),
    )
    escalate_to_manager = models.BooleanField(
        _("Tell the line manager when a share is late"),
        default=True,
        help_text=_("The lead practitioner is always told. Ticked: the case's line manager is told too."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sharing deadline and escalation setting")
        verbose_name_plural = _("sharing deadline and escalation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_sharing_settings_row"),
            models.CheckConstraint(
                condition=Q(share_deadline_days__gte=1, share_deadline_days__lte=SHARE_DEADLINE_MAX_DAYS),
                name="share_deadline_in_range",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__gte=0)
                & Q(reminder_days_before__lt=models.F("share_deadline_days")),
                name="share_reminder_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(escalate_after_days__gte=1, escalate_after_days__lte=SHARE_ESCALATE_MAX_DAYS),
                name="share_escalate_after_in_range",
            ),
        ]

    def __str__(self):
        return gettext("Share within %(days)s working days of signing") % {"days": self.share_deadline_days}

    def clean(self):
        deadline, before = self.share_deadline_days, self.reminder_days_before
        if (
            isinstance(deadline, int)
            and isinstance(before, int)
            and 1 <= deadline <= SHARE_DEADLINE_MAX_DAYS
            and 0 <= before <= SHARE_REMINDER_MAX_DAYS
            and before >= deadline
        ):
            raise ValidationError(
                {
                    "reminder_days_before": _(
                        "Enter fewer working days than the deadline of %(deadline)s: the reminder must come "
                        "after the assessment is shared"
                    )
                    % {"deadline": deadline}
                }
            )


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the manager")
    SIGNED = "signed", _("Signed")
    SHARED = "shared", _("Signed and shared")


OPEN_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED)
SIGNED_STATUSES = (AssessmentStatus.SIGNED, AssessmentStatus.SHARED)


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)

    # The header of the form.
    children = models.ManyToManyField(Person, related_name="assessments", blank=True)
    assessment_date = models.DateField(_("date of assessment"))
    participants = models.TextField(
        _("who took part"), blank=True, help_text=_("One person a line: name, role and agency.")
    )
    with_multi_agency_meeting = models.BooleanField(
        _("completed with the multi-agency meeting"), default=False
    )
    lead_practitioner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=200, blank=True)

    analysis = models.TextField(_("analysis and conclusion"), blank=True)
    # None until answered: the question must be answered before the manager sees it.
    elevated_risk = models.BooleanField(_("elevated risk of significant harm"), null=True, blank=True)
    elevated_risk_alerted_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Recorded at submission: the guidance says having none must itself raise concern.
    submitted_without_protective_factors = models.BooleanField(default=False)
    # What the manager last said must change when returning it as a draft (earlier returns are in
    # its history): kept here, since the notification only says that it was returned.
    returned_reason = models.TextField(_("what needs to change"), blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_name = models.CharField(_("name typed as signature"), max_length=200, blank=True)
    # The signed PDF, rendered once at signing and never again (cases.documents), linked as an
    # agreement or a letter links its own; empty until the digital signature is in place, when the
    # typed name above is the signature.
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="assessment"
    )
    # Before the link, signing copied the stored file's name and hash here. Kept as they were
    # written (case records are evidence); nothing writes them now.
    copied_signed_document = models.FileField(
        upload_to="assessments/signed/",
        blank=True,
        db_column="signed_document",
        storage=documents_storage,
    )
    copied_signed_document_sha256 = models.CharField(
        max_length=64, blank=True, db_column="signed_document_sha256"
    )
    share_due_on = models.DateField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["case", "-version"]
        indexes = [
            # The assessments waiting for a manager's signature: a handful among thousands
            # signed, read on every manager's "Needs you".
            models.Index(
                fields=["submitted_at"], condition=Q(status="submitted"), name="assessment_awaiting_signature"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="one_assessment_per_case_version"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "submitted"]),
                name="one_open_assessment_per_case",
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True) | Q(version__gt=1, previous__isnull=False),
                name="assessment_version_links_previous",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False, submitted_by__isnull=False, elevated_risk__isnull=False),
                name="assessment_submitted_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | (
                    Q(signed_at__isnull=False, signed_by__isnull=False, share_due_on__isnull=False)
                    & ~Q(signed_name="")
                ),
                name="assessment_signed_has_signature",
            ),
            models.CheckConstraint(
                condition=~Q(status="shared") | Q(shared_at__isnull=False),
                name="assessment_shared_has_date",
            ),
        ]

    def __str__(self):
        return gettext("FERA v%(version)s for %(case)s") % {"version": self.version, "case": self.case}

    @property
    def is_editable(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED_STATUSES

    @property
    def signed_document(self):
        """The signed PDF's file: the linked document's, or what an earlier signing copied here."""
        return self.document.file if self.document_id else self.copied_signed_document

    @property
    def signed_document_sha256(self) -> str:
        return self.document.sha256 if self.document_id else self.copied_signed_document_sha256


class Timeframe(models.TextChoices):
    HISTORICAL = "historical", _("Historical")
    CURRENT = "current", _("Current")


class Basis(models.TextChoices):
    EVIDENCED = "evidenced", _("Evidenced")
    GREY_AREA = "grey_area", _("Grey area (not evidenced but relevant)")


class Factor(models.Model):
    """One risk, vulnerability or protective factor, with its evidence. Removed, never deleted."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="factors")
    side = models.CharField(max_length=20, choices=FactorSide.choices)
    timeframe = models.CharField(max_length=20, choices=Timeframe.choices)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    category = models.ForeignKey(
        FactorCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="factors"
    )
    description = models.TextField(_("factor"))
    evidence = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "side", "position", "id"]
        indexes = [models.Index(fields=["assessment", "removed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="grey_area") | ~Q(evidence=""), name="evidenced_factor_has_evidence"
            )
        ]

    def __str__(self):
        return self.description[:80]


class ActionKind(models.TextChoices):
    PLAN = "plan", _("What needs to happen")
    OVERSIGHT = "oversight", _("Management oversight")


class Action(models.Model):
    """A row of an action table: what, who, by when, review date."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    what = models.TextField()
    who = models.CharField(max_length=200)
    by_when = models.DateField()
    review_on = models.DateField(_("review date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "kind", "position", "id"]
        indexes = [models.Index(fields=["assessment", "removed_at"])]

    def __str__(self):
        return self.what[:80]


class Share(models.Model):
    """A signed assessment sent to one multi-agency meeting member, and what they did with it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="shares")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessment_shares")
    membership = models.ForeignKey(CaseMembership, on_delete=models.PROTECT, related_name="+")
    # The case's team, kept on the share so that a manager's queue and a team's dashboard read
    # only their teams' outstanding shares through an index, not every team's. A case moved to
    # another team takes its shares with it (`services.case_shares_move_team`).
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", editable=False)
    shared_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(help_text=_("The working days set in the sharing settings, after signing."))
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # When the sweep told the lead practitioner / escalated, so it reads only what is still to do.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member"], name="one_share_per_member"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(opened_at__isnull=False),
                name="share_acknowledged_after_opened",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(acknowledged_at__isnull=True), name="share_outstanding_due"
            ),
            models.Index(
                fields=["team", "due_on"],
                condition=Q(acknowledged_at__isnull=True),
                name="share_team_outstanding_due",
            ),
        ]

    def __str__(self):
        return gettext("%(assessment)s shared with %(member)s") % {
            "assessment": self.assessment,
            "member": self.member,
        }


class Comment(models.Model):
    """A multi-agency member's comment on an assessment shared with them."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return gettext("Comment by %(author)s on %(assessment)s") % {
            "author": self.author,
            "assessment": self.assessment,
        }
