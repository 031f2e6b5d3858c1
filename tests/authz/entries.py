"""How an authorization matrix entry is written."""

from collections.abc import Callable
from dataclasses import dataclass, field

# Shorthands for who may use a page.
CASE_TEAM = frozenset({"lead", "manager"})  # the lead practitioner and their line manager
MANAGER = frozenset({"manager"})
PRACTITIONERS = frozenset({"lead", "other_practitioner"})
STAFF = frozenset({"lead", "other_practitioner", "manager", "other_manager"})
AGENCY = frozenset({"agency"})  # the member of the world's case
AGENCY_MEMBERS = frozenset({"agency", "other_agency"})  # any multi-agency member, on their own page
SOCIAL_WORKER = frozenset({"social_worker"})  # the allocated social worker of the world's case
SOCIAL_WORKERS = frozenset({"social_worker", "other_social_worker"})  # any, on their own page
ADMIN = frozenset({"admin"})
SIGNED_IN = frozenset(
    {
        "lead",
        "other_practitioner",
        "manager",
        "other_manager",
        "agency",
        "other_agency",
        "social_worker",
        "other_social_worker",
        "admin",
        "performance",
        "information_governance",
    }
)
PERFORMANCE = frozenset({"performance"})  # returns across the authority
INFORMATION_GOVERNANCE = frozenset({"information_governance"})  # subject access requests


@dataclass(frozen=True)
class Entry:
    """Who may use one URL. Everyone else signed in gets 404; the anonymous go to sign in."""

    allowed: frozenset[str]
    kwargs: Callable = field(default=lambda world: {})
    # Filled in from the view (`cases.http.accepts`): the matrix checks every method it accepts.
    methods: tuple[str, ...] = ()
    public: bool = False  # the anonymous may use it too
    data: Callable = field(default=lambda world: {})  # POST body
    # For a URL that is not a page (a webhook): the POST's content type (its body `data` encoded as
    # JSON for "application/json") and the headers it carries, such as a bearer token.
    content_type: str = ""
    headers: Callable = field(default=lambda world: {})
