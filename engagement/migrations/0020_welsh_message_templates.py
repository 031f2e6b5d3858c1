"""Welsh wording for the texts and emails to families, beside the English of 0017_notify_messages.

A text or email to someone who chose Welsh for written information starts from the Welsh wording
(docs/notify.md). Each Welsh row has the name and kind of the English it translates and the same
((placeholders)); it is written in the formal register ("chi") of the Welsh letters
(0017_welsh_wording). A row is added only where that name, kind and language has none: wording an
admin has already written is never overwritten. Going back leaves the rows: an admin may have
edited them, and they do no harm to the schema before this migration.
"""

from django.db import migrations

# (name, kind, subject, body): the names and kinds are the English templates'.
TEMPLATES = [
    (
        "Trying to reach you",
        "sms",
        "",
        "Helo ((name)), ((practitioner_name)) sydd yma o wasanaeth Cymorth Cynnar y cyngor. Rwyf wedi "
        "bod yn ceisio cysylltu â chi i siarad am gymorth i'ch teulu. Ffoniwch fi neu anfonwch neges "
        "destun ataf ar ((practitioner_phone)), os gwelwch yn dda.",
    ),
    (
        "Visit arranged",
        "sms",
        "",
        "Helo ((name)), ((practitioner_name)) sydd yma o Gymorth Cynnar. Byddaf yn ymweld â chi ar y "
        "dyddiad hwn: ((date)). Os nad yw'r diwrnod hwnnw'n gyfleus i chi, ffoniwch fi neu anfonwch "
        "neges destun ataf ar ((practitioner_phone)).",
    ),
    (
        "Missed appointment",
        "sms",
        "",
        "Helo ((name)), ((practitioner_name)) sydd yma o Gymorth Cynnar. Mae'n ddrwg gennyf ein "
        "bod wedi methu â gweld ein gilydd. Ffoniwch fi neu anfonwch neges destun ataf ar "
        "((practitioner_phone)) er mwyn i ni ddod o hyd i amser sy'n gyfleus i chi.",
    ),
    (
        "Trying to reach you",
        "email",
        "Cefnogaeth i'ch teulu gan Gymorth Cynnar",
        "Annwyl ((name)),\n\nFy enw i yw ((practitioner_name)) ac rwy'n gweithio i wasanaeth Cymorth "
        "Cynnar y cyngor. Rwyf wedi bod yn ceisio cysylltu â chi i siarad am gymorth i'ch teulu.\n\n"
        "Ffoniwch fi neu anfonwch neges destun ataf ar ((practitioner_phone)), neu atebwch yr e-bost "
        "hwn, er mwyn i ni drefnu amser i siarad.\n\nGyda dymuniadau gorau,\n\n((practitioner_name))",
    ),
    (
        "Visit arranged",
        "email",
        "Eich ymweliad Cymorth Cynnar: ((date))",
        "Annwyl ((name)),\n\nByddaf yn ymweld â chi ar y dyddiad hwn: ((date)). Os nad yw'r diwrnod "
        "hwnnw'n gyfleus i chi, ffoniwch fi neu anfonwch neges destun ataf ar ((practitioner_phone)) "
        "a byddwn yn dod o hyd i ddiwrnod arall.\n\nGyda dymuniadau gorau,\n\n((practitioner_name))",
    ),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("engagement", "MessageTemplate")
    for name, kind, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            name=name, kind=kind, language="cy", defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0019_received_text_history"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
