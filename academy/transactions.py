"""After-commit work that must happen once per transaction, however many rows ask for it."""

from django.db import transaction


def on_commit_once(key, callback):
    """`transaction.on_commit(callback)`, unless the same atomic block already queued one with this key.

    An admin form saving eleven agenda rows in one block asks for the same after-commit work eleven
    times; it should run once. Only callbacks of the very same block (same savepoints) count: one
    queued in an enclosing or a sibling block may belong to another step of the work, and a nested
    block's own callback is dropped with it if it rolls back. Outside a transaction the callback
    runs at once, as with `on_commit`.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        here = set(connection.savepoint_ids)
        if any(
            sids == here and getattr(waiting, "academy_once_key", None) == key
            for sids, waiting, _robust in connection.run_on_commit
        ):
            return
    callback.academy_once_key = key
    transaction.on_commit(callback)
