"""The demo of expiring certificates (certificates/demo/expiry.py): one expiring within 60 days, one expired."""

from datetime import date

import pytest
from django.utils import translation

from certificates.demo import expiry as expiry_demo
from certificates.models import Certificate
from certificates.services import expiry
from courses.models import CoursePage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(course, past_session, template, clock):
    factories.participant(email="nurbek.mamatov@example.org")
    factories.participant(email="jyldyz.toktosunova@example.org")
    return {"now": factories.bishkek(2026, 12, 1), "sessions": {"a": past_session}}


def test_demo_expiring_certificates_are_seeded_once(context, course):
    with translation.override("ky"):
        summary = expiry_demo.seed(context)
    assert "valid until" in summary
    assert CoursePage.objects.get(pk=course.pk).certificate_validity_years == 2
    soon = Certificate.objects.get(user__email="nurbek.mamatov@example.org")
    gone = Certificate.objects.get(user__email="jyldyz.toktosunova@example.org")
    today = date(2026, 12, 1)
    assert 0 < (soon.expires_at - today).days <= 60 and soon.public_status(today) == "valid"
    assert gone.public_status(today) == "expired"
    assert [certificate for certificate, _kind in expiry.due_reminders(today)] == [soon]

    before = Certificate.objects.count()
    with translation.override("ky"):
        expiry_demo.seed(context)
    assert Certificate.objects.count() == before  # a second run adds nothing
