from django.core.management import call_command

from cases.models import User
from engagement.practice.models import GrowGoal, SafetyMapping, SafetyRating, StageOfChange, SupervisionRecord


def test_the_demo_uses_every_tool_once_on_the_demo_practitioner_s_cases(db):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    priya = User.objects.get(email="practitioner@demo.local")
    counts = {
        model.__name__: model.objects.filter(case__lead_practitioner=priya).count()
        for model in (StageOfChange, SafetyMapping, GrowGoal, SupervisionRecord)
    }
    assert counts == {"StageOfChange": 3, "SafetyMapping": 3, "GrowGoal": 1, "SupervisionRecord": 1}
    # Both Taylor parents are on the cycle of change, at different stages.
    stages = (
        StageOfChange.objects.order_by("person__full_name")
        .distinct()
        .values_list("person__full_name", flat=True)
    )
    assert set(stages) == {"Kelly Taylor", "Dean Taylor"}
    assert SafetyRating.objects.count() == 9
    assert SupervisionRecord.objects.get().discussed_with_family_on is not None
