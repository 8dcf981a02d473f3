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


def enqueue_or_keep_pending(task, *args):
    """Send an outbox `task` to the workers after commit; if the broker cannot be reached, leave it: the rows stay
    pending and flush_outbox sends them once the broker is back. Never raises."""
    try:
        task.delay(*args)
    except Exception:  # kombu's OperationalError, socket errors: the broker is unreachable
        logger.warning("Could not enqueue %s%r; the outbox rows stay pending for flush_outbox.", task.name, args)
