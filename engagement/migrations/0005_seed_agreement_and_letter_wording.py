"""The wording every agreement and letter starts from, which admins can then change."""

from django.db import migrations

OUR_COMMITMENTS = """Be respectful to you and your family
Be honest and open at all times
Be clear about why we are working with you
Always look at the strengths of your whole family
Always listen to your comments and opinions
Always raise any concerns we have in a sensitive but clear way
Help you to find solutions to any problems
Always encourage you and your family in the changes you make
Make appointments to see you at the best time for you and your family
If we have to change or cancel an appointment we will contact you and rearrange as soon as we can"""

FAMILY_COMMITMENTS = """Be honest with us about any issues or concerns you have
Try to trust that we are here to help and to make things better for you and your family
Work with us to try and agree solutions
Always try your best to make the changes you need to
Tell us if there is something you don't understand or agree with
Try your best to attend any appointments
If you can't make an appointment let us know and agree a rearranged date and time
Let us know early on the best way for us to communicate with you (text, phone etc)
Let us know if we do something you are not happy with or if we do something good"""

CLOSING = (
    "By working together in this way we hope that we can support you and your family to achieve "
    "the best possible outcome for your children. We will review this agreement with you on the "
    "review date. If we find it hard to work together, we will tell you honestly what worries us "
    "and keep trying to help."
)

DAY_5 = """Dear {recipient},

I called at your home today but I was not able to see you. I am {practitioner}, and I work for {organisation}, helping families. Someone who cares about your family asked us to get in touch, because they think we may be able to help.

I called, and I will call again at ............................................................

I will visit on ........................ at ........................

If that time does not suit you, please ring me on ........................ and we can find a better time together. You are welcome to have someone with you when we meet.

With best wishes,

{practitioner}"""

DAY_10 = """Dear {recipient},

I have tried to reach you a few times over the last two weeks, by phone and by calling at your home, but we have not been able to speak.

We would still like to help if you would find that useful. Please contact us within 5 days if you would like support: you can ring me on ........................, or tell someone you trust, such as your child's school or your GP, and they can pass on a message.

If we do not hear from you, we will talk with the person who asked us to help about what happens next. You can contact us at any time in the future if things change.

With best wishes,

{practitioner}"""


def seed(apps, schema_editor):
    AgreementTemplate = apps.get_model("engagement", "AgreementTemplate")
    LetterTemplate = apps.get_model("engagement", "LetterTemplate")
    if not AgreementTemplate.objects.exists():
        AgreementTemplate.objects.create(
            name="Our working together agreement",
            our_commitments=OUR_COMMITMENTS,
            family_commitments=FAMILY_COMMITMENTS,
            closing_words=CLOSING,
        )
    # A step's wording, where it has none yet. Later migrations add other languages' wording of
    # the same steps (0017), so the test's reseed after a flush finds more than one row a step.
    for step, subject, body in (
        ("day_5", "I called to see you today", DAY_5),
        ("day_10", "We would still like to help", DAY_10),
    ):
        if not LetterTemplate.objects.filter(step=step).exists():
            LetterTemplate.objects.create(step=step, subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("engagement", "0004_documents_agreements_letters")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
