"""Thin Celery tasks for the flow chart: take ids, call one service."""

from celery import shared_task


@shared_task
def sweep():
    """Find due and overdue flow-chart items and queue their reminders (filled in by the flow chart)."""
    return 0
