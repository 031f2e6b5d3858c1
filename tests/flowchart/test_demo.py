from django.core.management import call_command

from flowchart.models import Decision, Episode, ManagerInformed, Oversight
from flowchart.selectors import episodes_progress


def test_demo_flow_charts_at_many_days_some_overdue_some_awaiting_oversight_one_decided(pathways, settings):
    call_command("seed_demo", stdout=None)
    episodes = list(Episode.objects.all())
    progress = episodes_progress(episodes)
    days = {p.day_number for p in progress.values()}
    assert len(days) >= 6
    assert any(p.overdue for p in progress.values())
    informed = set(ManagerInformed.objects.values_list("episode_id", flat=True))
    overseen = set(Oversight.objects.values_list("episode_id", flat=True))
    assert informed - overseen  # a manager has been told and has oversight to record
    assert Decision.objects.count() == 1
    assert Episode.objects.filter(end_reason="engaged").exists()

    call_command("seed_demo", stdout=None)
    assert Episode.objects.count() == len(episodes)
