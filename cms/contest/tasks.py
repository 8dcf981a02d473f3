"""Contest messages as Celery tasks: ids and the locale in, safe to run twice (each message has its key).

Enqueued with transaction.on_commit by cms.contest.enqueue, so a rolled-back change sends nothing."""

from celery import shared_task

from cms.contest import notifications


@shared_task(ignore_result=True)
def submission_received(submission_id, locale):
    return notifications.submission_received(submission_id, locale)


@shared_task(ignore_result=True)
def submission_returned(submission_id, locale):
    return notifications.submission_returned(submission_id, locale)


@shared_task(ignore_result=True)
def submission_accepted(submission_id, locale):
    return notifications.submission_accepted(submission_id, locale)


@shared_task(ignore_result=True)
def results_announced(round_id, locale):
    return notifications.results_announced(round_id, locale)


@shared_task(ignore_result=True)
def scoring_open(round_id, locale):
    return notifications.scoring_open(round_id, locale)
