"""The case record and everyone on it: users and roles, teams, agencies, families, membership."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .identifiers import validate_nhs_number, validate_upn
from .messaging.models import OutboxMessage as OutboxMessage  # a model of a sub-package, registered here
from .notifications.models import Notification as Notification  # a model of a sub-package, registered here
from .storage import documents_storage
from .subject_access.models import GatheredItem as GatheredItem  # and those of subject access requests
from .subject_access.models import GatheredPart as GatheredPart
from .subject_access.models import SubjectAccessRelease as SubjectAccessRelease
from .subject_access.models import SubjectAccessRequest as SubjectAccessRequest


class Role(models.TextChoices):
    LEAD_PRACTITIONER = "lead_practitioner", _("Lead practitioner")
    LINE_MANAGER = "line_manager", _("Line manager")
    AGENCY_MEMBER = "agency_member", _("Multi-agency meeting member")
    # Children's social care: sees only the cases they are allocated to (a live social-worker
    # membership), and on those only what cases/access.py gives them.
    SOCIAL_WORKER = "social_worker", _("Allocated social worker")
    ADMIN = "admin", _("Admin")
    # Statutory and programme returns across the whole authority (issue 22): reads the returns,
    # never a case page.
    PERFORMANCE = "performance", _("Performance and returns officer")
    # Subject access requests (issue 22): gathers, reviews and releases what is held about a
    # person. Not the admin: admins configure and never read case content.
    INFORMATION_GOVERNANCE = "information_governance", _("Information governance officer")


class AgencyKind(models.TextChoices):
    EARLY_HELP = "early_help", _("Early help")
    SCHOOL = "school", _("School or education")
    HEALTH = "health", _("Health (GP, health visitor, school nurse)")
    POLICE = "police", _("Police")
    HOUSING = "housing", _("Housing")
    SOCIAL_CARE = "social_care", _("Children's social care")
    ADULT_MENTAL_HEALTH = "adult_mental_health", _("Adult mental health")
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse service")
    OTHER = "other", _("Other")


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    manager = models.ForeignKey(
        "cases.User", null=True, blank=True, on_delete=models.PROTECT, related_name="managed_teams"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.LEAD_PRACTITIONER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    work_phone = models.CharField(
        _("Work phone number"),
        max_length=50,
        blank=True,
        help_text=_("Given to families in texts and emails sent from the case, so they can call back."),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("Can open the configuration screens."))
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_practitioner(self):
        return self.role == Role.LEAD_PRACTITIONER

    @property
    def is_manager(self):
        return self.role == Role.LINE_MANAGER

    @property
    def is_agency_member(self):
        return self.role == Role.AGENCY_MEMBER

    @property
    def is_social_worker(self):
        return self.role == Role.SOCIAL_WORKER

    @property
    def is_admin_role(self):
        return self.role == Role.ADMIN


class ThresholdLevel(models.IntegerChoices):
    UNIVERSAL = 1, _("Level 1: universal")
    ADDITIONAL = 2, _("Level 2: additional needs, single agency early help")
    TARGETED = 3, _("Level 3: targeted, multi-agency early help")
    SPECIALIST = 4, _("Level 4: specialist or statutory")


class ReferralSource(models.TextChoices):
    SCHOOL = "school", _("School or education")
    HEALTH = "health", _("Health")
    POLICE = "police", _("Police")
    MASH = "mash", _("MASH")
    SOCIAL_CARE = "social_care", _("Children's social care (step down)")
    SELF = "self", _("The family themselves")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open: working to engage")
    ENGAGED = "engaged", _("Engaged")
    ESCALATED = "escalated", _("Escalated to the MASH: awaiting the decision")
    STEPPED_UP = "stepped_up", _("Stepped up to children's social care")
    STEPPED_DOWN = "stepped_down", _("Stepped down to level 2 services")
    CLOSED = "closed", _("Closed")


# Cases whose work is live: the flow chart, its reminders, the queues and the dashboards read these.
LIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.ENGAGED)
# Open cases: not closed, so still worked on. A case escalated to the MASH is open (the work with
# the family goes on and the manager's decision is still to be recorded) but not live flow-chart
# work: its episode ended with the escalation.
OPEN_STATUSES = (*LIVE_STATUSES, CaseStatus.ESCALATED)
TERMINAL_STATUSES = (CaseStatus.STEPPED_UP, CaseStatus.STEPPED_DOWN, CaseStatus.CLOSED)


class ReferralReasonCode(models.TextChoices):
    """Why the family was referred, in the DfE's primary need codes (CIN census), which councils
    use for early help episodes too: the SSD's `earl_episode_reason`."""

    N1 = "N1", _("N1: abuse or neglect")
    N2 = "N2", _("N2: child's disability or illness")
    N3 = "N3", _("N3: parental disability or illness")
    N4 = "N4", _("N4: family in acute stress")
    N5 = "N5", _("N5: family dysfunction")
    N6 = "N6", _("N6: socially unacceptable behaviour")
    N7 = "N7", _("N7: low income")
    N8 = "N8", _("N8: absent parenting")
    N9 = "N9", _("N9: cases other than children in need")
    N0 = "N0", _("N0: not stated")


