from celery import shared_task

from reports.services import feedback


@shared_task
def send_feedback_requests():
    """Beat task: queue one feedback request e-mail per participant of sessions that just ended.

    Safe to run twice: each e-mail has the key ``feedback-request:<registration id>``.
    """
    return feedback.queue_feedback_requests()
