"""The trainer pages offline: the service worker's script and the list of pages it keeps (issue #14 §2)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.attendance.conftest import make_session, register

pytestmark = pytest.mark.django_db


def today_at(offset_days, hour=9):
    day = timezone.localdate() + timedelta(days=offset_days)
    return factories.bishkek(day.year, day.month, day.day, hour)


def test_the_worker_is_served_with_a_scope_covering_the_trainer_pages(client):
    response = client.get("/ky/trainer/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/ky/trainer/"
    body = response.content.decode()
    assert '"/ky/trainer/"' in body and "js/rollcall.js" in body and "css/attendance.css" in body
    # The same worker (same version, same cache) until its source or the files it keeps change.
    assert client.get("/ky/trainer/sw.js").content == response.content
    assert client.get("/ru/trainer/sw.js")["Service-Worker-Allowed"] == "/ru/trainer/"


def test_the_worker_refuses_a_post(client):
    assert client.post("/ky/trainer/sw.js").status_code == 405


def test_the_trainer_gets_the_roll_calls_of_today_and_tomorrow(
    client, course, trainer, other_trainer, django_assert_max_num_queries
):
    today = make_session(course, starts_at=today_at(0), days=1, trainers=[trainer])
    tomorrow = make_session(course, starts_at=today_at(1), days=2, trainers=[trainer])
    later = make_session(course, starts_at=today_at(5), trainers=[trainer])
    past = make_session(course, starts_at=today_at(-5), days=1, trainers=[trainer])
    others = make_session(course, starts_at=today_at(0), trainers=[other_trainer])
    register(today, factories.participant())
    client.force_login(trainer)
    with django_assert_max_num_queries(8):
        response = client.get("/ky/trainer/offline/pages/")
    assert response.status_code == 200
    urls = response.json()["urls"]
    assert urls[0] == "/ky/trainer/"
    assert f"/ky/trainer/sessions/{today.pk}/attendance/" in urls
    assert f"/ky/trainer/sessions/{today.pk}/attendance/?day={timezone.localdate().isoformat()}" in urls
    tomorrow_slots = [u for u in urls if u.startswith(f"/ky/trainer/sessions/{tomorrow.pk}/attendance/?")]
    # Tomorrow only: the session's second day is the day after tomorrow.
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert tomorrow_slots == [f"/ky/trainer/sessions/{tomorrow.pk}/attendance/?day={day}"]
    for session in (later, past, others):
        assert not any(f"/sessions/{session.pk}/" in u for u in urls)


def test_the_page_list_is_for_trainers_and_admins_only(client, course, participant):
    assert client.get("/ky/trainer/offline/pages/").status_code == 302  # to the login page
    client.force_login(participant)
    assert client.get("/ky/trainer/offline/pages/").status_code == 403
    client.force_login(factories.academy_admin())
    assert client.get("/ky/trainer/offline/pages/").status_code == 200


def test_the_roll_call_offers_the_offline_script_and_keeps_the_plain_form(client, course, trainer):
    session = make_session(course, starts_at=today_at(0), days=1, trainers=[trainer])
    register(session, factories.participant())
    client.force_login(trainer)
    html = client.get(f"/ky/trainer/sessions/{session.pk}/attendance/").content.decode()
    assert "js/rollcall.js" in html and f"/api/v1/sessions/{session.pk}/attendance/sync/" in html
    assert 'data-sw="/ky/trainer/sw.js"' in html
    assert 'method="post"' in html  # without JavaScript the buttons post the form as before
    assert "<script>" not in html  # no inline script without the nonce
