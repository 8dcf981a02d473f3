"""Public pages: catalogue, course page, session page and list, calendars."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from courses.models import Registration
from tests import factories
from tests.factories import bishkek

from .conftest import make_session, make_venue

pytestmark = pytest.mark.django_db


def index_url(course_index):
    return course_index.url


@pytest.fixture
def catalogue(course_index, trainer, clock):
    """Three courses: one in Batken (free seats), one in Osh (full, online too), one without sessions."""
    from courses.models import Audience, DeliveryLanguage, Topic

    batken = factories.make_course(course_index, title="Социалдык жоопкерчилик")
    batken.topics.set([Topic.objects.get(code="tariffs")])
    batken.audiences.set([Audience.objects.get(code="lsg_heads")])
    batken.languages.set([DeliveryLanguage.objects.get(code="ky")])
    batken.save_revision().publish()
    osh = factories.make_course(course_index, title="Жергиликтүү бюджет")
    osh.topics.set([Topic.objects.get(code="local-budgets")])
    osh.audiences.set([Audience.objects.get(code="council_deputies")])
    osh.languages.set([DeliveryLanguage.objects.get(code="ru")])
    osh.save_revision().publish()
    quiet = factories.make_course(course_index, title="Аял депутаттардын мектеби")
    make_session(batken, venue=make_venue(), trainers=[trainer], starts_at=bishkek(2026, 12, 15))
    full = make_session(
        osh, venue=make_venue("Ош", municipality="osh_city"), capacity=1, starts_at=bishkek(2027, 1, 12)
    )
    Registration.objects.create(session=full, user=factories.participant(), status="confirmed")
    make_session(osh, format="online", starts_at=bishkek(2027, 1, 20), days=1)
    return {"batken": batken, "osh": osh, "quiet": quiet}


def titles(response):
    return {course.title for course in response.context["courses"]}


def test_the_catalogue_lists_courses_in_the_language(client, catalogue, course_index):
    response = client.get(course_index.url)
    assert response.status_code == 200
    assert titles(response) == {"Социалдык жоопкерчилик", "Жергиликтүү бюджет", "Аял депутаттардын мектеби"}
    # Courses with a session soon come first.
    assert [course.title for course in response.context["courses"]][0] == "Социалдык жоопкерчилик"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=tariffs", {"Социалдык жоопкерчилик"}),
        ("audience=council_deputies", {"Жергиликтүү бюджет"}),
        ("language=ru", {"Жергиликтүү бюджет"}),
        ("oblast=batken", {"Социалдык жоопкерчилик"}),
        ("oblast=osh_city", {"Жергиликтүү бюджет"}),
        ("month=2027-01", {"Жергиликтүү бюджет"}),
        ("format=online", {"Жергиликтүү бюджет"}),
        ("has_seats=on", {"Социалдык жоопкерчилик", "Жергиликтүү бюджет"}),
        ("has_seats=on&format=in_person", {"Социалдык жоопкерчилик"}),
        ("oblast=osh_city&month=2026-12", set()),
        ("q=бюджет", {"Жергиликтүү бюджет"}),
    ],
)
def test_catalogue_filters(client, catalogue, course_index, query, expected):
    response = client.get(f"{course_index.url}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize("query", ["oblast=atlantis", "month=2026-13", "month=soon", "format=carrier-pigeon", "topic=nope"])
def test_an_unknown_filter_value_is_a_form_error_not_a_500(client, catalogue, course_index, query):
    response = client.get(f"{course_index.url}?{query}&page=abc")
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert 'class="errorlist"' in response.content.decode()
    assert len(titles(response)) == 3  # the bad filter is ignored


def test_the_catalogue_paginates(client, course_index, clock):
    for number in range(15):
        factories.make_course(course_index, title=f"Курс {number:02d}")
    first = client.get(course_index.url)
    second = client.get(f"{course_index.url}?page=2")
    assert len(first.context["courses"]) == 12
    assert len(second.context["courses"]) == 3
    assert 'rel="next"' in first.content.decode()


def test_course_catalogue_redirects_to_the_index_of_the_language(client, translated_course, course_index):
    from courses.models import CourseIndexPage

    assert client.get("/ky/catalogue/")["Location"] == course_index.url
    ru_index = CourseIndexPage.objects.get(locale__language_code="ru")
    assert client.get("/ru/catalogue/")["Location"] == ru_index.url
    assert client.get(ru_index.url).status_code == 200


def test_course_catalogue_without_an_index_is_a_404(client, homes):
    assert client.get("/ky/catalogue/").status_code == 404


def test_the_course_page_shows_upcoming_sessions_with_seats(client, catalogue):
    body = client.get(catalogue["batken"].url).content.decode()
    assert "25 seats left" in client.get("/en" + catalogue["batken"].url[3:]).content.decode() or "25" in body
    assert "/sessions/" in body
    osh = client.get(catalogue["osh"].url)
    assert [session.seats_left for session in osh.context["sessions"]] == [0, 25]


def test_the_course_page_lists_sessions_of_every_language_version(client, translated_course, session):
    ru = translated_course.get_translation(factories_locale("ru"))
    response = client.get(ru.url)
    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == [session.pk]
    assert "Муниципальные услуги" in response.content.decode()


def factories_locale(code):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code)


def test_the_session_page(client, session, trainer):
    from courses.models import TrainerProfile

    TrainerProfile.objects.create(user=trainer, bio_ky="Тренер-консультант", public_email="trainer@example.org")
    factories.make_agenda(session, blocks_per_day=2)
    response = client.get(f"/ky/sessions/{session.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert session.course.title in body
    assert "Сессия 1" in body and "Сессия 4" in body
    assert "Тренер-консультант" in body
    assert response.context["seats_left"] == 25
    assert 'class="card register-box"' in body
    assert "session-materials" in body
    assert f"/ky/sessions/{session.pk}/calendar.ics" in body


def test_a_draft_session_is_only_for_its_trainers_and_admins(client, course, trainer, other_trainer, admin_user, clock):
    draft = make_session(course, status="draft", trainers=[trainer])
    url = f"/ky/sessions/{draft.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    client.force_login(trainer)
    assert client.get(url).status_code == 200
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_unknown_session_is_a_404(client, homes):
    assert client.get("/ky/sessions/999999/").status_code == 404


def test_a_cancelled_session_says_so(client, session):
    session.status = "cancelled"
    session.cancellation_reason = "Жол жабык"
    session.save()
    body = client.get(f"/ky/sessions/{session.pk}/").content.decode()
    assert "Жол жабык" in body


def test_session_ics_parses(client, session):
    factories.make_agenda(session)
    response = client.get(f"/ky/sessions/{session.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # one per day, with that day's agenda hours (09:00-12:30)
    event = events[0]
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == bishkek(2026, 12, 15, 12, 30)
    assert events[1].decoded("dtend") == bishkek(2026, 12, 16, 12, 30)
    assert str(event["summary"]) == f"{session.course.title} — Баткен"
    assert session.venue.name in str(event["location"])
    assert "Сессия 1" in str(event["description"])
    assert str(event["url"]).endswith(f"/ky/sessions/{session.pk}/")


def test_draft_session_ics_is_hidden(client, course, trainer, clock):
    draft = make_session(course, status="draft", trainers=[trainer])
    assert client.get(f"/ky/sessions/{draft.pk}/calendar.ics").status_code == 404


def test_trainer_feed_has_the_public_schedule_only(client, course, trainer, participant, clock):
    published = make_session(course, trainers=[trainer], starts_at=bishkek(2026, 12, 15))
    make_session(course, trainers=[trainer], starts_at=bishkek(2027, 1, 15), status="draft")
    cancelled = make_session(course, trainers=[trainer], starts_at=bishkek(2027, 2, 15), status="cancelled")
    make_session(course, starts_at=bishkek(2027, 3, 15))  # someone else's
    Registration.objects.create(session=published, user=participant, status="confirmed")

    response = client.get(f"/ky/trainers/{trainer.pk}/calendar.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert {str(event["uid"]).split("@")[0] for event in events} == {
        f"session-{published.pk}", f"session-{published.pk}-day2", f"session-{cancelled.pk}", f"session-{cancelled.pk}-day2"
    }
    statuses = {str(event["uid"]).split("@")[0]: str(event["status"]) for event in events}
    assert statuses[f"session-{cancelled.pk}"] == "CANCELLED"
    text = response.content.decode()
    assert participant.email not in text and participant.profile.full_name not in text
    assert trainer.email not in text


def test_trainer_feed_is_only_for_trainers(client, participant, homes):
    assert client.get(f"/ky/trainers/{participant.pk}/calendar.ics").status_code == 404
    assert client.get("/ky/trainers/999999/calendar.ics").status_code == 404


def test_the_session_list_filters(client, catalogue):
    response = client.get("/ky/sessions/")
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 3
    assert len(client.get("/ky/sessions/?oblast=osh_city").context["sessions"]) == 1
    assert len(client.get("/ky/sessions/?has_seats=true").context["sessions"]) == 2
    bad = client.get("/ky/sessions/?oblast=atlantis&has_seats=maybe&month=x")
    assert bad.status_code == 200
    assert set(bad.context["filter"].errors) == {"oblast", "has_seats", "month"}


def test_past_sessions_are_not_listed_as_upcoming(client, course, clock):
    make_session(course, starts_at=bishkek(2026, 11, 1), status="completed")
    assert len(client.get("/ky/sessions/").context["sessions"]) == 0
    assert client.get(course.url).context["sessions"] == []


def test_dates_helper():
    assert date(2026, 12, 15) + timedelta(days=1) == date(2026, 12, 16)
