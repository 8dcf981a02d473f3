"""Expiry reminders under real concurrency on PostgreSQL: parallel runs of the daily task send each reminder once.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/expiry .venv/bin/python -m pytest -q -m postgres tests/certificates
"""

import time
from datetime import date

import pytest

from academy.models import OutboxEmail
from certificates.models import ExpiryReminder
from certificates.services import expiry
from certificates.services.issuance import CertificateIssuer
from tests import factories
from tests.certificates.conftest import make_template, register
from tests.certificates.test_concurrency import run_in_threads, wagtail_root  # noqa: F401 (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RUNS = 4
HOLDERS = 6


def test_parallel_daily_runs_send_each_reminder_once(past_session, clock, monkeypatch):
    course = past_session.course
    course.certificate_validity_years = 2
    course.save()
    make_template()
    registrations = [register(past_session, factories.participant()) for _ in range(HOLDERS)]
    CertificateIssuer(notify=False).issue_many(registrations)
    clock.move_to(factories.bishkek(2028, 9, 12, 10))  # 60 days before 11 Nov 2028

    real_deliver = expiry.deliver

    def slow_deliver(**kwargs):
        # Hold each transaction open a moment, so the runs overlap on the same certificates.
        time.sleep(0.05)
        return real_deliver(**kwargs)

    monkeypatch.setattr(expiry, "deliver", slow_deliver)
    results, errors = run_in_threads([lambda: expiry.send_expiry_reminders(today=date(2028, 9, 12))] * RUNS)
    assert not errors, errors
    assert sum(results) == HOLDERS
    assert ExpiryReminder.objects.count() == HOLDERS
    assert OutboxEmail.objects.filter(key__startswith="certificate-expiring:").count() == HOLDERS
