"""What engagement asks of the flow chart above it, through the readers the flow chart sets."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from engagement import workflow
from flowchart import letters
from flowchart import selectors as flowchart_selectors


def test_the_flow_chart_sets_engagements_readers_when_it_starts():
    assert workflow._letter_step is letters.letter_flow_step
    assert workflow._attempt_counted is flowchart_selectors.attempt_counted


def test_without_the_flow_chart_engagement_says_so_rather_than_guess(monkeypatch):
    monkeypatch.setattr(workflow, "_letter_step", None)
    monkeypatch.setattr(workflow, "_attempt_counted", None)
    with pytest.raises(ImproperlyConfigured, match="ready"):
        workflow.letter_flow_step(case=None, day=10)
    with pytest.raises(ImproperlyConfigured, match="ready"):
        workflow.attempt_counted(None)
