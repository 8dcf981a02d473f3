"""The certificate registry states times in Bishkek time: on screen and in the CSV and XLSX exports."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from certificates.services.revocation import revoke_certificate
from tests.certificates.conftest import certificate, past_session, registration, template  # noqa: F401

pytestmark = pytest.mark.django_db

REVOKED_UTC = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)  # 09:30 in Bishkek


@pytest.fixture
def revoked(certificate, admin_user):  # noqa: F811
    with time_machine.travel(REVOKED_UTC, tick=False):
        revoke_certificate(certificate, reason="Ката менен берилген", actor=admin_user)
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def admin_in_utc(client, admin_user):
    """An admin whose Wagtail profile still carries another time zone: the registry shows Bishkek time anyway."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=admin_user, defaults={"current_time_zone": "UTC"})
    client.force_login(admin_user)
    return client


def test_registry_csv_states_bishkek_time(admin_in_utc, revoked):
    response = admin_in_utc.get(reverse("certificate_registry:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Revoked at (Bishkek time)" in body
    assert "2026-12-01 09:30" in body
    assert "03:30" not in body and "+00:00" not in body


def test_registry_xlsx_states_bishkek_time(admin_in_utc, revoked):
    response = admin_in_utc.get(reverse("certificate_registry:index"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Revoked at (Bishkek time)")
    assert rows[1][column] == datetime(2026, 12, 1, 9, 30)


def test_registry_inspect_shows_bishkek_time(admin_in_utc, revoked):
    body = admin_in_utc.get(reverse("certificate_registry:inspect", args=[revoked.pk])).content.decode()
    assert "09:30" in body
    assert "03:30" not in body


def test_trainers_cannot_open_the_registry(client, trainer, revoked):
    client.force_login(trainer)
    response = client.get(reverse("certificate_registry:index"), {"export": "csv"})
    assert response.status_code in (302, 403)
