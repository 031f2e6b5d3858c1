"""A published version's steps are read once a process; a draft's every time
(flowchart/selectors/pathways.py::steps_for)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from flowchart import pathway_services
from flowchart.models import Pathway
from flowchart.pathways import KNOWSLEY
from flowchart.selectors import current_version, steps_for
from tests.factories import AdminFactory


def _read(version_ids):
    with CaptureQueriesContext(connection) as queries:
        steps = steps_for(version_ids)
    return steps, len(queries)


def test_a_published_version_s_steps_are_read_once_and_then_given_without_a_query(pathways):
    version = current_version()
    first, queries = _read([version.pk])
    assert queries == 1
    assert [s.title for s in first[version.pk]] == list(
        version.steps.order_by("order").values_list("title", flat=True)
    )

    again, queries = _read([version.pk])
    assert queries == 0
    assert again[version.pk] == first[version.pk]
    # Each caller gets its own list: changing it changes nothing kept.
    again[version.pk].clear()
    assert steps_for([version.pk])[version.pk] == first[version.pk]


def test_a_draft_s_steps_are_read_afresh_so_an_admin_s_change_shows_at_once(pathways):
    """ "A published version never changes": only a draft does, so only a draft is read each time."""
    admin = AdminFactory()
    published = current_version()
    draft = pathway_services.pathway_draft_make(pathway=Pathway.objects.get(code=KNOWSLEY), by=admin)
    steps_for([published.pk, draft.pk])

    step = draft.steps.order_by("order").first()
    pathway_services.pathway_step_change(step=step, by=admin, title="Telephone the family first")

    steps, queries = _read([published.pk, draft.pk])
    assert queries == 1  # the draft's steps only
    assert steps[draft.pk][0].title == "Telephone the family first"
    assert steps[published.pk][0].title != "Telephone the family first"


def test_a_version_with_no_steps_asked_for_gives_an_empty_list(pathways):
    assert steps_for([]) == {}
    assert steps_for([current_version().pk, 0])[0] == []
