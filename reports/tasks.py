from celery import shared_task

from reports.rollups import bulk as rollups
from reports.services import feedback


@shared_task
def send_feedback_requests():
    """Beat task: queue one feedback request e-mail per participant of sessions that just ended.

    Safe to run twice: each e-mail has the key ``feedback-request:<registration id>``.
    """
    return feedback.queue_feedback_requests()


@shared_task
def fold_rollup_counters():
    """Beat task: one row per group and per trainer in the append-only people counters (reports/rollups/groups.py).

    Safe to run twice, or beside writers: a fold sums and replaces only the rows it sees; the figures stay the
    same."""
    rollups.fold()
