"""Celery tasks of the registration area. Each takes IDs, calls a service and is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from courses.services import registration as service


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def promote_waitlist(session_id):
    """Confirm the first people on the waitlist while seats are free (under the session lock)."""
    return [registration.pk for registration in service.promote_waitlist(session_id)]


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def promote_waitlists():
    """Safety net run by beat: promote wherever seats are free (a lost task, a capacity raised in the admin)."""
    return {
        session_id: len(service.promote_waitlist(session_id))
        for session_id in service.sessions_with_free_seats_and_waitlist()
    }


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_registration_email(registration_id, event, stamp):
    return service.send_registration_email(registration_id, event, stamp)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_invitation(user_id, session_id):
    return service.send_invitation(user_id, session_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def send_session_reminders():
    """Run by beat: one reminder per confirmed registration of sessions starting in 24–25 hours."""
    return service.queue_session_reminders()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def send_pending_digests():
    """Run by beat: tell trainers (or admins) that registrations wait for their approval."""
    from courses.services.registration_emails import queue_pending_digests

    return queue_pending_digests()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def expire_waitlist_offers():
    """Run by beat: offers past their deadline are cancelled and their places offered to the next people."""
    from courses.services.waitlist_offers import expire_offers

    return expire_offers()