class EndReasonCode(models.TextChoices):
    """Why the early help episode ended: the SSD's `earl_episode_end_reason`. The SSD sets no
    national list for early help; these are the product's, each a case's way of closing."""

    NEEDS_MET = "EH1", _("EH1: needs met, outcomes achieved")
    STEPPED_UP = "EH2", _("EH2: stepped up to children's social care")
    STEPPED_DOWN = "EH3", _("EH3: stepped down to universal or single-agency services")
    DECLINED = "EH4", _("EH4: family withdrew consent or declined the service")
    NOT_ENGAGED = "EH5", _("EH5: family did not engage")
    MOVED = "EH6", _("EH6: family moved out of the area")
    OTHER = "EH7", _("EH7: other")


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    family_name = models.CharField(
        max_length=200, help_text=_("How the family is known, for example 'Smith family'.")
    )
    referral_date = models.DateField(help_text=_("Day 1 of the flow chart."))
    referral_source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=200)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=200, help_text=_("Phone number or email address."))
    referral_reason = models.TextField()
    threshold_level = models.PositiveSmallIntegerField(choices=ThresholdLevel.choices)
    is_step_down = models.BooleanField(default=False)
    social_worker_name = models.CharField(max_length=200, blank=True)
    social_worker_contact = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    lead_practitioner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="led_cases")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # A legal hold (litigation, an inquiry, a subject access request in progress) stops any
    # disposal of the case, whatever its retention date says. Set and lifted through
    # cases/retention/, so the history shows who did it, when and why.
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.TextField(blank=True)
    legal_hold_set_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_hold_set_at = models.DateTimeField(null=True, blank=True)
    # The early help episode as the returns see it: from the referral date to `closed_on`, with
    # these two codes (insight/returns). Blank until someone records them.
    referral_reason_code = models.CharField(
        _("reason for the referral (return code)"),
        max_length=3,
        choices=ReferralReasonCode.choices,
        blank=True,
    )
    end_reason_code = models.CharField(
        _("reason the episode ended (return code)"), max_length=3, choices=EndReasonCode.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referral_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_hold=False)
                | Q(legal_hold_set_by__isnull=False, legal_hold_set_at__isnull=False)
                & ~Q(legal_hold_reason=""),
                name="case_legal_hold_has_reason_and_who",
            ),
            models.CheckConstraint(
                condition=Q(threshold_level__gte=1, threshold_level__lte=4),
                name="case_threshold_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TERMINAL_STATUSES], closed_on__isnull=False)
                | Q(status__in=[s.value for s in OPEN_STATUSES], closed_on__isnull=True),
                name="case_closed_on_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["lead_practitioner", "status"]),
            models.Index(fields=["team", "status"]),
            # The team dashboard lists everyone who leads a team case, and reads the ids of the
            # team's cases for its sharing figures: both from this index alone, not the table.
            models.Index(fields=["team", "lead_practitioner", "id"], name="case_team_lead"),
        ]

    def __str__(self):
        return f"{self.reference} {self.family_name}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class PersonKind(models.TextChoices):
    CHILD = "child", _("Child")
    ADULT = "adult", _("Adult")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Home visit")


class WrittenLanguage(models.TextChoices):
    """The language a person wants letters and other written things in. The product writes to
    families in English or Welsh (Welsh councils must offer Welsh); for another language the
    letter is in English and offers a translated version (engagement.documents.services)."""

    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh (Cymraeg)")
    OTHER = "other", _("Another language")


