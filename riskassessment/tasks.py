"""Thin Celery tasks for the assessment: each calls one service and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def chase_shares() -> int:
    """Remind and escalate shares of signed assessments not yet acknowledged near or past their deadline."""
    return services.shares_chase()
