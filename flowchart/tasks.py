"""Thin Celery tasks for the flow chart: take ids, call one service, retry on transient errors."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def sweep() -> int:
    """Record due reminders and escalations once each (the flow chart's steps and review dates, and
    decisions not yet told to the multi-agency meeting), and store the summaries the lists read on
    live episodes that have none. Mail that never went is re-queued by the kernel's own beat entry."""
    recorded = services.reminders_sweep()
    recorded += services.decision_shares_chase()
    services.episode_summaries_fill()
    return recorded
