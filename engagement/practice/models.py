"""The practice tools: cycle of change per parent, Signs of Safety mapping, GROW goals, supervision.

Each judgement is its own dated record, so the history of the work with the family stays readable:
a new stage of change, a new meeting's map or a new supervision is a new row, never an overwrite.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, Person, User


class ChangeStage(models.TextChoices):
    """DiClemente's cycle of change, in the order a parent usually moves through it."""

    PRE_CONTEMPLATION = "pre_contemplation", _("Pre-contemplation")
    CONTEMPLATION = "contemplation", _("Contemplation")
    PREPARATION = "preparation", _("Preparation or determination")
    ACTION = "action", _("Action")
    MAINTENANCE = "maintenance", _("Maintenance")
    RELAPSE = "relapse", _("Relapse")


class StageOfChange(models.Model):
    """Where one adult was on the cycle of change on a date, and what showed it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stages_of_change")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="stages_of_change")
    stage = models.CharField(_("stage of change"), max_length=30, choices=ChangeStage.choices)
    assessed_on = models.DateField(_("date assessed"))
    evidence = models.TextField(help_text=_("What the parent said or did that places them at this stage."))
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage of change assessment")
        ordering = ["-assessed_on", "-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-assessed_on"]),
            models.Index(fields=["case", "-assessed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=ChangeStage.values), name="stage_of_change_known_stage"
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="stage_of_change_has_evidence"),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_stage_display()} on {self.assessed_on:%-d %b %Y}"


class SafetyMapping(models.Model):
    """One meeting's Signs of Safety map: the three columns, danger statements and safety goals."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="safety_mappings")
    meeting_on = models.DateField(_("date of the meeting"))
    meeting_name = models.CharField(
        max_length=200,
        help_text=_("For example 'Home visit with Grace' or 'Team around the family meeting'."),
    )
    attendees = models.TextField(blank=True)
    # What are we worried about?
    past_harm = models.TextField(blank=True)
    future_danger = models.TextField(blank=True)
    complicating_factors = models.TextField(blank=True)
    # What's working well?
    strengths = models.TextField(blank=True)
    safety = models.TextField(blank=True)
    # What needs to happen?
    agency_goals = models.TextField(blank=True)
    family_goals = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    danger_statements = models.TextField(blank=True)
    safety_goals = models.TextField(blank=True)
    family_safety_plan = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Signs of Safety mapping")
        ordering = ["-meeting_on", "-id"]
        indexes = [models.Index(fields=["case", "meeting_on"])]

    def __str__(self):
        return f"{self.meeting_name} on {self.meeting_on:%-d %b %Y}"


class RaterKind(models.TextChoices):
    FAMILY = "family", _("Family member")
    PROFESSIONAL = "professional", _("Professional")


class SafetyRating(models.Model):
    """One person's place on the 0 to 10 safety scale at one meeting, in their own name."""

    mapping = models.ForeignKey(SafetyMapping, on_delete=models.PROTECT, related_name="ratings")
    rater_name = models.CharField(_("name"), max_length=200)
    rater_kind = models.CharField(_("who they are"), max_length=20, choices=RaterKind.choices)
    rating = models.PositiveSmallIntegerField(
        help_text=_("0: harm will certainly happen again. 10: safe enough to close.")
    )
    reason = models.TextField(blank=True, help_text=_("How they arrived at the number."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("safety scale rating")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=0, rating__lte=10), name="safety_rating_0_to_10"),
            models.CheckConstraint(condition=~Q(rater_name=""), name="safety_rating_named"),
            models.CheckConstraint(
                condition=Q(rater_kind__in=RaterKind.values), name="safety_rating_known_kind"
            ),
            models.UniqueConstraint(
                fields=["mapping", "rater_name"], name="one_rating_per_person_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.rater_name}: {self.rating}"


class ScaleRating(models.Model):
    """One person's place on the safety scale, given on its own between mapping meetings.

    A quick judgement from the case page (who rated, the number, why), kept as its own dated
    record beside the full Signs of Safety maps, which stay separate.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="scale_ratings")
    rated_on = models.DateField(_("date of the rating"), default=timezone.localdate)
    rater_name = models.CharField(_("name"), max_length=200)
    rater_role = models.CharField(_("role or relationship to the family"), max_length=200, blank=True)
    rater_kind = models.CharField(_("who they are"), max_length=20, choices=RaterKind.choices)
    rating = models.PositiveSmallIntegerField(
        help_text=_("0: harm will certainly happen again. 10: safe enough to close.")
    )
    reason = models.TextField(help_text=_("How they arrived at the number."))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quick safety scale rating")
        ordering = ["-rated_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "rated_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=0, rating__lte=10), name="scale_rating_0_to_10"),
            models.CheckConstraint(condition=~Q(rater_name=""), name="scale_rating_named"),
            models.CheckConstraint(condition=~Q(reason=""), name="scale_rating_has_reason"),
            models.CheckConstraint(
                condition=Q(rater_kind__in=RaterKind.values), name="scale_rating_known_kind"
            ),
        ]

    def __str__(self):
        return f"{self.rater_name}: {self.rating} on {self.rated_on:%-d %b %Y}"


class GrowGoal(models.Model):
    """A goal set with the family using GROW: goal, reality, options, will."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="grow_goals")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grow_goals",
        help_text=_("Leave empty for a goal the whole family shares."),
    )
    agreed_on = models.DateField(_("date agreed"))
    goal = models.TextField()
    reality = models.TextField(blank=True)
    options = models.TextField(blank=True)
    will = models.TextField(blank=True)
    # The working together agreement is not yet a record of its own: this names the agreement
    # (its date or reference) until it can become a link.
    agreement_reference = models.CharField(_("working together agreement"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GROW goal")
        ordering = ["-agreed_on", "-id"]
        indexes = [models.Index(fields=["case", "-agreed_on"])]
        constraints = [models.CheckConstraint(condition=~Q(goal=""), name="grow_goal_has_goal")]

    def __str__(self):
        return self.goal[:80]


class SupervisionRecord(models.Model):
    """Engagement concerns discussed in supervision, and whether the plan was then shared with the family."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervision_records")
    supervised_on = models.DateField(_("date of supervision"))
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    concerns = models.TextField(_("engagement concerns discussed"))
    discussed_with_family_on = models.DateField(_("date discussed with the family"), null=True, blank=True)
    family_discussion_notes = models.TextField(blank=True)
    family_discussion_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision record")
        ordering = ["-supervised_on", "-id"]
        indexes = [models.Index(fields=["case", "-supervised_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(concerns=""), name="supervision_has_concerns"),
            models.CheckConstraint(
                condition=Q(discussed_with_family_on__isnull=True)
                | Q(discussed_with_family_on__gte=F("supervised_on")),
                name="supervision_family_discussion_after_supervision",
            ),
        ]

    def __str__(self):
        return f"Supervision on {self.supervised_on:%-d %b %Y}"

    @property
    def discussed_with_family(self) -> bool:
        return self.discussed_with_family_on is not None


class SupervisionAction(models.Model):
    """One row of the agreed action plan: what, who, by when."""

    record = models.ForeignKey(SupervisionRecord, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveSmallIntegerField()
    what = models.TextField()
    who = models.CharField(max_length=200)
    by_when = models.DateField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision action")
        ordering = ["record", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "position"], name="one_supervision_action_per_position"
            ),
            models.CheckConstraint(
                condition=~Q(what="") & ~Q(who=""), name="supervision_action_has_what_and_who"
            ),
        ]

    def __str__(self):
        return f"{self.what[:60]} ({self.who}, by {self.by_when:%-d %b %Y})"
