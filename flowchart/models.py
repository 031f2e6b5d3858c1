"""Pathways as versioned data, episodes, manager oversight and decisions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.calendar import Calendar, Nation, bank_holidays
from cases.models import Case, CaseMembership, User

from .choices import EpisodeEndReason, StepRequirement, StepTiming
from .schedule import StepSpec

# ---------------------------------------------------------------------------------------------
# Pathways: the flow chart as versioned data.


class Responsible(models.TextChoices):
    LEAD_PRACTITIONER = "lead_practitioner", _("Lead practitioner")
    LINE_MANAGER = "line_manager", _("Line manager")


class Pathway(models.Model):
    """A named route through non-engagement, such as Knowsley's 15-day flow chart."""

    code = models.SlugField(
        max_length=60, unique=True, help_text=_("A short name used by the system. Do not change it.")
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(
        _("Used for new cases"),
        default=False,
        help_text=_("New cases follow this pathway unless someone chooses another. Only one can be."),
    )
    # Which next steps the line manager chooses from on the decision day (DecisionOutcome values,
    # in the order offered). Empty: the Knowsley set (see flowchart/outcomes.py).
    decision_outcomes = models.JSONField(
        _("Decisions offered on the decision day"),
        default=list,
        blank=True,
        help_text=_(
            "None ticked: step up, step down, close, continue with a review date, single agency "
            "monitoring, or invite the social worker to the multi-agency meeting (the Knowsley flow chart)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_pathway"
            )
        ]

    def __str__(self):
        return self.name


class PathwayVersion(models.Model):
    """One edition of a pathway's steps. Published versions never change; episodes keep theirs."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    notes = models.TextField(_("What changed"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty while this is a draft that can still be edited.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pathway", "-number"]
        verbose_name = _("pathway version")
        constraints = [
            models.UniqueConstraint(fields=["pathway", "number"], name="one_version_number_per_pathway"),
            models.UniqueConstraint(
                fields=["pathway"], condition=Q(published_at__isnull=True), name="one_draft_per_pathway"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_1"),
        ]

    def __str__(self):
        values = {"pathway": self.pathway.name, "number": self.number}
        if self.is_published:
            return gettext("%(pathway)s, version %(number)s (published)") % values
        return gettext("%(pathway)s, version %(number)s (draft)") % values

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# When a step is due, as people say it: its timing's label with the step's day in it.
STEP_WHEN = {
    StepTiming.BEFORE: _("Before day %(day)s"),
    StepTiming.ON: _("On day %(day)s"),
    StepTiming.BY: _("No later than day %(day)s"),
}


class Step(models.Model):
    version = models.ForeignKey(PathwayVersion, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(help_text=_("Steps are shown and checked in this order."))
    day = models.PositiveSmallIntegerField(_("Day number"), help_text=_("Day 1 is the referral date."))
    timing = models.CharField(max_length=10, choices=StepTiming.choices, default=StepTiming.ON)
    title = models.CharField(max_length=300)
    requirement = models.CharField(
        _("Done when"), max_length=30, choices=StepRequirement.choices, default=StepRequirement.ATTEMPTS
    )
    attempt_kinds = models.JSONField(
        _("Kinds of attempt that count"),
        default=list,
        blank=True,
        help_text=_("Only for steps done by contact attempts."),
    )
    attempt_count = models.PositiveSmallIntegerField(_("Number of attempts needed"), default=1)
    attempt_outcomes = models.JSONField(
        _("Outcomes that count"),
        default=list,
        blank=True,
        help_text=_("Leave empty to count any outcome."),
    )
    responsible = models.CharField(
        max_length=30, choices=Responsible.choices, default=Responsible.LEAD_PRACTITIONER
    )
    guidance = models.TextField(blank=True)
    if_possible = models.BooleanField(
        _("Can be recorded as not possible"),
        default=False,
        help_text=_(
            "For steps the guidance qualifies with 'if possible': the practitioner can record "
            "that it was not possible, with the reason, and it does not go overdue."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="one_step_per_order"),
            models.CheckConstraint(condition=Q(day__gte=1), name="step_day_from_1"),
            models.CheckConstraint(condition=Q(attempt_count__gte=1), name="step_needs_an_attempt"),
        ]

    def __str__(self):
        return f"{self.when}: {self.title}"

    @property
    def when(self) -> str:
        """When the step is due, as people say it: "On day 5", "No later than day 13"."""
        return STEP_WHEN[self.timing] % {"day": self.day}

    def spec(self) -> StepSpec:
        return StepSpec(
            id=self.pk,
            order=self.order,
            day=self.day,
            timing=self.timing,
            title=self.title,
            requirement=self.requirement,
            attempt_kinds=tuple(self.attempt_kinds or ()),
            attempt_count=self.attempt_count,
            attempt_outcomes=tuple(self.attempt_outcomes or ()),
            responsible=self.responsible,
            guidance=self.guidance,
            if_possible=self.if_possible,
        )


# Reminder emails go out in working hours: a time outside them would reach people at night.
REMINDER_EARLIEST = dt.time(7, 0)
REMINDER_LATEST = dt.time(18, 0)
ESCALATE_AFTER_MAX_DAYS = 10


def _between(low: int, high: int, message: str) -> list:
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


class FlowchartSettings(models.Model):
    """How days are counted, when reminders go and when overdue steps escalate. One row."""

    working_days = models.BooleanField(
        _("Count working days"),
        default=True,
        help_text=_(
            "Ticked: days skip weekends, bank holidays and service closure days. "
            "Not ticked: every calendar day counts."
        ),
    )
    nation = models.CharField(
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text=_("Whose bank holidays are skipped."),
    )
    morning_reminder_time = models.TimeField(
        default=dt.time(8, 0),
        help_text=_(
            "Each working day from this time, practitioners get one email of what is due and "
            "overdue. Between 7am and 6pm."
        ),
    )
    escalate_overdue_steps = models.BooleanField(
        _("Tell the line manager about overdue steps"),
        default=True,
        help_text=_(
            "Ticked: the case's line manager gets one email for each step not done in time. "
            "The lead practitioner's morning email lists overdue steps either way."
        ),
    )
    escalate_after_days = models.SmallIntegerField(
        _("Days overdue before the line manager is told"),
        default=1,
        validators=_between(
            1,
            ESCALATE_AFTER_MAX_DAYS,
            format_lazy(_("Enter a number of days from 1 to {maximum}"), maximum=ESCALATE_AFTER_MAX_DAYS),
        ),
        help_text=_(
            "Counted in the flow chart's days (working days when those are counted). 1 tells "
            "them on the first day after the step was due."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("days, reminders and escalation setting")
        verbose_name_plural = _("days, reminders and escalation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_flowchart_settings_row"),
            models.CheckConstraint(
                condition=Q(escalate_after_days__gte=1, escalate_after_days__lte=ESCALATE_AFTER_MAX_DAYS),
                name="flowchart_escalate_after_in_range",
            ),
        ]

    def __str__(self):
        values = {"nation": self.get_nation_display(), "time": f"{self.morning_reminder_time:%H:%M}"}
        if self.working_days:
            return gettext("Working days (%(nation)s), reminders from %(time)s") % values
        return gettext("Calendar days (%(nation)s), reminders from %(time)s") % values

    def clean(self):
        time = self.morning_reminder_time
        if time is not None and not REMINDER_EARLIEST <= time <= REMINDER_LATEST:
            raise ValidationError(
                {
                    "morning_reminder_time": _(
                        "Enter a time between 7am and 6pm: reminders go out in working hours"
                    )
                }
            )


class ClosureDay(models.Model):
    """A working day the whole service is shut (an office move, a council closure day).

    Counted like a bank holiday wherever the flow chart counts working days, including for
    families already in the flow chart: nobody can visit on a day the service is shut.
    """

    date = models.DateField(
        unique=True,
        error_messages={"unique": _("This date is already a closure day: change that one instead")},
        help_text=_("For example 29/12/2026."),
    )
    reason = models.CharField(
        max_length=200, help_text=_("Why the service is shut, for example 'Council closure day'.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("service closure day")
        verbose_name_plural = _("service closure days")

    def __str__(self):
        return f"{self.date:%A %-d %B %Y}: {self.reason}"

    def clean(self):
        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = _("Enter why the service is shut on this day")
        else:
            self.reason = " ".join(self.reason.split())
        if self.date is not None:
            others = ClosureDay.objects.filter(date=self.date).exclude(pk=self.pk)
            nation = FlowchartSettings.objects.filter(pk=1).values_list("nation", flat=True).first()
            nation = nation or Nation.ENGLAND
            date, day = f"{self.date:%-d %B %Y}", f"{self.date:%A %-d %B %Y}"
            if others.exists():
                errors["date"] = _("%(date)s is already a closure day: change that one instead") % {
                    "date": date
                }
            elif self.date.weekday() >= 5:
                errors["date"] = _("%(day)s is a weekend day, which is never counted: enter a weekday") % {
                    "day": day
                }
            elif self.date in bank_holidays(nation, self.date.year):
                errors["date"] = _(
                    "%(date)s is a bank holiday in %(nation)s, which is never counted: enter another day"
                ) % {"date": date, "nation": Nation(nation).label}
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# Episodes: a case's run through a pathway.


class SummaryText(models.Func):
    """One value of an episode's stored summary as text (a date as "2026-12-06"), read with a
    single JSON lookup: `SummaryText("oversight", 0)`, `SummaryText("on")`. `None` where there is
    no value. The expression of the summary's generated columns (`Episode.oversight_due`...)."""

    output_field = models.TextField()

    def __init__(self, *path: str | int):
        self.path = path
        super().__init__("summary")

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        where = "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in self.path)
        return f"JSON_EXTRACT({column}, %s)", (*params, where)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"({column} #>> %s)", (*params, [str(part) for part in self.path])


class Episode(models.Model):
    """A case's run through one pathway version, from Day 1 until it ends."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="episodes")
    version = models.ForeignKey(PathwayVersion, on_delete=models.PROTECT, related_name="episodes")
    day1 = models.DateField(_("Day 1"))
    # The calendar in force when the episode started: a later change to the setting leaves it be.
    working_days = models.BooleanField(default=True)
    nation = models.CharField(max_length=3, choices=Nation.choices, default=Nation.ENGLAND)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EpisodeEndReason.choices, blank=True)
    # Kept by the services whenever the records change, so the sweep reads only what is due.
    next_due_on = models.DateField(null=True, blank=True)
    # When the services last changed what is due, so later sweeps of a day read only those.
    changed_at = models.DateTimeField(default=timezone.now)
    # The open steps and their due dates as the services last worked them out (see
    # schedule.summary_record), so lists of many families need not derive each flow chart.
    # Derived from the records, never evidence itself: left out of the history.
    summary = models.JSONField(default=dict, blank=True, editable=False)
    # What a manager's queue compares of each of their teams' live episodes ("Needs you"), kept
    # by the database from the summary itself, so no writer of the summary (the services, the
    # summaries' fill, the sweep's UPDATE) can leave them out of step with it. Comparing stored
    # text costs nothing; reading it from the JSON cost a parse of each summary for each value,
    # half the queue's read for a manager of 500 families. ISO dates as text, which compare as
    # dates do: the first open oversight step's due date and the first open decision's.
    oversight_due = models.GeneratedField(
        expression=SummaryText("oversight", 0), output_field=models.TextField(), db_persist=True
    )
    decision_due = models.GeneratedField(
        expression=SummaryText("decision", 0), output_field=models.TextField(), db_persist=True
    )
    # The day the summary was worked out, where it has the manager's due dates at all (a summary
    # from before they were kept has none, and is worked out in full).
    summary_on = models.GeneratedField(
        expression=models.Case(models.When(summary__has_key="decision", then=SummaryText("on"))),
        output_field=models.TextField(),
        db_persist=True,
    )
    history = HistoricalRecords(excluded_fields=["summary", "oversight_due", "decision_due", "summary_on"])

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="one_live_episode_per_case"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="episode_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_due_on"],
                condition=Q(ended_on__isnull=True, next_due_on__isnull=False),
                name="episode_live_next_due",
            )
        ]

    def __str__(self):
        return gettext("%(case)s on %(version)s") % {"case": self.case, "version": self.version}

    @property
    def is_live(self) -> bool:
        return self.ended_on is None

    @property
    def calendar(self) -> Calendar:
        return Calendar(working_days=self.working_days, nation=self.nation)


class StepNotPossible(models.Model):
    """An "if possible" step the practitioner could not do, and why: it does not go overdue.

    Knowsley's day 8 ("Contact referrer or other practitioner if possible") and day 12 ("Discuss
    with referrer (if possible)"), and any step an admin marks so.
    """

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="steps_not_possible")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("Why it was not possible"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("step not possible")
        verbose_name_plural = _("steps not possible")
        constraints = [
            models.UniqueConstraint(fields=["episode", "step"], name="step_not_possible_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="step_not_possible_has_reason"),
        ]

    def __str__(self):
        return gettext("Not possible: %(step)s") % {"step": self.step.title}


class SweepDay(models.Model):
    """The day's full reminder pass is done: later sweeps that day read only changed episodes."""

    day = models.DateField(unique=True)
    completed_at = models.DateTimeField(default=timezone.now)
    recorded = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("reminder sweep")

    def __str__(self):
        return gettext("Reminders for %(day)s: %(recorded)s sent") % {
            "day": f"{self.day:%-d %B %Y}",
            "recorded": self.recorded,
        }


class RiskChange(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure yet")


class ManagerInformed(models.Model):
    """The lead practitioner tells their manager of the non-engagement (by day 13)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="manager_informed")
    informed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    informed_at = models.DateTimeField(default=timezone.now)
    strategies_tried = models.TextField()
    fera_outcome = models.TextField(_("Outcome of the Family Engagement Risk Assessment"))
    risk_increased = models.CharField(
        _("Does the non-engagement increase the risk?"), max_length=10, choices=RiskChange.choices
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-informed_at"]
        verbose_name = _("manager informed")
        verbose_name_plural = _("managers informed")

    def __str__(self):
        return gettext("%(manager)s informed about %(case)s on %(date)s") % {
            "manager": self.manager,
            "case": self.episode.case,
            "date": f"{self.informed_at:%d %b %Y}",
        }


class Oversight(models.Model):
    """The manager's record of the discussion: management oversight on the child's record."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="oversights")
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    discussion = models.TextField()
    risk_raised = models.CharField(
        _("Does the non-engagement raise the risk to the children?"),
        max_length=10,
        choices=RiskChange.choices,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("management oversight")
        verbose_name_plural = _("management oversight")

    def __str__(self):
        return gettext("Oversight by %(manager)s on %(date)s") % {
            "manager": self.manager,
            "date": f"{self.recorded_at:%d %b %Y}",
        }


class OversightAction(models.Model):
    oversight = models.ForeignKey(Oversight, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField()
    who = models.CharField(max_length=200)
    by_when = models.DateField()
    review_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["by_when", "id"]
        indexes = [models.Index(fields=["review_on"], name="oversight_action_review")]
        constraints = [
            models.CheckConstraint(condition=Q(review_on__gte=F("by_when")), name="action_review_after_due")
        ]

    def __str__(self):
        return self.what[:80]


class DecisionOutcome(models.TextChoices):
    # Knowsley, Appendix 4: "No later than Day 15" and the outcomes after the FERA.
    STEP_UP = "step_up", _("Step up to children's social care")
    STEP_DOWN = "step_down", _("Step down to level 2 services")
    CLOSE = "close", _("Close the case")
    CONTINUE = "continue", _("Continue the engagement process, with a review date")
    SINGLE_AGENCY = "single_agency", _("Single agency monitoring")
    INVITE_SOCIAL_WORKER = (
        "invite_social_worker",
        _("Invite the social worker to attend the multi-agency meeting"),
    )
    # Camden, for cases already open to children's social care.
    SOCIAL_WORKER_REVIEW = "social_worker_review", _("Ask the allocated social worker to review the plan")
    NETWORK_MEETING = "network_meeting", _("Hold a network meeting")
    COMPLEXITY_PANEL = "complexity_panel", _("Refer to the complexity panel")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Decision(models.Model):
    """The next steps agreed with the line manager, no later than day 15."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="decision")
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    reasons = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    considered_mash_referral = models.CharField(
        _("Referral back to the MASH considered"), max_length=3, choices=Answer.choices
    )
    considered_multi_agency_meeting = models.CharField(
        _("Multi-agency meeting considered"), max_length=3, choices=Answer.choices
    )
    considered_level_two = models.CharField(
        _("Level 2 services considered"), max_length=3, choices=Answer.choices
    )
    social_worker_consulted = models.CharField(
        _("Social worker consulted (step-down case)"), max_length=3, choices=Answer.choices, blank=True
    )
    options_notes = models.TextField(blank=True)
    social_worker_meeting_on = models.DateField(
        _("Date of the multi-agency meeting the social worker is invited to"), null=True, blank=True
    )
    # Telling the multi-agency meeting the agreed outcome (Appendix 4: "LP to inform Multi Agency
    # Meeting of agreed outcome within 5 working days"). Empty due date: recorded before this was kept.
    share_due_on = models.DateField(_("Share with the multi-agency meeting by"), null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    next_steps_shared = models.TextField(
        _("What happens next, as told to the multi-agency meeting"), blank=True
    )
    # When the sweep reminded the lead practitioner / escalated a late share: each goes once.
    share_reminded_at = models.DateTimeField(null=True, blank=True)
    share_escalated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["review_on"], name="decision_review"),
            models.Index(
                fields=["share_due_on"],
                condition=Q(shared_at__isnull=True, share_due_on__isnull=False),
                name="decision_share_outstanding",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="continue") | Q(review_on__isnull=False),
                name="continue_needs_review_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="invite_social_worker") | Q(social_worker_meeting_on__isnull=False),
                name="invite_social_worker_needs_meeting_date",
            ),
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True) | Q(shared_by__isnull=False),
                name="decision_shared_has_who",
            ),
        ]

    def __str__(self):
        return gettext("%(outcome)s (%(date)s)") % {
            "outcome": self.get_outcome_display(),
            "date": f"{self.decided_at:%d %b %Y}",
        }


class SafeguardingEscalation(models.Model):
    """An immediate safeguarding concern referred to the MASH now, not on day 15."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="escalations")
    escalated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(default=timezone.now)
    concern = models.TextField(_("The immediate safeguarding concern"))
    mash_contact = models.TextField(_("How and when the MASH was told, and who you spoke to"))
    mash_reference = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-escalated_at"]

    def __str__(self):
        return gettext("Escalated to the MASH on %(date)s") % {"date": f"{self.escalated_at:%d %b %Y}"}


class DecisionShare(models.Model):
    """A decision told to one multi-agency meeting member: its outcome, date and what happens next."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="shares")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="decision_shares")
    membership = models.ForeignKey(CaseMembership, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="one_decision_share_per_member")
        ]
        indexes = [models.Index(fields=["member", "shared_at"], name="decision_share_member")]

    def __str__(self):
        return gettext("%(decision)s shared with %(member)s") % {
            "decision": self.decision,
            "member": self.member,
        }


class ClosureOutcome(models.TextChoices):
    AGREED = "agreed", _("Agreed: the case is closed")
    NOT_AGREED = "not_agreed", _("Not agreed: the case stays open")


class ClosureRequest(models.Model):
    """A lead practitioner asks their line manager to close the case: the decision is the manager's.

    Knowsley, Appendix 4: "Agree with Line Manager the next steps ... Close Case".
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closure_requests")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("Why the case should close"))
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ClosureOutcome.choices, blank=True)
    decision_reason = models.TextField(_("The manager's reasons"), blank=True)
    # The decision that closed the case, when the manager agreed and a run of the flow chart took it.
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="closure_request"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decided_at__isnull=True),
                name="one_open_closure_request_per_case",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decided_by__isnull=True, outcome="")
                | Q(decided_at__isnull=False, decided_by__isnull=False, outcome__in=["agreed", "not_agreed"])
                & ~Q(decision_reason=""),
                name="closure_request_decided_has_who_and_why",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="closure_request_has_reason"),
        ]

    def __str__(self):
        return gettext("Request to close %(case)s (%(date)s)") % {
            "case": self.case,
            "date": f"{self.requested_at:%d %b %Y}",
        }

    @property
    def is_open(self) -> bool:
        return self.decided_at is None
