"""What the flow chart shows on the kernel's case list and case page (added in FlowchartConfig.ready()).

The kernel's pages (cases/views.py) cannot import the flow chart: the case page's panel reads its
chart from here, and each row of My cases its live run's summary.
"""

from typing import Any

from cases.models import Case

from . import selectors


def case_page_context(case: Case) -> dict[str, Any]:
    """The case's flow chart as the case page shows it (flowchart/case_summary_panel.html): where
    it is and what is owed next. The step-by-step chart is on its own page, whose link the panel
    gives: deriving it was most of the case page's time, for a section most views leave folded."""
    return {"chart": selectors.case_flowchart_summary(case)}


def case_list_flowchart(cases: list[Case]) -> None:
    """Give each case on the list its live flow chart's summary (None when it is not running).

    The one case-list callback that reads: a fixed number of queries, however many rows
    (selectors.my_cases_flowchart), and none for an empty list.
    """
    if not cases:
        return
    summaries = selectors.my_cases_flowchart(cases)
    for case in cases:
        case.flowchart_progress = summaries.get(case.pk)
