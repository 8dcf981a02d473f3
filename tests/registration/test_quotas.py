"""Seat quotas per oblast or municipality (courses/services/quotas.py) through the registration service."""

import pytest
from django.utils import translation

from academy.errors import DomainError
from academy.models import Region
from courses.models import SessionQuota
from courses.services import quotas
from courses.services import registration as service
from tests import factories

from .conftest import make_session


@pytest.fixture
def kyshtut(db):
    return factories.municipality("kyshtut")


@pytest.fixture
def suu_bashy(db):
    return factories.municipality("suu_bashy")


@pytest.fixture
def quota_session(course, trainer, clock, kyshtut, suu_bashy):
    """6 seats: 2 for Kyshtut, 2 for Suu-Bashy, 2 open to everyone else; quotas released on 10 Dec."""
    session = make_session(course, capacity=6, trainers=[trainer], quota_release_at=factories.bishkek(2026, 12, 10, 9))
    SessionQuota.objects.create(session=session, municipality=kyshtut, seats=2)
    SessionQuota.objects.create(session=session, municipality=suu_bashy, seats=2)
    return session


def person(municipality=None):
    return factories.participant(profile__municipality=municipality)


def test_a_full_quota_waitlists_its_people_with_the_reason_while_others_still_get_seats(
    quota_session, kyshtut, suu_bashy
):
    first, second = (service.register(quota_session, person(kyshtut)) for _ in range(2))
    assert (first.status, second.status) == ("confirmed", "confirmed")
    third = service.register(quota_session, person(kyshtut))
    assert third.status == "waitlisted"
    assert "Kyshtut" in third.quota_reason and "10 December 2026" in third.quota_reason
    # Seats are still free for Suu-Bashy and for people no quota covers.
    assert service.register(quota_session, person(suu_bashy)).status == "confirmed"
    assert service.register(quota_session, person()).status == "confirmed"
    assert quota_session.registrations.filter(status="confirmed").count() == 4


