"""Fixtures of the catalogue area. The clock stands at 1 Dec 2026, 10:00 in Bishkek."""

from datetime import time

import pytest

from tests import factories
from tests.factories import bishkek


def make_session(course, **kwargs):
    """factories.make_session, with the trainers saved (modelcluster keeps `trainers.set()` in memory)."""
    session = factories.make_session(course, **kwargs)
    if kwargs.get("trainers"):
        session.save()
    return session


def make_venue(name="Баткен шаарындагы окуу залы", capacity=40, municipality="batken_city"):
    from courses.models import Venue

    return Venue.objects.create(name=name, municipality=factories.municipality(municipality), capacity=capacity)


def agenda_item(day, start, end, title="Сессия", **fields):
    from courses.models import AgendaItem

    return AgendaItem(day=day, starts_at=time(*start), ends_at=time(*end), title=title, **fields)


@pytest.fixture
def venue(db):
    return make_venue()


@pytest.fixture
def other_venue(db):
    return make_venue("Кыштут айыл өкмөтүнүн жыйындар залы", capacity=30, municipality="kyshtut")


@pytest.fixture
def translated_course(course):
    """The course with its ru and en translations published."""
    from cms.services.site import translate_page

    translate_page(course, "ru", title="Муниципальные услуги")
    translate_page(course, "en", title="Municipal services")
    return course


@pytest.fixture
def session(course, trainer, venue, clock):
    """An open two-day session on 15-16 Dec 2026, 09:00-18:00, trained by `trainer`."""
    return make_session(course, trainers=[trainer], venue=venue, starts_at=bishkek(2026, 12, 15))


@pytest.fixture
def other_session(course, other_trainer, other_venue, clock):
    """Another trainer's open session on 20-21 Dec 2026."""
    return make_session(course, trainers=[other_trainer], venue=other_venue, starts_at=bishkek(2026, 12, 20))


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client
