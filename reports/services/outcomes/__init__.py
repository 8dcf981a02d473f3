"""The donor outcome report (issue 19.5): the four Kirkpatrick levels and what it cost for one funding project
and a period (levels.py), learning from the pre- and post-tests (learning.py), and the figures as a Report
for the admin page, its .xlsx and the donor PDF (report.py)."""

from .levels import ACTION_STATUSES, SCORES, figures

__all__ = ["ACTION_STATUSES", "SCORES", "figures"]