# The languages the product's own family-facing wording ships in (letters, agreements).
DOCUMENT_LANGUAGES = (WrittenLanguage.ENGLISH, WrittenLanguage.WELSH)


def document_language(person: "Person | None") -> str:
    """The language a document for this person is written in: Welsh if they chose it, else English."""
    if person is not None and person.written_language == WrittenLanguage.WELSH:
        return WrittenLanguage.WELSH
    return WrittenLanguage.ENGLISH


class SafeContact(models.TextChoices):
    """Parts of an adult's safe-contact plan that the service acts on (Camden 004: contact the
    victim "without the perpetrator's knowledge"); the rest is written in the notes."""

    TEXT_ONLY = "text_only", _("Text messages only")
    PHONE_ONLY = "phone_only", _("Their own mobile phone only")
    NO_LETTERS = "no_letters", _("Never by letter")
    NOT_WHEN_PARTNER_PRESENT = "not_when_partner_present", _("Not when their partner is there")
    THROUGH_THIRD_PARTY = "through_third_party", _("Through a trusted third party")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    NOT_KNOWN = "U", _("Not known")
    REFUSED = "R", _("Refused: they chose not to say")


class Gender(models.TextChoices):
    """Recorded only where it differs from sex."""

    MAN_OR_BOY = "M", _("Man or boy")
    WOMAN_OR_GIRL = "F", _("Woman or girl")
    ANOTHER_WAY = "I", _("In another way (for example non-binary)")
    NOT_KNOWN = "U", _("Not known")
    REFUSED = "R", _("Refused: they chose not to say")


class Ethnicity(models.TextChoices):
    """The DfE's ethnicity codes (CIN census, SSDA903, Annex A)."""

    WBRI = "WBRI", _("White: British")
    WIRI = "WIRI", _("White: Irish")
    WOTH = "WOTH", _("White: any other White background")
    WIRT = "WIRT", _("White: Traveller of Irish heritage")
    WROM = "WROM", _("White: Gypsy or Roma")
    MWBC = "MWBC", _("Mixed: White and Black Caribbean")
    MWBA = "MWBA", _("Mixed: White and Black African")
    MWAS = "MWAS", _("Mixed: White and Asian")
    MOTH = "MOTH", _("Mixed: any other mixed background")
    AIND = "AIND", _("Asian or Asian British: Indian")
    APKN = "APKN", _("Asian or Asian British: Pakistani")
    ABAN = "ABAN", _("Asian or Asian British: Bangladeshi")
    AOTH = "AOTH", _("Asian or Asian British: any other Asian background")
    BCRB = "BCRB", _("Black or Black British: Caribbean")
    BAFR = "BAFR", _("Black or Black British: African")
    BOTH = "BOTH", _("Black or Black British: any other Black background")
    CHNE = "CHNE", _("Chinese")
    OOTH = "OOTH", _("Any other ethnic group")
    REFU = "REFU", _("Refused: they chose not to say")
    NOBT = "NOBT", _("Not known: information not yet obtained")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_KNOWN = "not_known", _("Not known")
    REFUSED = "refused", _("Refused: they chose not to say")


class IdentifierAnswer(models.TextChoices):
    """Why a person has no unique pupil number or NHS number recorded: an answer, as 'not known'
    and 'refused' are for sex or ethnicity. Blank: the number is recorded, or nobody has asked."""

    NOT_KNOWN = "not_known", _("Not known")
    REFUSED = "refused", _("Refused: they chose not to say")


# What the returns need about a person, and nothing else needs: special category and identifying
# data. Named once here so that each rule reads the same list: they are shown only on the person's
# own page for them (cases:person_returns, which logs each reading), never in a list of people,
# an email or a notification (tests/cases/test_sensitive_fields.py), and disposed of with the
# case and its history (cases/retention).
SENSITIVE_FIELDS = (
    "sex",
    "gender",
    "ethnicity",
    "disability",
    "upn",
    "upn_status",
    "nhs_number",
    "nhs_number_status",
)


