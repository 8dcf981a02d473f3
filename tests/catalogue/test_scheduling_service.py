"""The scheduling rules (courses.services.catalogue), called directly."""

from datetime import date, timedelta

import pytest

from academy.errors import DomainError, PermissionDeniedError
from courses.models import AgendaItem, Registration, Session, SessionStatus
from courses.services import catalogue
from tests import factories
from tests.factories import bishkek

from .conftest import agenda_item, make_venue

pytestmark = pytest.mark.django_db


def new_session(course, venue=None, start=(2026, 12, 15), days=2, **fields):
    starts_at = bishkek(*start)
    return Session(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at.replace(hour=18) + timedelta(days=days - 1),
        capacity=fields.pop("capacity", 20),
        venue=venue,
        status=fields.pop("status", SessionStatus.OPEN),
        **fields,
    )


def batken_agenda(first_day=date(2026, 12, 15)):
    """The eleven blocks of the Batken training (seed 001) over two days."""
    from academy.data.demo.catalogue import BATKEN_AGENDA

    return [
        agenda_item(
            first_day + timedelta(days=block["day"] - 1),
            tuple(int(part) for part in block["start"].split(":")),
            tuple(int(part) for part in block["end"].split(":")),
            block["title_ky"],
        )
        for block in BATKEN_AGENDA
    ]


def test_a_trainer_schedules_the_batken_training_and_becomes_its_trainer(course, trainer, venue, clock):
    session = catalogue.save_session(new_session(course, venue), user=trainer, agenda=batken_agenda())

    session = Session.objects.get(pk=session.pk)
    assert list(session.trainers.all()) == [trainer]
    assert session.created_by == trainer
    assert session.agenda_items.count() == 11
    assert [item.sort_order for item in session.agenda_items.order_by("sort_order")] == list(range(11))


