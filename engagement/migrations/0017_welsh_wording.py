"""Welsh wording for the letters and the working together agreement, beside the English.

Welsh councils must send system-generated letters in Welsh to a person who asks for them in Welsh
(the Welsh Language Standards). Each wording now has a language; the English rows already there
stay as they are (an admin may have changed them) and are marked English. The Welsh rows are
added once, in the formal register ("chi") Welsh councils write to the public in, with the same
gaps in braces as the English. An admin edits them like the English (docs/language.md).

The day-5 and day-10 letters translate the wording of 0012 (nothing a third party could read as
a concern); the agreement translates 0005's. Going back removes only Welsh rows still holding
this wording.
"""

from django.db import migrations, models

AGREEMENT_NAME = "Ein cytundeb gweithio gyda'n gilydd"

OUR_COMMITMENTS = """Bod yn barchus tuag atoch chi a'ch teulu
Bod yn onest ac yn agored bob amser
Bod yn glir ynghylch pam rydym yn gweithio gyda chi
Edrych bob amser ar gryfderau eich teulu cyfan
Gwrando bob amser ar eich sylwadau a'ch barn
Codi unrhyw bryderon sydd gennym bob amser mewn ffordd sensitif ond clir
Eich helpu i ddod o hyd i atebion i unrhyw broblemau
Eich annog chi a'ch teulu bob amser yn y newidiadau a wnewch
Trefnu apwyntiadau i'ch gweld ar yr amser gorau i chi a'ch teulu
Os bydd yn rhaid i ni newid neu ganslo apwyntiad, byddwn yn cysylltu â chi ac yn trefnu amser arall cyn gynted ag y gallwn"""

FAMILY_COMMITMENTS = """Bod yn onest gyda ni am unrhyw faterion neu bryderon sydd gennych
Ceisio ymddiried ein bod yma i helpu ac i wneud pethau'n well i chi a'ch teulu
Gweithio gyda ni i geisio cytuno ar atebion
Gwneud eich gorau bob amser i wneud y newidiadau sydd eu hangen
Dweud wrthym os oes rhywbeth nad ydych yn ei ddeall neu nad ydych yn cytuno ag ef
Gwneud eich gorau i ddod i unrhyw apwyntiadau
Os na allwch ddod i apwyntiad, rhoi gwybod i ni a chytuno ar ddyddiad ac amser newydd
Rhoi gwybod i ni yn gynnar beth yw'r ffordd orau i ni gyfathrebu â chi (neges destun, ffôn ac ati)
Rhoi gwybod i ni os byddwn yn gwneud rhywbeth nad ydych yn hapus ag ef, neu os byddwn yn gwneud rhywbeth da"""

CLOSING = (
    "Drwy weithio gyda'n gilydd fel hyn, rydym yn gobeithio y gallwn eich cefnogi chi a'ch teulu i "
    "sicrhau'r canlyniad gorau posibl i'ch plant. Byddwn yn adolygu'r cytundeb hwn gyda chi ar y "
    "dyddiad adolygu. Os byddwn yn ei chael yn anodd gweithio gyda'n gilydd, byddwn yn dweud wrthych "
    "yn onest beth sy'n ein poeni ac yn parhau i geisio helpu."
)

DAY_5_SUBJECT = "Hoffwn siarad â chi"
DAY_10_SUBJECT = "Cysylltwch â mi, os gwelwch yn dda"

DAY_5 = """Annwyl {recipient},

Fy enw i yw {practitioner} ac rwy'n gweithio i {organisation}. Galwais yn eich cartref heddiw, ond ni lwyddais i'ch gweld.

Hoffwn siarad â chi. Byddaf yn galw eto am ............................................................

Byddaf yn ymweld ar ........................ am ........................

Os nad yw'r amser hwnnw'n gyfleus i chi, ffoniwch fi ar ........................ a gallwn ddod o hyd i amser sy'n well i chi.

Gyda dymuniadau gorau,

{practitioner}"""

DAY_10 = """Annwyl {recipient},

Fy enw i yw {practitioner} ac rwy'n gweithio i {organisation}. Rwyf wedi ceisio cysylltu â chi sawl gwaith yn ddiweddar, ond nid ydym wedi llwyddo i siarad.

Hoffwn siarad â chi o hyd. Cysylltwch â mi o fewn 5 diwrnod: gallwch fy ffonio ar ........................ ar adeg sy'n gyfleus i chi.

Gyda dymuniadau gorau,

{practitioner}"""

LETTERS = {"day_5": (DAY_5_SUBJECT, DAY_5), "day_10": (DAY_10_SUBJECT, DAY_10)}


def seed(apps, schema_editor):
    AgreementTemplate = apps.get_model("engagement", "AgreementTemplate")
    LetterTemplate = apps.get_model("engagement", "LetterTemplate")
    if not AgreementTemplate.objects.filter(language="cy").exists():
        AgreementTemplate.objects.create(
            name=AGREEMENT_NAME,
            language="cy",
            our_commitments=OUR_COMMITMENTS,
            family_commitments=FAMILY_COMMITMENTS,
            closing_words=CLOSING,
        )
    for step, (subject, body) in LETTERS.items():
        LetterTemplate.objects.get_or_create(
            step=step, language="cy", defaults={"subject": subject, "body": body}
        )


def unseed(apps, schema_editor):
    AgreementTemplate = apps.get_model("engagement", "AgreementTemplate")
    LetterTemplate = apps.get_model("engagement", "LetterTemplate")
    AgreementTemplate.objects.filter(
        language="cy",
        name=AGREEMENT_NAME,
        our_commitments=OUR_COMMITMENTS,
        family_commitments=FAMILY_COMMITMENTS,
    ).delete()
    for step, (subject, body) in LETTERS.items():
        LetterTemplate.objects.filter(step=step, language="cy", subject=subject, body=body).delete()
    # Welsh an admin wrote is never deleted here; going back would leave it looking like English.
    if (
        LetterTemplate.objects.filter(language="cy").exists()
        or AgreementTemplate.objects.filter(language="cy").exists()
    ):
        raise RuntimeError(
            "Welsh wording an admin has changed is still here: keep a copy and delete it before going "
            "back past engagement 0017"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0016_offline_settings"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="lettertemplate",
            options={
                "ordering": ["step", "language"],
                "verbose_name": "letter wording",
                "verbose_name_plural": "letter wording",
            },
        ),
        migrations.AddField(
            model_name="agreement",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="agreementtemplate",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreementtemplate",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="historicalletter",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="historicallettertemplate",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="written in",
            ),
        ),
        migrations.AddField(
            model_name="lettertemplate",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                default="en",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="historicallettertemplate",
            name="step",
            field=models.CharField(
                choices=[
                    ("day_5", "Day 5: after the first unannounced visit"),
                    ("day_10", "Day 10: please contact us within 5 days"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="lettertemplate",
            name="step",
            field=models.CharField(
                choices=[
                    ("day_5", "Day 5: after the first unannounced visit"),
                    ("day_10", "Day 10: please contact us within 5 days"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="lettertemplate",
            constraint=models.UniqueConstraint(
                fields=("step", "language"),
                name="one_letter_wording_per_step_and_language",
                violation_error_message="There is wording for this step in this language already: change that one instead",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
