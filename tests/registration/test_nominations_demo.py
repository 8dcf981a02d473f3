from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone, translation

from academy.management.commands.seed_demo import demo_modules
from academy.models import MunicipalityOfficer
from courses.models import Registration, SessionQuota

pytestmark = pytest.mark.django_db


def seed_up_to_municipality(context=None):
    """The demo steps up to this one (ORDER 42), as seed_demo runs them: the later steps do not matter here."""
    context = context or {"now": timezone.now(), "stdout": StringIO()}
    with translation.override("ky"):
        for module in demo_modules():
            if module.ORDER <= 42:
                with transaction.atomic():
                    module.seed(context)
    return context


def test_the_demo_has_a_kyshtut_officer_and_a_session_with_quotas_and_is_idempotent():
    context = seed_up_to_municipality()
    officer = MunicipalityOfficer.objects.select_related("municipality").get(user__email="kyshtut.kadr@example.org")
    assert officer.municipality.code == "kyshtut"
    assert authenticate(username="kyshtut.kadr@example.org", password="academy-demo") == officer.user
    session = SessionQuota.objects.get(municipality__code="kyshtut").session
    assert session.quota_release_at is not None and session.requires_municipality_approval
    assert sum(session.quotas.values_list("seats", flat=True)) <= session.capacity
    assert session.registrations.filter(source="nomination").count() == 2
    assert session.registrations.filter(status="pending", user__profile__municipality=officer.municipality).exists()
    assert session.registrations.holding_seats().count() <= session.capacity
    count = Registration.objects.count()
    seed_up_to_municipality({"now": context["now"], "stdout": StringIO()})
    assert Registration.objects.count() == count
    assert SessionQuota.objects.filter(session=session).count() == session.quotas.count()
