"""The officer's pages (/<lang>/municipality/...): allowed for the officer, refused to everybody else."""

import pytest

from academy.models import MunicipalityOfficer
from certificates.models import ExternalTraining
from courses.models import SessionQuota
from courses.services import registration as service
from tests import factories

from .conftest import make_session


@pytest.fixture
def kyshtut(db):
    return factories.municipality("kyshtut")


@pytest.fixture
def officer(kyshtut):
    user = factories.participant(profile__municipality=kyshtut)
    MunicipalityOfficer.objects.create(user=user, municipality=kyshtut, role="hr")
    return user


@pytest.fixture
def staff(kyshtut):
    return factories.participant(profile__municipality=kyshtut, profile__full_name="Бактыгүл Осмонова")


@pytest.fixture
def outsider(db):
    return factories.participant(
        profile__municipality=factories.municipality("suu_bashy"), profile__full_name="Жылдыз Сатыбалдиева"
    )


PAGES = ["/ky/municipality/", "/ky/municipality/sessions/", "/ky/municipality/approvals/"]


@pytest.mark.parametrize("url", PAGES)
def test_the_officer_opens_their_pages(client, officer, staff, session, url):
    client.force_login(officer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_participants_and_trainers_are_refused_and_anonymous_sent_to_sign_in(client, participant, trainer, url, db):
    assert client.get(url).status_code == 302
    for user in (participant, trainer):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_staff_page_shows_only_the_municipality_with_the_record(client, officer, staff, outsider, clock):
    ExternalTraining.objects.create(
        user=staff, title="Бюджет", provider="ГАГСУ", starts_on="2026-03-01", ends_on="2026-03-03", hours=24
    )
    client.force_login(officer)
    body = client.get("/ru/municipality/").content.decode()
    assert "Бактыгүл Осмонова" in body
    assert "Жылдыз Сатыбалдиева" not in body
    assert "24 / " in body
    overdue = client.get("/ru/municipality/?status=overdue").content.decode()
    assert "Бактыгүл Осмонова" in overdue  # 24 hours are fewer than the rule asks


def test_the_staff_page_runs_a_bounded_number_of_queries(client, officer, kyshtut, django_assert_max_num_queries):
    for _ in range(20):
        factories.participant(profile__municipality=kyshtut)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        assert client.get("/ky/municipality/").status_code == 200


def test_the_officer_nominates_from_the_page(client, officer, staff, outsider, course, clock, kyshtut):
    session = make_session(course, capacity=5)
    SessionQuota.objects.create(session=session, municipality=kyshtut, seats=2)
    client.force_login(officer)
    page = client.get(f"/en/municipality/sessions/{session.pk}/nominate/").content.decode()
    assert "Бактыгүл Осмонова" in page and "Жылдыз Сатыбалдиева" not in page and "Kyshtut" in page
    response = client.post(
        f"/en/municipality/sessions/{session.pk}/nominate/", {"user": [staff.pk, outsider.pk]}, follow=True
    )
    assert response.status_code == 200
    assert session.registrations.get().user == staff
    assert "not on your municipality" in response.content.decode()


def test_nothing_chosen_is_a_clear_message(client, officer, session):
    client.force_login(officer)
    response = client.post(f"/en/municipality/sessions/{session.pk}/nominate/", {"user": ["x"]}, follow=True)
    assert "Choose at least one person" in response.content.decode()
    assert not session.registrations.exists()


def test_nominating_is_refused_to_participants(client, participant, staff, session):
    client.force_login(participant)
    response = client.post(f"/en/municipality/sessions/{session.pk}/nominate/", {"user": [staff.pk]})
    assert response.status_code == 403
    assert not session.registrations.exists()


def test_the_officer_approves_and_declines_from_the_page(client, officer, kyshtut, course, clock):
    session = make_session(course, capacity=3, requires_municipality_approval=True)
    first, second = (service.register(session, factories.participant(profile__municipality=kyshtut)) for _ in range(2))
    client.force_login(officer)
    page = client.get("/en/municipality/approvals/").content.decode()
    assert f"registration-{first.pk}" in page and f"registration-{second.pk}" in page
    client.post(f"/en/municipality/approvals/{first.pk}/", {"action": "approve"})
    client.post(f"/en/municipality/approvals/{second.pk}/", {"action": "reject", "note": "Кийинки жолу"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "rejected")


def test_deciding_another_municipality_s_registration_changes_nothing(client, officer, outsider, course, clock):
    session = make_session(course, requires_municipality_approval=True)
    theirs = service.register(session, outsider)
    client.force_login(officer)
    response = client.post(f"/en/municipality/approvals/{theirs.pk}/", {"action": "approve"}, follow=True)
    assert "no registration awaiting your approval" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_a_bad_action_is_a_clear_message(client, officer, staff, course, clock):
    session = make_session(course, requires_municipality_approval=True)
    own = service.register(session, staff)
    client.force_login(officer)
    response = client.post(f"/en/municipality/approvals/{own.pk}/", {"action": "delete"}, follow=True)
    assert "Choose to approve or to decline" in response.content.decode()
    own.refresh_from_db()
    assert own.status == "pending"


def test_my_trainings_leads_an_officer_to_their_municipality_pages_and_nobody_else(client, officer, staff):
    client.force_login(officer)
    body = client.get("/en/my/trainings/").content.decode()
    assert 'href="/en/municipality/"' in body and 'href="/en/municipality/approvals/"' in body
    client.force_login(staff)
    assert 'href="/en/municipality/"' not in client.get("/en/my/trainings/").content.decode()
