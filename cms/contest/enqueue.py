"""Queue a contest message task once the current transaction commits (what the contest services call)."""

from django.db import transaction
from django.utils.translation import get_language


def after_commit(task_name, object_id):
    from cms.contest import tasks

    locale = (get_language() or "ky")[:2]
    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(object_id, locale))
