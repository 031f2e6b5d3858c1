"""The flow chart's side of letters to families: which step of a case's running flow chart a letter is for.

Engagement writes and sends the letters; it asks this through `engagement.workflow`, which the
flow chart fills in its ready().
"""

from django.utils.translation import gettext as _

from cases.models import Case
from engagement.documents.services import LetterError
from engagement.models import AttemptKind

from .models import Episode, Step
from .selectors import live_episode


def letter_flow_step(
    *, case: Case, day: int | None, order: int | None = None
) -> tuple[Episode | None, Step | None]:
    """The case's running flow chart and the step of it the letter is for (None if none asks)."""
    episode = live_episode(case)
    if episode is None:
        if order is not None:
            raise LetterError(_("The flow chart is not running for this case: start it first"))
        return None, None
    steps = Step.objects.filter(version_id=episode.version_id).order_by("order")
    if order is not None:
        found = steps.filter(order=order).first()
        if found is None or AttemptKind.LETTER not in (found.attempt_kinds or ()):
            raise LetterError(
                _(
                    "Step %(order)s of this flow chart does not ask for a letter: choose the step the letter is for"
                )
                % {"order": order}
            )
        return episode, found
    found = next((s for s in steps if AttemptKind.LETTER in (s.attempt_kinds or ()) and s.day == day), None)
    return episode, found
