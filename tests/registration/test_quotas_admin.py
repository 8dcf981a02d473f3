"""Seat quotas in the session form of the admin: saved inline, refused when they do not fit the capacity."""

import pytest
from django.utils import translation

from academy.models import Region
from courses.models import Session, SessionQuota
from tests import factories
from tests.catalogue.conftest import make_venue
from tests.catalogue.test_admin import session_form

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/courses/session/add/"


def with_quotas(data, rows):
    data.update({"quotas-TOTAL_FORMS": len(rows)})
    for index, (region, municipality, seats) in enumerate(rows):
        data.update(
            {
                f"quotas-{index}-region": region.pk if region else "",
                f"quotas-{index}-municipality": municipality.pk if municipality else "",
                f"quotas-{index}-seats": seats,
                f"quotas-{index}-id": "",
                f"quotas-{index}-ORDER": index + 1,
                f"quotas-{index}-DELETE": "",
            }
        )
    return data


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_admin_saves_quotas_and_the_release_date(admin_client, course, clock):
    kyshtut = factories.municipality("kyshtut")
    batken = Region.objects.get(code="batken")
    data = with_quotas(
        session_form(course, make_venue(), capacity=10, quota_release_at="2026-12-10 09:00"),
        [(None, kyshtut, 3), (batken, None, 5)],
    )
    response = admin_client.post(ADD, data)
    form = response.context and response.context.get("form")
    assert response.status_code == 302, (
        form.errors,
        form.non_field_errors(),
        {k: f.errors for k, f in form.formsets.items()},
    )
    session = Session.objects.get()
    assert session.quota_release_at is not None
    assert sorted(session.quotas.values_list("seats", flat=True)) == [3, 5]


def test_quotas_larger_than_the_capacity_are_refused_with_a_translated_error_and_nothing_saved(
    admin_client, course, clock
):
    kyshtut = factories.municipality("kyshtut")
    suu_bashy = factories.municipality("suu_bashy")
    data = with_quotas(session_form(course, make_venue(), capacity=5), [(None, kyshtut, 3), (None, suu_bashy, 3)])
    with translation.override("ru"):
        response = admin_client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    body = response.content.decode()
    assert "more than the session" in body or "больше вместимости" in body
    assert not Session.objects.exists() and not SessionQuota.objects.exists()


def test_a_quota_naming_both_an_oblast_and_a_municipality_is_refused(admin_client, course, clock):
    data = with_quotas(
        session_form(course, make_venue(), capacity=10),
        [(Region.objects.get(code="batken"), factories.municipality("kyshtut"), 2)],
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_lowering_the_capacity_below_the_quotas_is_refused(admin_client, course, clock):
    session = factories.make_session(course, capacity=10)
    quota = SessionQuota.objects.create(session=session, municipality=factories.municipality("kyshtut"), seats=6)
    data = session_form(course, make_venue(), capacity=5)
    data.update(
        {
            "quotas-TOTAL_FORMS": 1,
            "quotas-INITIAL_FORMS": 1,
            "quotas-0-id": quota.pk,
            "quotas-0-region": "",
            "quotas-0-municipality": quota.municipality_id,
            "quotas-0-seats": 6,
            "quotas-0-ORDER": 1,
            "quotas-0-DELETE": "",
        }
    )
    response = admin_client.post(f"/admin/snippets/courses/session/edit/{session.pk}/", data)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.capacity == 10
