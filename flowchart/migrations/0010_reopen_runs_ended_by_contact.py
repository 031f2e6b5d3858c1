"""Reopen the runs of the flow chart that contact alone had ended as "engaged".

Before contact and engagement were told apart, any "seen" or "spoke" with a family member ended
the flow chart as engaged. Knowsley's flow chart is "the minimum attempts to engage the parent"
(000, Appendix 4): contact is not engagement. No earlier record says that a parent or carer agreed
to work with us, so each run ended as "engaged" is running again, from its own Day 1, and its
case, if still marked engaged, is open again; each change is written to the records' history with
the reason. A run is left ended where the case has a later run live (it cannot have two).
The sweep works out each reopened run's due steps on its next pass (its summary is emptied and
its next due date set to Day 1, so the sweep reads it).
"""

from django.db import migrations
from django.utils import timezone

REASON = "Contact is not engagement: reopened, as no parent or carer was recorded agreeing to work with us"


def _history(apps, app_label, model_name, obj, when):
    Historical = apps.get_model(app_label, f"Historical{model_name}")
    names = {f.attname for f in Historical._meta.fields}
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.fields if f.attname in names}
    Historical.objects.create(
        **values, history_date=when, history_type="~", history_change_reason=REASON, history_user=None
    )


def reopen(apps, schema_editor):
    Episode = apps.get_model("flowchart", "Episode")
    Case = apps.get_model("cases", "Case")
    now = timezone.now()
    for episode in Episode.objects.filter(end_reason="engaged").order_by("pk"):
        if Episode.objects.filter(case_id=episode.case_id, ended_on__isnull=True).exists():
            continue
        episode.ended_on = None
        episode.end_reason = ""
        episode.summary = {}
        episode.next_due_on = episode.day1
        episode.changed_at = now
        episode.save(update_fields=["ended_on", "end_reason", "summary", "next_due_on", "changed_at"])
        _history(apps, "flowchart", "Episode", episode, now)
        case = Case.objects.get(pk=episode.case_id)
        if case.status == "engaged":
            case.status = "open"
            case.updated_at = now
            case.save(update_fields=["status", "updated_at"])
            _history(apps, "cases", "Case", case, now)


class Migration(migrations.Migration):
    dependencies = [
        ("flowchart", "0009_steps_not_possible"),
        ("engagement", "0008_contact_is_not_engagement"),
        ("cases", "0004_case_team_lead_index"),
    ]

    operations = [migrations.RunPython(reopen, migrations.RunPython.noop)]
