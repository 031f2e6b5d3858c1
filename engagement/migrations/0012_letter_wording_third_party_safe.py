"""Letter wording that says nothing a third party could read as a concern.

A letter may be opened by anyone at the address, including someone the family is kept safe from
(Knowsley 000, Appendix 4, day 10: "if DV ensure your letter would not increase risk"). The
wording seeded by 0005 said "Someone who cares about your family asked us to get in touch" and
spoke of support and of the person who asked us to help: enough to tell a reader that someone
has raised a worry. The new wording says who we are, that we would like to talk, and how to
reach us; nothing about worries, referrals, school or abuse.

Only a field still holding the wording 0005 seeded is changed: what an admin has rewritten is
theirs. Going back restores the old wording where the new one is still unchanged.
"""

from django.db import migrations

OLD_DAY_5_SUBJECT = "I called to see you today"
OLD_DAY_10_SUBJECT = "We would still like to help"

OLD_DAY_5 = """Dear {recipient},

I called at your home today but I was not able to see you. I am {practitioner}, and I work for {organisation}, helping families. Someone who cares about your family asked us to get in touch, because they think we may be able to help.

I called, and I will call again at ............................................................

I will visit on ........................ at ........................

If that time does not suit you, please ring me on ........................ and we can find a better time together. You are welcome to have someone with you when we meet.

With best wishes,

{practitioner}"""

OLD_DAY_10 = """Dear {recipient},

I have tried to reach you a few times over the last two weeks, by phone and by calling at your home, but we have not been able to speak.

We would still like to help if you would find that useful. Please contact us within 5 days if you would like support: you can ring me on ........................, or tell someone you trust, such as your child's school or your GP, and they can pass on a message.

If we do not hear from you, we will talk with the person who asked us to help about what happens next. You can contact us at any time in the future if things change.

With best wishes,

{practitioner}"""

DAY_5_SUBJECT = "I would like to talk with you"
DAY_10_SUBJECT = "Please get in touch"

DAY_5 = """Dear {recipient},

My name is {practitioner} and I work for {organisation}. I called at your home today, but I did not manage to see you.

I would like to talk with you. I will call again at ............................................................

I will visit on ........................ at ........................

If that time does not suit you, please ring me on ........................ and we can find a time that is better for you.

With best wishes,

{practitioner}"""

DAY_10 = """Dear {recipient},

My name is {practitioner} and I work for {organisation}. I have tried to reach you a few times recently, but we have not managed to speak.

I would still like to talk with you. Please get in touch within 5 days: you can ring me on ........................ at a time that suits you.

With best wishes,

{practitioner}"""

WORDING = {
    "day_5": ((OLD_DAY_5_SUBJECT, OLD_DAY_5), (DAY_5_SUBJECT, DAY_5)),
    "day_10": ((OLD_DAY_10_SUBJECT, OLD_DAY_10), (DAY_10_SUBJECT, DAY_10)),
}


def _change(apps, *, forwards: bool) -> None:
    LetterTemplate = apps.get_model("engagement", "LetterTemplate")
    for step, (old, new) in WORDING.items():
        before, after = (old, new) if forwards else (new, old)
        for template in LetterTemplate.objects.filter(step=step):
            changed = []
            if template.subject == before[0]:
                template.subject = after[0]
                changed.append("subject")
            if template.body.replace("\r\n", "\n").strip() == before[1]:
                template.body = after[1]
                changed.append("body")
            if changed:
                template.save(update_fields=changed)


def reword(apps, schema_editor):
    _change(apps, forwards=True)


def restore(apps, schema_editor):
    _change(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("engagement", "0011_household_letter_hold")]

    operations = [migrations.RunPython(reword, restore)]
