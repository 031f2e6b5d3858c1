"""What insight shows on the kernel's case page (added in InsightConfig.ready())."""

from cases.models import Case

from .selectors import SuddenDrop, case_sudden_drop


def case_page_context(case: Case) -> dict[str, SuddenDrop | None]:
    """The case's sudden drop in engagement, for the case page's warning (one query)."""
    return {"sudden_drop": case_sudden_drop(case)}
