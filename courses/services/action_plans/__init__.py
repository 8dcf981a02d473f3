"""Joint action plans (БАП) followed up months after the session (issue 19.3; docs/action-plans.md).

* `items`: the session's trainers and academy admins add, edit and delete items, or take them from a
  participant's uploaded plan.
* `reporting`: the responsible person (through their signed link) or a trainer/admin on their behalf reports an
  item as done, in progress or dropped in a follow-up round that is due; the item keeps the latest status.
* `follow_ups`: the follow-up rounds (settings.ACTION_PLAN_FOLLOW_UP_MONTHS), the signed links, and the daily
  task's work: one message per responsible person per round, through the outbox.
"""

from .follow_ups import (
    LinkError,
    due_rounds,
    follow_up_months,
    follow_up_url,
    is_round_due,
    items_for_link,
    make_token,
    read_token,
    round_due_on,
    send_due_follow_ups,
)
from .items import (
    add_item,
    delete_item,
    edit_item,
    import_candidates,
    manageable_item,
    prefill_from_submission,
    session_items,
)
from .reporting import REPORT_FILE_KINDS, report_item

__all__ = [
    "REPORT_FILE_KINDS",
    "LinkError",
    "add_item",
    "delete_item",
    "due_rounds",
    "edit_item",
    "follow_up_months",
    "follow_up_url",
    "import_candidates",
    "is_round_due",
    "items_for_link",
    "make_token",
    "manageable_item",
    "prefill_from_submission",
    "read_token",
    "report_item",
    "round_due_on",
    "send_due_follow_ups",
    "session_items",
]
