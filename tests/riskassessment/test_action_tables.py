"""The two action tables are named the same wherever their rows go.

Appendix 2 has two tables of actions, "What needs to happen" and "Management oversight", each row
with what, who, by when and a review date. The one-action page, the oversight page's rows, the service's messages and the
signed PDF all read them from riskassessment.selectors.ACTION_TABLES through AssessmentView.
"""

from riskassessment.forms import OneActionForm, OversightForm
from riskassessment.models import ActionKind
from riskassessment.selectors import ACTION_TABLES, assessment_view

from .conftest import oversee


def test_the_view_gives_both_tables_in_the_paper_forms_order_with_their_rows(family, submitted):
    oversee(submitted, family.manager)

    view = assessment_view(submitted)

    assert [(table.heading, [a.what for a in rows]) for table, rows in view.action_tables] == [
        ("What needs to happen", ["Joint visit with the school nurse"]),
        ("Management oversight", ["Discuss in supervision"]),
    ]
    assert view.plan_actions == view.actions[ActionKind.PLAN]
    assert view.oversight_actions == view.actions[ActionKind.OVERSIGHT]


def test_the_page_rows_take_their_prefix_and_names_from_the_table(family, submitted):
    view = assessment_view(submitted)

    plan = OneActionForm(number=1)
    oversight = OversightForm(view=view).actions

    assert plan.row == f"{ACTION_TABLES[ActionKind.PLAN].row_name} 1" == "action 1"
    assert oversight.prefix == ACTION_TABLES[ActionKind.OVERSIGHT].prefix == "oversight"
    assert oversight.forms[0].row == "oversight action 1"
