"""The demo certificates (certificates/demo.py): a default template, issued, reissued and revoked ones; idempotent."""

import pytest
from django.utils import translation

from certificates import demo
from certificates.models import Certificate, CertificateEvent, CertificateTemplate, IssuanceBatch
from tests import factories
from tests.certificates.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(course, past_session, trainer):
    older = factories.make_session(
        course, starts_at=factories.bishkek(2026, 9, 1), trainers=[trainer], status="completed"
    )
    for session in (past_session, older):
        for _ in range(3):
            register(session, factories.participant())
        register(session, factories.participant(), completed=False)
    reports_like = factories.make_session(course, starts_at=factories.bishkek(2026, 8, 1), status="completed")
    register(reports_like, factories.participant())  # not a catalogue demo session: gets nothing
    return {"now": factories.bishkek(2026, 12, 1), "sessions": {"a": past_session, "b": older}}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (CertificateTemplate, Certificate, CertificateEvent, IssuanceBatch)
    }


def test_demo_certificates_are_seeded_once(context, past_session):
    with translation.override("ky"):
        summary = demo.seed(context)
    template = CertificateTemplate.objects.get()
    assert template.is_default and template.languages == "ky+ru" and template.licence_number
    signatory = template.signatories.get()
    assert signatory.name == demo.DIRECTOR["name"] and "директор" in signatory.title_ky.lower()

    batch = IssuanceBatch.objects.get()  # the older session, through a bulk batch
    assert batch.session == context["sessions"]["b"]
    assert batch.issued_count == 3 and [item["code"] for item in batch.skipped] == ["not_completed"]
    statuses = sorted(Certificate.objects.values_list("status", flat=True))
    assert statuses == ["replaced", "revoked"] + ["valid"] * 5  # six issued, one corrected, one revoked
    assert Certificate.objects.filter(session=past_session).exists()
    assert not Certificate.objects.exclude(session__in=context["sessions"].values()).exists()
    assert "7 new certificates" in summary

    first = counts()
    with translation.override("ky"):
        demo.seed(context)
    assert counts() == first


def test_demo_without_completed_sessions_only_makes_the_template(db):
    assert "no completed" in demo.seed({"now": None, "sessions": {}})
    assert CertificateTemplate.objects.count() == 1 and not Certificate.objects.exists()


def test_demo_keeps_an_existing_default_template(db):
    from tests.certificates.conftest import make_template

    existing = make_template("Academy's own")
    demo.seed({"sessions": {}})
    assert CertificateTemplate.objects.get(is_default=True) == existing