def test_an_admin_who_schedules_is_not_made_a_trainer(course, admin_user, trainer, venue, clock):
    session = catalogue.save_session(new_session(course, venue), user=admin_user, trainers=[trainer])
    assert list(Session.objects.get(pk=session.pk).trainers.all()) == [trainer]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": bishkek(2026, 12, 14)}, "ends_at"),
        ({"ends_at": bishkek(2026, 12, 15)}, "ends_at"),
        ({"capacity": -5}, "capacity"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 41}, "capacity"),
        ({"registration_opens_at": bishkek(2026, 12, 10), "registration_closes_at": bishkek(2026, 12, 9)}, "registration_closes_at"),
        ({"venue": None}, "venue"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(course, trainer, venue, clock, changes, field):
    session = new_session(course, venue)
    for name, value in changes.items():
        setattr(session, name, value)
    with pytest.raises(DomainError) as error:
        catalogue.save_session(session, user=trainer)
    assert error.value.field == field
    assert str(error.value.message)
    assert Session.objects.count() == 0


def test_a_draft_may_wait_for_its_venue(course, trainer, clock):
    session = catalogue.save_session(new_session(course, status=SessionStatus.DRAFT), user=trainer)
    assert session.pk


def test_a_double_booked_trainer_is_refused_with_the_clashing_session_named(session, course, trainer, other_venue):
    clash = new_session(course, other_venue, start=(2026, 12, 16), days=1, title="Кыштут")
    with pytest.raises(DomainError) as error:
        catalogue.save_session(clash, user=trainer)
    assert error.value.field == "trainers"
    assert "15.12.2026" in error.value.message
    assert course.title in error.value.message
    assert Session.objects.count() == 1


def test_a_double_booked_venue_is_refused(session, course, other_trainer, venue):
    with pytest.raises(DomainError) as error:
        catalogue.save_session(new_session(course, venue, start=(2026, 12, 16), days=1), user=other_trainer)
    assert error.value.field == "venue"
    assert venue.name in error.value.message


def test_back_to_back_and_cancelled_sessions_do_not_clash(session, course, trainer, venue):
    catalogue.save_session(new_session(course, venue, start=(2026, 12, 17), days=1), user=trainer)
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    catalogue.save_session(new_session(course, venue, start=(2026, 12, 15), days=1), user=trainer)
    assert Session.objects.count() == 3


def test_updating_a_session_does_not_clash_with_itself(session, trainer):
    session.title = "Баткен"
    catalogue.save_session(session, user=trainer)
    assert Session.objects.get(pk=session.pk).title == "Баткен"


@pytest.mark.parametrize(
    ("items", "fragment"),
    [
        ([agenda_item(date(2026, 12, 17), (9, 0), (10, 0), "Үчүнчү күн")], "outside"),
        ([agenda_item(date(2026, 12, 15), (8, 0), (10, 0), "Эрте")], "outside"),
        ([agenda_item(date(2026, 12, 16), (17, 0), (19, 0), "Кеч")], "outside"),
        ([agenda_item(date(2026, 12, 15), (11, 0), (10, 0), "Тескери")], "end after"),
        (
            [
                agenda_item(date(2026, 12, 15), (9, 0), (10, 30), "Биринчи"),
                agenda_item(date(2026, 12, 15), (10, 0), (11, 0), "Экинчи"),
            ],
            "overlap",
        ),
    ],
)
def test_agenda_mistakes_are_refused(session, trainer, items, fragment):
    with pytest.raises(DomainError) as error:
        catalogue.save_session(session, user=trainer, agenda=items)
    assert error.value.field == "agenda"
    assert fragment in error.value.message
    assert items[-1].title in error.value.message
    assert AgendaItem.objects.count() == 0


def test_an_agenda_block_is_led_by_a_trainer_of_the_session(session, trainer, other_trainer):
    with pytest.raises(DomainError) as error:
        catalogue.save_session(
            session, user=trainer, agenda=[agenda_item(date(2026, 12, 15), (9, 0), (10, 0), trainer=other_trainer)]
        )
    assert error.value.field == "agenda"


def test_only_trainers_and_admins_schedule(course, participant, venue, clock):
    with pytest.raises(PermissionDeniedError):
        catalogue.save_session(new_session(course, venue), user=participant)


def test_a_trainer_cannot_change_another_trainers_session(other_session, trainer):
    other_session.capacity = 10
    with pytest.raises(PermissionDeniedError):
        catalogue.save_session(other_session, user=trainer)
    assert Session.objects.get(pk=other_session.pk).capacity == 25


def test_a_trainer_cannot_add_themselves_to_another_trainers_session(other_session, trainer, other_trainer):
    with pytest.raises(PermissionDeniedError):
        catalogue.save_session(other_session, user=trainer, trainers=[trainer, other_trainer])
    assert list(Session.objects.get(pk=other_session.pk).trainers.all()) == [other_trainer]


def test_a_trainer_cannot_remove_themselves(session, trainer, other_trainer):
    with pytest.raises(DomainError) as error:
        catalogue.save_session(session, user=trainer, trainers=[other_trainer])
    assert error.value.field == "trainers"


def test_capacity_cannot_fall_below_confirmed_registrations(session, trainer):
    for _index in range(3):
        Registration.objects.create(session=session, user=factories.participant(), status="confirmed")
    session.capacity = 2
    with pytest.raises(DomainError) as error:
        catalogue.save_session(session, user=trainer)
    assert error.value.field == "capacity"


def test_a_cancelled_session_is_not_reopened(session, trainer):
    catalogue.cancel_session(session, user=trainer)
    session.refresh_from_db()
    session.status = SessionStatus.OPEN
    with pytest.raises(DomainError) as error:
        catalogue.save_session(session, user=trainer)
    assert error.value.field == "status"


def test_copy_agenda_from_the_previous_session_of_the_course(course, trainer, other_trainer, venue, clock):
    past = catalogue.save_session(
        new_session(course, venue, start=(2026, 9, 10), status=SessionStatus.COMPLETED),
        user=trainer,
        trainers=[trainer, other_trainer],
        agenda=[
            agenda_item(date(2026, 9, 10), (9, 0), (12, 0), "Ачылыш", trainer=trainer),
            agenda_item(date(2026, 9, 11), (9, 0), (12, 0), "БАП", trainer=other_trainer),
        ],
    )
    upcoming = catalogue.save_session(new_session(course, venue, start=(2026, 12, 15)), user=trainer)

    source, count = catalogue.copy_agenda_from_previous(upcoming, user=trainer)

    assert (source, count) == (past, 2)
    items = list(upcoming.agenda_items.order_by("day"))
    assert [(item.day, item.title) for item in items] == [(date(2026, 12, 15), "Ачылыш"), (date(2026, 12, 16), "БАП")]
    assert items[0].trainer == trainer
    assert items[1].trainer is None  # not a trainer of the new session
    with pytest.raises(DomainError):
        catalogue.copy_agenda_from_previous(upcoming, user=trainer)
    catalogue.copy_agenda_from_previous(upcoming, user=trainer, replace=True)
    assert upcoming.agenda_items.count() == 2
    assert past.agenda_items.count() == 2


def test_copy_agenda_needs_a_source_and_room(course, trainer, venue, clock):
    lonely = catalogue.save_session(new_session(course, venue, days=1), user=trainer)
    with pytest.raises(DomainError):
        catalogue.copy_agenda_from_previous(lonely, user=trainer)
    catalogue.save_session(
        new_session(course, make_venue("Ош"), start=(2026, 9, 10), status=SessionStatus.COMPLETED),
        user=trainer,
        agenda=[agenda_item(date(2026, 9, 11), (9, 0), (12, 0), "Экинчи күн")],
    )
    with pytest.raises(DomainError) as error:
        catalogue.copy_agenda_from_previous(lonely, user=trainer)
    assert "more days" in error.value.message


def test_cancelling_emails_each_registered_participant_in_their_language(session, trainer, mailoutbox, django_capture_on_commit_callbacks):
    from academy.models import OutboxEmail

    people = {
        language: factories.participant(profile__preferred_language=language) for language in ("ky", "ru", "en")
    }
    registrations = {
        language: Registration.objects.create(session=session, user=user, status="confirmed")
        for language, user in people.items()
    }
    gone = Registration.objects.create(session=session, user=factories.participant(), status="cancelled")

    with django_capture_on_commit_callbacks(execute=True):
        catalogue.cancel_session(session, user=trainer, reason="Жол жабык")

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    keys = set(OutboxEmail.objects.values_list("key", flat=True))
    assert keys == {f"session-cancelled:{session.pk}:{registration.pk}" for registration in registrations.values()}
    assert f"session-cancelled:{session.pk}:{gone.pk}" not in keys
    subjects = {email.to: email.subject for email in OutboxEmail.objects.all()}
    assert subjects[people["en"].email].startswith("Cancelled")
    assert len(mailoutbox) == 3
    assert "Жол жабык" in mailoutbox[0].body

    # The task is safe to run twice, and so is cancelling again.
    from courses.tasks.catalogue import notify_session_cancelled

    assert notify_session_cancelled(session.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.cancel_session(session, user=trainer)
    assert OutboxEmail.objects.count() == 3
    assert len(mailoutbox) == 3


def test_cancelling_through_save_session_also_notifies(session, trainer, django_capture_on_commit_callbacks):
    from academy.models import OutboxEmail

    Registration.objects.create(session=session, user=factories.participant(), status="waitlisted")
    session.status = SessionStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.save_session(session, user=trainer)
    assert OutboxEmail.objects.count() == 1


def test_cancel_is_refused_to_another_trainer(other_session, trainer):
    with pytest.raises(PermissionDeniedError):
        catalogue.cancel_session(other_session, user=trainer)
    assert Session.objects.get(pk=other_session.pk).status == SessionStatus.OPEN
