"""The first page of a list with its total in the same query (a window COUNT): no separate COUNT query.

Most people's own lists ("My trainings", "my registrations") fit on one page, and those pages are what
people open most; the total rides along with the rows (`COUNT(*) OVER ()`, computed before the LIMIT).
"""

from django.db.models import Count, Window


class CountedRows:
    """Rows of the first page and the total, shaped for Django's Paginator (count() and slicing)."""

    def __init__(self, rows, total):
        self.rows, self.total = rows, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.rows[index]


def first_page(queryset, size):
    rows = list(queryset.annotate(rows_in_total=Window(Count("pk")))[:size])
    return CountedRows(rows, rows[0].rows_in_total if rows else 0)
