"""Celery tasks of the action plans area: a few lines each, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from courses.services import action_plans


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def send_action_plan_follow_ups():
    """Run by beat every morning: one message per responsible person for each follow-up round that is due.

    Safe to run twice: a round is recorded once per session and every message has its own outbox key.
    """
    return action_plans.send_due_follow_ups()
