"""Seed the factor catalogue with the examples of Knowsley's Appendix 3. Admins extend it."""

from django.db import migrations

PROTECTIVE = [
    "Emotional maturity and social awareness",
    "Evidenced personal safety skills (including knowledge of sources of help)",
    "Strong self-esteem",
    "Evidenced resilience and strong secure attachment",
    "Evidence of protective adults",
    "Evidence of support networks (supportive peers, relationships or social networks)",
    "Demonstrable capacity for change by caregivers and sustained acceptance of the need to change",
    "Openness and willingness to cooperate and accept professional help",
]
RISK = [
    "Previous abuse or neglect",
    "Parental substance misuse",
    "Domestic abuse",
    "Known or suspected sex offenders involved with the family",
    "Known or suspected violent offenders involved with the family",
    "Persons known or suspected of having physically harmed children previously",
    "Persons known or suspected of having seriously neglected children previously",
    "Mental illness or serious mental health problems in caregivers",
    "Economic and social disadvantage",
    "Evidence of significant debt",
    "Young parents",
    "Parents and carers with physical disabilities",
    "Parents and carers who have unrealistic expectations of their child",
]
VULNERABILITY = [
    "Age",
    "Prematurity",
    "Poor attachment",
    "Early childhood trauma",
    "Minority status",
    "Learning difficulties or additional support needs",
    "Physical disability",
    "Communication difficulties or impairment",
    "Isolation",
    "Frequent episodes in public or substitute care",
    "Frequent episodes of running away",
    "Conduct disorder",
    "Mental health problems",
    "Substance dependency or misuse",
    "Self-harm and suicide attempts",
    "Other high-risk behaviours",
]


def seed(apps, schema_editor):
    FactorCategory = apps.get_model("riskassessment", "FactorCategory")
    for kind, names in (("protective", PROTECTIVE), ("risk", RISK), ("vulnerability", VULNERABILITY)):
        for position, name in enumerate(names, start=1):
            FactorCategory.objects.get_or_create(kind=kind, name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("riskassessment", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
