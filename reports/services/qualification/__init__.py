"""Who is due for training, where (issue 18 item 4). See report.py for what is counted and who may see it."""

from .report import DUE_STATUSES, PAGE_SIZE, Place, Result, build, can_view, officer_municipalities, scope_for

__all__ = ["DUE_STATUSES", "PAGE_SIZE", "Place", "Result", "build", "can_view", "officer_municipalities", "scope_for"]