class Person(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people")
    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    school = models.CharField(max_length=200, blank=True)
    lives_in_household = models.BooleanField(default=True)
    language = models.CharField(max_length=100, blank=True, default="English")
    needs_interpreter = models.BooleanField(default=False)
    written_language = models.CharField(
        _("language for letters and written information"),
        max_length=10,
        choices=WrittenLanguage.choices,
        default=WrittenLanguage.ENGLISH,
    )
    prefers_verbal_communication = models.BooleanField(
        default=False,
        help_text=_("Literacy: explain things in person or by phone rather than in writing."),
    )
    learning_needs = models.TextField(blank=True)
    domestic_abuse_concern = models.BooleanField(
        default=False,
        help_text=_("A letter could increase risk: contact without the other party's knowledge."),
    )
    preferred_contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    safe_contact = models.JSONField(
        _("Safe-contact plan"), default=list, blank=True, help_text=_("Codes from SafeContact.")
    )
    safe_contact_notes = models.TextField(blank=True)
    # SENSITIVE_FIELDS: optional, never needed to record an attempt. Blank means not yet recorded;
    # "not known" and "refused" are answers.
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    gender = models.CharField(
        _("gender, where different from sex"), max_length=1, choices=Gender.choices, blank=True
    )
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)
    upn = models.CharField(_("unique pupil number"), max_length=13, blank=True, validators=[validate_upn])
    nhs_number = models.CharField(
        _("NHS number"), max_length=10, blank=True, validators=[validate_nhs_number]
    )
    # The answer given in place of a number: never both (the constraints below), so nothing can
    # say "refused" beside a number.
    upn_status = models.CharField(
        _("unique pupil number, if not recorded"), max_length=10, choices=IdentifierAnswer.choices, blank=True
    )
    nhs_number_status = models.CharField(
        _("NHS number, if not recorded"), max_length=10, choices=IdentifierAnswer.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="adult") | Q(date_of_birth__isnull=False),
                name="child_has_date_of_birth",
            ),
            models.CheckConstraint(condition=Q(upn="") | Q(upn_status=""), name="person_upn_or_answer"),
            models.CheckConstraint(
                condition=Q(nhs_number="") | Q(nhs_number_status=""), name="person_nhs_number_or_answer"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def safe_contact_labels(self) -> list[str]:
        labels = dict(SafeContact.choices)
        return [str(labels.get(code, code)) for code in self.safe_contact or ()]


class RelationshipKind(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEP_PARENT = "step_parent", _("Step-parent")
    PARTNER = "partner", _("Parent's partner")
    CARER = "carer", _("Carer or guardian")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Adult sibling")
    OTHER = "other", _("Other")


class Relationship(models.Model):
    """How an adult is related to one child of the family."""

    adult = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adult_relationships")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adult", "child"], name="one_relationship_per_adult_child")
        ]

    def __str__(self):
        return f"{self.adult} is {self.get_kind_display().lower()} of {self.child}"


class MembershipRole(models.TextChoices):
    CO_WORKER = "co_worker", _("Co-worker")
    AGENCY_MEMBER = "agency_member", _("Multi-agency meeting member")
    SOCIAL_WORKER = "social_worker", _("Allocated social worker")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("On the case")
    # A co-worker from another team: the case's team manager approves before they see the case.
    REQUESTED = "requested", _("Waiting for the manager's approval")
    REFUSED = "refused", _("Refused by the manager")


class CaseMembership(models.Model):
    """Someone other than the lead practitioner working on the case. Ended, never deleted.

    Only an active membership gives access (cases/access.py); a request waits for the manager,
    and a refused one is ended and kept as the record of who asked and who refused.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    agency_role = models.CharField(
        max_length=200, blank=True, help_text=_("For example 'Designated safeguarding lead'.")
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_live_membership_per_role",
            )
        ]
        indexes = [models.Index(fields=["user", "role", "ended_at"])]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) on {self.case.reference}"


class AccessLogEntry(models.Model):
    """Who looked at which case content, and when. Append-only."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=500)
    at = models.DateTimeField(default=timezone.now)
    # True when the user asked for this case and was refused (answered 404): repeated refusals
    # are how someone probing for cases they have no part in shows up.
    denied = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = _("access log entries")
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self):
        verb = "was refused" if self.denied else "viewed"
        return f"{self.user} {verb} {self.what} at {self.at:%Y-%m-%d %H:%M}"


