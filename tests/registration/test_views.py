import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from academy.models import Profile
from courses.models import Registration
from courses.services import registration as service
from tests import factories

pytestmark = pytest.mark.django_db


def register_url(session, language="ky"):
    return f"/{language}/sessions/{session.pk}/register/"


def test_anonymous_is_sent_to_log_in(client, session):
    response = client.post(register_url(session))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_participant_registers_from_the_session_page(client, session, participant):
    client.force_login(participant)
    response = client.post(register_url(session, "en"), follow=True)
    assert response.status_code == 200
    assert Registration.objects.get(user=participant).status == "confirmed"
    assert "your place is confirmed" in response.content.decode()


def test_a_get_on_the_register_url_changes_nothing(client, session, participant):
    client.force_login(participant)
    response = client.get(register_url(session))
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_registering_twice_shows_a_translated_error(client, session, participant):
    client.force_login(participant)
    client.post(register_url(session, "ru"))
    response = client.post(register_url(session, "ru"), follow=True)
    assert "Вы уже зарегистрированы" in response.content.decode() or "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_an_incomplete_profile_redirects_to_the_profile_page(client, session, participant):
    Profile.objects.filter(user=participant).update(consent_given_at=None)
    client.force_login(participant)
    response = client.post(register_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith("/ky/accounts/profile/?next=")
    assert not Registration.objects.exists()


@pytest.mark.parametrize("status", ["draft"])
def test_a_draft_session_is_not_found(client, session, participant, status):
    session.status = status
    session.save()
    client.force_login(participant)
    assert client.post(register_url(session)).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.parametrize("status", ["closed", "cancelled", "completed"])
def test_closed_sessions_refuse_with_a_message(client, session, participant, status):
    session.status = status
    session.save()
    client.force_login(participant)
    response = client.post(register_url(session, "en"), follow=True)
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert 'class="message error"' in response.content.decode()


def test_unknown_session_is_404(client, participant):
    client.force_login(participant)
    assert client.post("/ky/sessions/999999/register/").status_code == 404


def test_participant_cancels_own_registration(client, session, participant):
    registration = service.register(session, participant)
    client.force_login(participant)
    response = client.post(f"/en/my/registrations/{registration.pk}/cancel/")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_cancelling_someone_elses_registration_is_404_and_changes_nothing(
    client, session, participant, other_participant
):
    registration = service.register(session, participant)
    client.force_login(other_participant)
    assert client.post(f"/en/my/registrations/{registration.pk}/cancel/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancel_needs_login_and_post(client, session, participant):
    registration = service.register(session, participant)
    assert client.post(f"/en/my/registrations/{registration.pk}/cancel/").status_code == 302
    client.force_login(participant)
    assert client.get(f"/en/my/registrations/{registration.pk}/cancel/").status_code == 405
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancel_redirects_only_to_local_next(client, session, participant):
    registration = service.register(session, participant)
    client.force_login(participant)
    response = client.post(f"/en/my/registrations/{registration.pk}/cancel/", {"next": "https://evil.example/"})
    assert response["Location"] == "/en/my/trainings/"


def test_my_trainings_needs_login(client):
    response = client.get("/ky/my/trainings/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_trainings_lists_own_registrations_with_status_and_cancel(
    client, session, participant, other_participant, course
):
    mine = service.register(session, participant)
    other_session = factories.make_session(course, starts_at=factories.bishkek(2026, 12, 20), capacity=1)
    service.register(other_session, other_participant)
    service.register(other_session, participant)  # waitlisted
    client.force_login(participant)
    response = client.get("/en/my/trainings/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Confirmed" in body and "Waitlisted" in body
    assert re.search(r"Waitlisted</span>\s*· place 1\b", body)  # the status, then only the position
    assert f"/en/my/registrations/{mine.pk}/cancel/" in body
    assert body.count("/cancel/") == 2


def test_my_trainings_shows_past_sessions_separately(client, course, participant, clock):
    past = factories.make_session(course, starts_at=factories.bishkek(2026, 11, 10), status="completed")
    Registration.objects.create(session=past, user=participant, status="confirmed")
    client.force_login(participant)
    assert "/cancel/" not in client.get("/en/my/trainings/").content.decode()
    body = client.get("/en/my/trainings/?show=past").content.decode()
    assert "Confirmed" in body
    assert "/cancel/" not in body
    registration = Registration.objects.get(session=past, user=participant)
    assert f'href="/en/my/feedback/{registration.pk}/"' in body  # feedback is asked for past trainings


def test_my_trainings_links_the_assignment_only_where_the_course_asks_for_one(client, course, session, participant):
    registration = service.register(session, participant)
    client.force_login(participant)
    assignment_link = f"/en/my/sessions/{session.pk}/assignment/"
    assert registration.status == "confirmed"
    assert "Assignment</a>" not in client.get("/en/my/trainings/").content.decode()
    course.requires_assignment = True
    course.save_revision().publish()
    body = client.get("/en/my/trainings/").content.decode()
    assert "Assignment</a>" in body
    assert assignment_link in body

def test_my_trainings_runs_a_bounded_number_of_queries(
    client, course, participant, django_assert_max_num_queries, clock
):
    for day in range(200):
        other = factories.make_session(
            course, starts_at=factories.bishkek(2026, 12, 2) + __import__("datetime").timedelta(days=day), capacity=5
        )
        Registration.objects.create(session=other, user=participant, status="confirmed" if day % 3 else "waitlisted")
    client.force_login(participant)
    with django_assert_max_num_queries(15):
        response = client.get("/en/my/trainings/")
    assert response.status_code == 200
    assert response.content.decode().count("/cancel/") == 20
    with django_assert_max_num_queries(15):
        assert client.get("/en/my/trainings/?page=5").status_code == 200


def render_box(session, user):
    request = RequestFactory().get("/en/sessions/1/")
    request.user = user
    template = Template('{% include "courses/registration/register_box.html" %}')
    return template.render(RequestContext(request, {"session": session}))


def test_register_box_for_each_situation(session, participant, other_participant, make_participant):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    with translation.override("en"):
        html = render_box(session, AnonymousUser())
        assert "Log in to register" in html and "3 places left" in html
        html = render_box(session, participant)
        assert f'action="/en/sessions/{session.pk}/register/"' in html
        registration = service.register(session, participant)
        html = render_box(session, participant)
        assert "Confirmed" in html and f"/en/my/registrations/{registration.pk}/cancel/" in html
        for _ in range(2):
            service.register(session, make_participant())
        html = render_box(session, other_participant)
        assert "Join the waitlist" in html
        service.register(session, other_participant)
        assert "Your place in the waitlist: 1." in render_box(session, other_participant)
        Profile.objects.filter(user=other_participant).update(consent_given_at=None)
        someone = make_participant()
        Profile.objects.filter(user=someone).update(gender="")
        assert "Complete my profile" in render_box(session, someone)
        session.status = "closed"
        session.save()
        assert "Registration for this session is closed." in render_box(session, make_participant())


def test_register_box_template_does_not_fail_without_request(session):
    html = Template('{% include "courses/registration/register_box.html" %}').render(Context({"session": session}))
    assert "Registration" in html or "Каттоо" in html
