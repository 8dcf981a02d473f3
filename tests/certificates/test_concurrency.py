"""Gapless, unique certificate numbers under real concurrency on PostgreSQL: threads, each on its own connection.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/certs_h .venv/bin/python -m pytest -q -m postgres tests/certificates
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from certificates.models import Certificate, CertificateCounter, IssuanceBatch
from certificates.services import batches, issuance
from certificates.services.numbering import next_sequence
from tests import factories
from tests.certificates.conftest import make_template, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 8
PER_THREAD = 5


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """Transactional tests empty every table afterwards, the Wagtail root page included: put it back."""
    from wagtail.models import Locale, Page

    if not Page.objects.filter(depth=1).exists():
        locale, _created = Locale.objects.get_or_create(language_code="ky")
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def run_in_threads(functions):
    """Start every function at the same moment (a barrier), each thread on its own DB connection."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def work(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected and asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index, function)) for index, function in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.fixture
def completed(past_session):
    make_template()
    return [register(past_session, factories.participant()) for _ in range(THREADS * PER_THREAD)]


def assert_gapless(expected):
    rows = list(Certificate.objects.order_by("sequence").values_list("year", "sequence", "number", "code"))
    assert len(rows) == expected
    assert [row[1] for row in rows] == list(range(1, expected + 1))
    assert len({row[2] for row in rows}) == expected and len({row[3] for row in rows}) == expected
    year = rows[0][0]
    assert all(row[2] == f"CAALG-{year}-{row[1]:06d}" for row in rows)
    assert CertificateCounter.objects.get(year=year).last_number == expected


def test_concurrent_issuers_get_unique_numbers_without_gaps(completed):
    assert connection.vendor == "postgresql"
    assert not CertificateCounter.objects.exists()  # the threads also race to create the year's counter

    def issuer(chunk):
        def issue_all():
            return [issuance.issue_certificate(registration, notify=False)[0].number for registration in chunk]

        return issue_all

    chunks = [completed[index::THREADS] for index in range(THREADS)]
    results, errors = run_in_threads([issuer(chunk) for chunk in chunks])
    assert errors == []
    assert sum(len(numbers) for numbers in results) == THREADS * PER_THREAD
    assert_gapless(THREADS * PER_THREAD)


def test_concurrent_issue_of_one_registration_makes_one_certificate(completed):
    registration = completed[0]
    results, errors = run_in_threads(
        [lambda: issuance.issue_certificate(registration, notify=False) for _ in range(THREADS)]
    )
    assert errors == []
    assert len({certificate.pk for certificate, _created in results}) == 1
    assert sum(created for _certificate, created in results) == 1
    assert_gapless(1)


def test_a_rolled_back_issuer_leaves_no_gap_for_the_others(completed):
    started = threading.Event()

    def doomed():
        with transaction.atomic():
            next_sequence(timezone.localdate().year)
            started.set()
            time.sleep(0.3)  # the others queue up on the counter's row lock meanwhile
            raise RuntimeError("worker killed")

    def issuer(registration):
        def issue():
            started.wait(5)
            return issuance.issue_certificate(registration, notify=False)[0].number

        return issue

    results, errors = run_in_threads([doomed] + [issuer(registration) for registration in completed[:THREADS]])
    assert [str(error) for error in errors] == ["worker killed"]
    assert_gapless(THREADS)


def test_two_admins_issuing_overlapping_batches_at_once(completed, past_session, admin_user):
    other_admin = factories.academy_admin()
    half = len(completed) // 2
    first = [registration.pk for registration in completed[: half + 5]]
    second = [registration.pk for registration in completed[half - 5 :]]

    def batch(admin, ids):
        def run():
            with transaction.atomic():
                started = batches.start_batch(
                    created_by=admin, session=past_session, registration_ids=ids, enqueue=False
                )
            return batches.run_batch(started.pk, notify=False)

        return run

    results, errors = run_in_threads([batch(admin_user, first), batch(other_admin, second)])
    assert errors == []
    assert all(result.status == "done" for result in results)
    assert sum(result.issued_count for result in results) == len(completed)
    assert sum(result.existing_count for result in results) == 10  # the overlap, found already issued
    assert IssuanceBatch.objects.count() == 2
    assert_gapless(len(completed))
    assert Certificate.objects.values("registration").distinct().count() == len(completed)


def test_the_parts_of_one_batch_issued_at_once_add_up_without_losing_an_update(
    completed, past_session, admin_user, settings
):
    """Four workers each take a part; their progress lands on the same batch row, chunk after chunk."""
    settings.CERTIFICATES_BATCH_PARTS, settings.CERTIFICATES_BATCH_MIN_PART = 4, 1
    settings.CERTIFICATES_BATCH_CHUNK = 3
    with transaction.atomic():
        batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batch, pending = batches.prepare_batch(batch.pk)
    assert pending == [0, 1, 2, 3]
    outside = completed[::7]  # meanwhile an admin issues some of the same certificates one by one

    def part(index):
        return lambda: batches.run_batch_part(batch.pk, index, notify=False)

    def one_by_one():
        return [issuance.issue_certificate(registration, notify=False)[1] for registration in outside]

    results, errors = run_in_threads([part(index) for index in range(4)] + [one_by_one])
    assert errors == []
    batch.refresh_from_db()
    created_outside = sum(results[-1])
    assert batch.status == "done" and batches.batch_summary(batch)["parts_done"] == 4
    assert batch.processed == len(completed)
    assert batch.issued_count + batch.existing_count == len(completed)
    assert batch.existing_count == created_outside
    assert Certificate.objects.filter(batch=batch).count() == batch.issued_count
    assert_gapless(len(completed))
