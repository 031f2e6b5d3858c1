"""The guidance text the practice tools show beside their forms, kept as data.

Cycle of change: Knowsley's Family Engagement guidance, Appendix 1 (after DiClemente, 1991).
GROW: the same guidance, section 11. Signs of Safety: North Yorkshire's toolkit, section 11.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ChangeStage


@dataclass(frozen=True)
class StageGuidance:
    stage: str
    label: str
    indicators: tuple[str, ...]
    tasks: tuple[str, ...]


CYCLE_OF_CHANGE: dict[str, StageGuidance] = {
    g.stage: g
    for g in (
        StageGuidance(
            ChangeStage.PRE_CONTEMPLATION,
            ChangeStage.PRE_CONTEMPLATION.label,
            indicators=(
                _("Most families are at this stage at the start of their contact with agencies."),
                _(
                    "Parents do not see a problem or a need to change. They may present as defensive, "
                    "denying, projecting, minimising, blaming, low in mood or unaware of the problem."
                ),
            ),
            tasks=(
                _("Focus on building a trusting relationship with the family."),
                _("Raise the parents' awareness of the problem and of the possibility of change."),
                _("Affirm strengths as starting points for change."),
                _("Use motivational interviewing to raise awareness and encourage questioning."),
                _("Do not give prescriptive advice, and avoid confrontation."),
            ),
        ),
        StageGuidance(
            ChangeStage.CONTEMPLATION,
            ChangeStage.CONTEMPLATION.label,
            indicators=(
                _("The parent acknowledges there is a problem and will explore how to tackle it."),
                _(
                    "The parent considers change but may need time to look at themselves and come to terms "
                    "with what they see, appreciate the child's needs, count the cost and the benefit of change, "
                    "and identify goals that are meaningful to them."
                ),
                _("The parent can be ambivalent and may feel stuck, arguing for and against change."),
            ),
            tasks=(
                _("Identify the pros and cons of present behaviour, and of change."),
                _("Assert the belief that change is possible."),
                _("Help the family see that they have the capacity to change."),
                _("Explore the options the family has considered for how they might change."),
                _("Consider commitment and capacity to change."),
                _(
                    "Recognise that each parent may be at a different stage, and different changes may be "
                    "needed from each."
                ),
                _("Help the parent tip the balance in favour of change."),
            ),
        ),
        StageGuidance(
            ChangeStage.PREPARATION,
            ChangeStage.PREPARATION.label,
            indicators=(
                _(
                    "The parent has decided to change and wants to do something about the problem: "
                    "there is a window of opportunity."
                ),
                _(
                    "The parent can express the real problems and their effect on the child, the changes they "
                    "wish to make, specific goals, how parents and professionals will work together, the "
                    "rewards of meeting the goals and the consequences if change is not achieved."
                ),
            ),
            tasks=(
                _("Help the parent identify the best actions to take."),
                _("Identify short and long term goals."),
                _("Identify internal and external resources to support change."),
                _("Support their motivation for change."),
                _(
                    "Start to agree a family support plan (the change strategy) that is realistic, acceptable, "
                    "accessible, appropriate and effective."
                ),
            ),
        ),
        StageGuidance(
            ChangeStage.ACTION,
            ChangeStage.ACTION.label,
            indicators=(
                _("The parent takes steps and specific actions to bring about change."),
                _("This is the point of change: the parent uses themselves and services."),
                _("The family rehearse new thinking, behaviours and relationships."),
            ),
            tasks=(
                _("Help the parent carry out the support plan."),
                _("Focus on short term goals, and help them picture the long term goal."),
                _("Reframe when necessary."),
                _(
                    "Make sure all appointments are kept; advocate for the parent and find sources of support."
                ),
                _("Review progress and any barriers to progress."),
                _("Plan for and rehearse ways of overcoming challenges and obstacles."),
                _(
                    "Watch for the parent feeling overwhelmed and withdrawing: keep goals clear and praise "
                    "progress, however small."
                ),
            ),
        ),
        StageGuidance(
            ChangeStage.MAINTENANCE,
            ChangeStage.MAINTENANCE.label,
            indicators=(
                _(
                    "The parent is consolidating changes, rehearsing and testing new skills and coping "
                    "strategies over time and in different conditions."
                ),
                _("New behaviour is being sustained and made their own."),
            ),
            tasks=(
                _("Help the parent identify the possibility of relapse."),
                _("Support them to identify their triggers and develop coping strategies."),
                _("Notice, acknowledge, affirm and celebrate successes."),
                _("Reflect together on the journey so far."),
                _("Talk about where the family goes from here: what is the next goal?"),
            ),
        ),
        StageGuidance(
            ChangeStage.RELAPSE,
            ChangeStage.RELAPSE.label,
            indicators=(_("Old behaviours have returned."),),
            tasks=(
                _("Evaluate what triggered the relapse."),
                _("Reassess motivation and barriers."),
                _("Plan stronger coping strategies."),
            ),
        ),
    )
}

GROW_QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "goal": (
        _("Goal: the short term goals first, then the medium and long term ones"),
        (
            _("What do you want?"),
            _("What would be the goals from our working together?"),
            _("What does success look like and feel like for you?"),
            _("How much influence or control do you have over the goal?"),
        ),
    ),
    "reality": (
        _("Reality: the current situation, explored in full"),
        (
            _("What happens now?"),
            _("What have you done so far about this?"),
            _("Who is involved, and who else could be involved?"),
            _("What has stopped you so far from reaching this goal?"),
        ),
    ),
    "options": (
        _("Options: other strategies or courses of action"),
        (
            _("What could you do?"),
            _("And what else could you do?"),
            _("What are the benefits of each option, and are there any costs?"),
            _("Can you think of any risks?"),
        ),
    ),
    "will": (
        _("Will: what will be done, when, by whom, and the will to do it"),
        (
            _("What will you do?"),
            _("Will this meet your goal?"),
            _("Who needs to know, and what is your next step?"),
            _("What support do you need, and who will provide it?"),
        ),
    ),
}

# Each column of the Signs of Safety map, with the prompt for each of its parts.
SIGNS_OF_SAFETY_COLUMNS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        _("What are we worried about?"),
        (
            (
                "past_harm",
                _("Past harm"),
                _("What has happened that worries us, to these children or others in these parents' care?"),
            ),
            (
                "future_danger",
                _("Future danger"),
                _("What are we worried might happen to the children in the future?"),
            ),
            (
                "complicating_factors",
                _("Complicating factors"),
                _(
                    "What makes building safety for the children and working with this family more complicated?"
                ),
            ),
        ),
    ),
    (
        _("What's working well?"),
        (
            (
                "strengths",
                _("Strengths"),
                _("Strengths and resources in the family or wider family that could build safety."),
            ),
            (
                "safety",
                _("Safety"),
                _("Strengths shown as protection, in relation to the danger, over time."),
            ),
        ),
    ),
    (
        _("What needs to happen?"),
        (
            (
                "agency_goals",
                _("Agency goals"),
                _(
                    "What does the agency need to see the parents doing, and for how long, to be confident the "
                    "children are safe enough to close the case?"
                ),
            ),
            (
                "family_goals",
                _("Family goals"),
                _("What does the family think they need to be doing for the children to be safe?"),
            ),
            (
                "next_steps",
                _("Next steps"),
                _("What are the agency's and the family's ideas about what happens next?"),
            ),
        ),
    ),
)

SAFETY_SCALE_QUESTION = _(
    "On a scale of 0 to 10, where 10 means everyone is confident the children are safe enough for the case "
    "to close, and 0 means harm will certainly happen again or the children cannot live at home, where do "
    "we rate the situation?"
)
