"""Scheduled publishing: pages and revisions with a go-live or expiry time are published or unpublished by
Wagtail's `publish_scheduled` command, which Celery beat runs every few minutes (settings: CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.core.management import call_command

from cms.contest import tasks as contest_tasks  # noqa: F401 (the worker registers the contest's message tasks)


@shared_task(ignore_result=True)
def publish_scheduled_pages():
    # Safe to run twice: a revision is published once, and a published page has no pending go-live left.
    call_command("publish_scheduled", verbosity=0)
