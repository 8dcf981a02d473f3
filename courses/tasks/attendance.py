"""Celery tasks of the attendance area: a few lines each, safe to run twice."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_assignment_reviewed(submission_id):
    """E-mail the participant the result of a review; the outbox key makes a second run send nothing."""
    from courses.services.completion import send_review_notice

    return send_review_notice(submission_id)


@shared_task
def evaluate_session_completion(session_id):
    """Re-evaluate completion of every participant of a session (e.g. after its agenda changed)."""
    from courses.models import Session
    from courses.services.completion import evaluate_session

    session = Session.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        return 0
    return sum(1 for result in evaluate_session(session).values() if result.completed)