def test_people_no_quota_covers_share_only_the_open_seats(quota_session):
    assert [service.register(quota_session, person()).status for _ in range(3)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_the_reason_is_translated(quota_session, kyshtut):
    for _ in range(2):
        service.register(quota_session, person(kyshtut))
    with translation.override("ru"):
        third = service.register(quota_session, person(kyshtut))
    assert "листе ожидания" in third.quota_reason and "Кыштут" in third.quota_reason


def test_an_oblast_quota_covers_its_municipalities_unless_one_has_its_own(course, clock, kyshtut, suu_bashy):
    session = make_session(course, capacity=3)
    SessionQuota.objects.create(session=session, region=Region.objects.get(code="batken"), seats=1)
    SessionQuota.objects.create(session=session, municipality=kyshtut, seats=1)
    assert service.register(session, person(suu_bashy)).status == "confirmed"  # the oblast's seat
    assert service.register(session, person(suu_bashy)).status == "waitlisted"  # oblast quota full
    assert service.register(session, person(kyshtut)).status == "confirmed"  # Kyshtut's own seat
    assert service.register(session, person()).status == "confirmed"  # the one open seat


def test_a_freed_quota_seat_goes_to_the_first_waiting_person_of_that_quota(quota_session, kyshtut):
    seated = [service.register(quota_session, person(kyshtut)) for _ in range(2)]
    open_waiting = [service.register(quota_session, person()) for _ in range(3)]  # 2 seats, then waiting
    kyshtut_waiting = service.register(quota_session, person(kyshtut))
    assert open_waiting[2].status == kyshtut_waiting.status == "waitlisted"
    service.cancel(seated[0], actor=seated[0].user)
    kyshtut_waiting.refresh_from_db()
    open_waiting[2].refresh_from_db()
    # The person ahead in the queue has no room in the open seats: the Kyshtut seat goes to Kyshtut.
    assert kyshtut_waiting.status == "confirmed"
    assert open_waiting[2].status == "waitlisted"


def test_from_the_release_date_unused_quota_seats_are_open_to_all(quota_session, clock):
    people = [service.register(quota_session, person()) for _ in range(4)]
    assert [registration.status for registration in people] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    clock.move_to(factories.bishkek(2026, 12, 10, 9))
    promoted = service.promote_waitlist(quota_session.pk)  # the periodic catch-up task
    assert {registration.pk for registration in promoted} == {people[2].pk, people[3].pk}
    assert service.register(quota_session, person()).status == "confirmed"
    assert service.register(quota_session, person()).status == "confirmed"
    # Still never more than the capacity.
    assert service.register(quota_session, person()).status == "waitlisted"
    assert quota_session.registrations.filter(status="confirmed").count() == 6


def test_approval_respects_the_quota(course, trainer, clock, kyshtut):
    session = make_session(course, capacity=4, trainers=[trainer], requires_approval=True)
    SessionQuota.objects.create(session=session, municipality=kyshtut, seats=1)
    pending = [service.register(session, person(kyshtut)) for _ in range(2)]
    decision = service.approve(session, [registration.pk for registration in pending], actor=trainer)
    assert [registration.status for registration in decision.changed] == ["confirmed", "waitlisted"]


def test_quotas_never_exceed_the_capacity_even_when_the_capacity_is_lowered_later(quota_session, kyshtut):
    quota_session.capacity = 3  # below the quotas' 4 seats: the open seats are none, the capacity still rules
    quota_session.save()
    statuses = [service.register(quota_session, person(kyshtut)).status for _ in range(2)]
    statuses += [service.register(quota_session, factories.participant()).status]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert quota_session.registrations.filter(status="confirmed").count() <= 3


def test_a_session_without_quotas_reads_nothing_more(course, clock, django_assert_max_num_queries):
    session = make_session(course, capacity=5)
    user = person()
    book_queries = []
    with django_assert_max_num_queries(12) as context:
        service.register(session, user)
    book_queries = [query for query in context.captured_queries if "sessionquota" in query["sql"]]
    assert len(book_queries) == 1  # the EXISTS inside the locking query, nothing else


def test_registering_against_quotas_runs_a_bounded_number_of_queries(
    quota_session, kyshtut, django_assert_max_num_queries
):
    for _ in range(2):
        service.register(quota_session, person(kyshtut))
    user = person(kyshtut)
    with django_assert_max_num_queries(14):
        assert service.register(quota_session, user).status == "waitlisted"


# --- what organisers set ----------------------------------------------------------------------------


def test_check_quotas_refuses_a_sum_larger_than_the_capacity(kyshtut, suu_bashy):
    with pytest.raises(DomainError) as error:
        quotas.check_quotas(3, [(None, kyshtut, 2), (None, suu_bashy, 2)])
    assert error.value.code == "quota_over_capacity"
    assert "4" in str(error.value.message) and "3" in str(error.value.message)
    with translation.override("ky"), pytest.raises(DomainError) as error:
        quotas.check_quotas(3, [(None, kyshtut, 2), (None, suu_bashy, 2)])
    assert "capacity" not in str(error.value.message)


def test_check_quotas_refuses_two_places_one_quota_and_duplicates(kyshtut):
    batken = Region.objects.get(code="batken")
    with pytest.raises(DomainError) as error:
        quotas.check_quotas(10, [(batken, kyshtut, 2)])
    assert error.value.code == "quota_place"
    with pytest.raises(DomainError) as error:
        quotas.check_quotas(10, [(None, kyshtut, 2), (None, kyshtut, 1)])
    assert error.value.code == "quota_duplicate"
    assert quotas.check_quotas(10, [(batken, None, 4), (None, kyshtut, 2)]) == 6


def test_quota_summary_counts_taken_seats(quota_session, kyshtut):
    service.register(quota_session, person(kyshtut))
    service.register(quota_session, person())
    rows = {row["place"]: (row["seats"], row["taken"]) for row in quotas.quota_summary(quota_session)}
    assert rows["Kyshtut"] == (2, 1)
    assert rows["Open to everyone"] == (2, 1)
