"""Supporting Families: the family's needs identified at the start, and each need's outcome.

The programme guidance (Supporting Families programme guidance 2022 to 2025, chapter 5,
"Evidencing successful family outcomes") names "The 10 headline outcomes"; a family's needs are
identified against them at the start, the outcome of each is recorded at closure, and whether it
was sustained is recorded six months after closure: "all identified family needs must evidence a
positive outcome that is sustained for at least six months after closure". docs/supporting-families.md
gives the sources and the rules the claim list applies.

Nothing here is deleted: a need ticked by mistake is withdrawn (who and when), and every change is
in the history.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, User


class HeadlineOutcome(models.TextChoices):
    """The programme's ten headline outcomes, in the guidance's order and words (chapter 5)."""

    EDUCATION = "education", _("Getting a good education")
    EARLY_YEARS = "early_years", _("Good early years development")
    HEALTH = "health", _("Improved mental and physical health")
    SUBSTANCE_USE = "substance_use", _("Better managed substance use")
    FAMILY_RELATIONSHIPS = "family_relationships", _("Improved family relationships")
    ABUSE_AND_EXPLOITATION = "abuse_and_exploitation", _("Children safe from abuse and exploitation")
    CRIME = "crime", _("Families diverted from crime")
    DOMESTIC_ABUSE = "domestic_abuse", _("Safe from domestic abuse")
    HOUSING = "housing", _("Secure housing")
    FINANCIAL_STABILITY = "financial_stability", _("Financial stability")


class ClosureOutcome(models.TextChoices):
    """What became of a need by the time the case closed."""

    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class Sustained(models.TextChoices):
    """Six months after closure: whether the outcome at closure held."""

    SUSTAINED = "sustained", _("Sustained")
    NOT_SUSTAINED = "not_sustained", _("Not sustained")


# Outcomes at closure worth asking about six months on: a need not met at all has nothing to sustain.
ASK_IF_SUSTAINED = (ClosureOutcome.ACHIEVED, ClosureOutcome.PARTLY)
HEADLINE_LABELS = dict(HeadlineOutcome.choices)
CLOSURE_OUTCOME_LABELS = dict(ClosureOutcome.choices)
SUSTAINED_LABELS = dict(Sustained.choices)


class FamilyNeed(models.Model):
    """One of the family's needs, under one headline outcome: identified at the start of the work,
    its outcome recorded at closure and, six months on, whether that outcome was sustained."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supporting_families_needs")
    headline = models.CharField(_("headline outcome"), max_length=30, choices=HeadlineOutcome.choices)
    identified_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    identified_at = models.DateTimeField()
    # Unticked: kept, marked withdrawn; ticked again, live again (the history shows both).
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(
        _("outcome at closure"), max_length=20, choices=ClosureOutcome.choices, blank=True, default=""
    )
    outcome_evidence = models.TextField(_("evidence of the outcome at closure"), blank=True)
    outcome_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    sustained = models.CharField(
        _("sustained six months after closure"),
        max_length=20,
        choices=Sustained.choices,
        blank=True,
        default="",
    )
    sustained_evidence = models.TextField(_("evidence the outcome was sustained"), blank=True)
    sustained_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sustained_recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "headline"]
        constraints = [
            models.UniqueConstraint(fields=["case", "headline"], name="one_need_per_headline_per_family"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="withdrawn_need_says_who",
            ),
            models.CheckConstraint(
                condition=Q(outcome="")
                | (
                    ~Q(outcome_evidence="")
                    & Q(outcome_recorded_by__isnull=False, outcome_recorded_at__isnull=False)
                ),
                name="need_outcome_has_evidence_and_who",
            ),
            models.CheckConstraint(
                condition=Q(sustained="")
                | (
                    Q(outcome__in=[o.value for o in ASK_IF_SUSTAINED])
                    & ~Q(sustained_evidence="")
                    & Q(sustained_recorded_by__isnull=False, sustained_recorded_at__isnull=False)
                ),
                name="need_sustained_follows_an_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.headline_label}"

    @property
    def headline_label(self) -> str:
        return str(HEADLINE_LABELS.get(self.headline, self.headline))

    @property
    def outcome_label(self) -> str:
        return str(CLOSURE_OUTCOME_LABELS.get(self.outcome, ""))

    @property
    def sustained_label(self) -> str:
        return str(SUSTAINED_LABELS.get(self.sustained, ""))

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    @property
    def asks_if_sustained(self) -> bool:
        return self.outcome in ASK_IF_SUSTAINED
