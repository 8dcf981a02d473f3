"""Handing work to Celery without losing it when the broker is down."""

import logging

logger = logging.getLogger(__name__)


def enqueue_or_run(task, *args):
    """Send `task` to the workers; if the broker cannot be reached, run it here and now.

    For the academy's notification tasks: they are idempotent and cheap (they write rows to the e-mail
    outbox, which flush_outbox sends once Redis is back), so doing the work in the request beats losing it.
    Called after commit; never raises.
    """
    try:
        task.delay(*args)
        return
    except Exception as error:  # kombu's OperationalError, socket errors: the broker is unreachable
        logger.warning("Could not enqueue %s%r (%s); running it in this process.", task.name, args, error)
    try:
        task.apply(args=args, throw=True)
    except Exception:
        logger.exception("Running %s%r in this process failed too.", task.name, args)