class DisposalRecord(models.Model):
    """A case disposed of at the end of its retention period. Append-only.

    It holds no personal data, only the reference, dates and how many records went, so it can be
    kept for good as the evidence that disposal followed the retention schedule.
    """

    case_reference = models.CharField(max_length=20)
    case_number = models.PositiveBigIntegerField(help_text=_("The disposed case's internal id."))
    record_type = models.CharField(max_length=40)
    closed_on = models.DateField()
    due_on = models.DateField()
    authority = models.TextField(help_text=_("Who authorised the disposal, and under which schedule."))
    disposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, help_text=_("Records removed, by kind."))

    class Meta:
        ordering = ["-disposed_at", "-id"]

    def __str__(self):
        return f"{self.case_reference} disposed of on {self.disposed_at:%Y-%m-%d}"


class DocumentKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Family Engagement Risk Assessment")
    AGREEMENT = "agreement", _("Working together agreement")
    LETTER = "letter", _("Letter to the family")


class StoredFile(models.Model):
    """The bytes of a stored document (cases/storage.py), in the database every process reaches.

    Written once under a name that is never reused; never changed; removed only by a retention
    disposal of the case whose document it is.
    """

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Document(models.Model):
    """A signed PDF kept as a record: stored once with its hash, never changed or regenerated.

    `source_type` and `source_id` name the record it was made from (an assessment version, an
    agreement, a letter); who may open it is decided by that record's own rules.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="documents/%Y/", storage=documents_storage)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    signed = models.BooleanField(_("digitally signed"), default=True)
    source_type = models.CharField(_("made from"), max_length=60)
    source_id = models.CharField(_("record number"), max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signed document")
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_document_per_source"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_has_sha256"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self):
        return self.title


class KeptPost(models.Model):
    """A form posted when it could not be saved (the session had ended, or the CSRF check
    failed), kept so the person who typed it finds it again after signing in.

    It is case content and is never shown to anyone but `user`, and then only on `path`, whose
    own view checks access first (cases/kept_posts.py). Claimed rows are deleted; unclaimed ones
    go at `expires_at`. Not in the admin, and without history: a history would keep the text
    after the row is gone.
    """

    token = models.CharField(primary_key=True, max_length=64)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=2000)
    fields = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"Kept post {self.created_at:%Y-%m-%d %H:%M}"


class Draft(models.Model):
    """What someone has typed into a long form and not yet saved, kept as they type (issue 21).

    Keyed by the person and the form's page (`path`, which names the case and record): one draft
    a person a form, never shown to anyone else, and only on that page, whose own view checks
    access first (cases/drafts.py). It is case content, not a record yet: no history (a history
    would keep the text after the draft is gone), deleted when the form is saved or discarded,
    after `DraftSettings.draft_days`, and with its case when the case is disposed of.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=2000)
    # The posted fields, each a list of values as in a QueryDict, so formsets come back whole.
    fields = models.JSONField()
    saved_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="one_draft_per_user_and_form")]

    def __str__(self):
        return f"Draft saved {self.saved_at:%Y-%m-%d %H:%M}"


DRAFT_DAYS_MAX = 365
DRAFT_DAYS_OUT_OF_RANGE = format_lazy(_("Enter a number of days from 1 to {most}"), most=DRAFT_DAYS_MAX)


class DraftSettings(models.Model):
    """How long an unsaved draft of a form is kept. One row."""

    draft_days = models.SmallIntegerField(
        _("Days to keep an unsaved draft"),
        default=30,
        validators=[
            MinValueValidator(1, DRAFT_DAYS_OUT_OF_RANGE),
            MaxValueValidator(DRAFT_DAYS_MAX, DRAFT_DAYS_OUT_OF_RANGE),
        ],
        help_text=_(
            "A form someone started and did not save is kept for them, and only them, for this "
            "many days after they last typed in it, then deleted. Shortening it deletes older drafts "
            "within the hour."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unsaved drafts setting")
        verbose_name_plural = _("unsaved drafts settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_draft_settings_row"),
            models.CheckConstraint(
                condition=Q(draft_days__gte=1, draft_days__lte=DRAFT_DAYS_MAX),
                name="draft_days_in_range",
            ),
        ]

    def __str__(self):
        return str(_("Unsaved drafts"))
