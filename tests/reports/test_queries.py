"""Every report runs a bounded number of SQL queries, whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.services.registry import REPORTS

pytestmark = pytest.mark.django_db

# Report queries (2–14 each) plus the filter form's choices, the session, the user, permissions
# and the Wagtail admin menu; the same at any data size (asserted below). The feedback screen with
# its survey questions reaches 32 on PostgreSQL (the transaction that raises work_mem included).
MAX_QUERIES = 34
SCREENS = [f"reports_admin:{key}" for key in REPORTS] + [
    "reports_admin:donor_summary",
    "reports_admin:participant_list",
]


def _count(client, url, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", SCREENS)
def test_report_screens_and_exports_are_bounded(client, world, grow, name, django_assert_max_num_queries):
    client.force_login(world.admin)
    url = reverse(name)
    variants = (
        {},
        {"export": "xlsx"},
        {"region": world.batken.pk, "trainer": world.trainer.pk, "date_from": "2026-01-01"},
    )
    counts = {}
    for size in (3, 30):
        grow(size)
        counts[size] = [_count(client, url, params, django_assert_max_num_queries) for params in variants]
    assert counts[3] == counts[30]


def test_trainer_scope_is_bounded_too(client, world, grow, django_assert_max_num_queries):
    client.force_login(world.trainer)
    counts = {}
    for size in (3, 30):
        grow(size)
        counts[size] = [
            _count(client, reverse(f"reports_admin:{key}"), {}, django_assert_max_num_queries) for key in REPORTS
        ]
    assert counts[3] == counts[30]
