"""Thin Celery tasks for engagement: each calls one service and is safe to run twice."""

from celery import shared_task

from .supporting_families import services as supporting_families


@shared_task
def supporting_families_sustained_reminders() -> int:
    """Remind lead practitioners, six months after closure, to record whether outcomes were sustained."""
    return supporting_families.sustained_reminders_send()
