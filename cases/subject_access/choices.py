"""Whose information a gathered part is, and what that means for the bundle. No models here:
the apps import it from their AppConfig modules, before the models are loaded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Whose(models.TextChoices):
    """Whose information a part of a gathered item is. Decides whether it is redacted by default."""

    SUBJECT = "subject", _("The requester's own information")
    FAMILY = "family", _("About the family as a whole")
    THIRD_PARTY = "third_party", _("Another person's information")
    AUTHOR = "author", _("The member of staff who wrote it")
    OTHER_STAFF = "other_staff", _("Another member of staff")
    READER = "reader", _("Who read the record")


# Third parties' information (other family members, referrers, staff other than the author) is
# marked for redaction until the reviewer decides otherwise.
REDACTED_BY_DEFAULT = frozenset({Whose.THIRD_PARTY, Whose.OTHER_STAFF})

# What the released bundle prints in place of a redacted part: the words are never in the file.
REDACTION_MARK = "[Redacted: third party]"
