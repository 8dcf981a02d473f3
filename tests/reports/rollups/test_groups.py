"""The people-per-group rollup (reports/rollups/groups.py) equals a count from the per-person rows and the
profiles after every kind of write, and the unfiltered participants report reads it.

Its triggers add and subtract, so a missed write path would leave a group off for good: every path that
moves a person between groups is tried — registrations that create, change or remove their per-person row,
a first session moved to another year (youth), profiles created, edited in bulk and through the model,
moved to another person and deleted, people deleted — and after each step the table must equal the
recomputation and the report must equal the figures summed from the registrations.
"""

import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.models import Profile
from courses.models import Registration, Session
from reports.models import PeopleGroupRollup
from reports.rollups import groups as group_rollups
from reports.rollups import people as person_rollups
from reports.services import participants, people
from reports.services.base import ReportFilters
from tests import factories

from ..conftest import check_after_each, make_session, person, register

pytestmark = pytest.mark.django_db

KEYS = [*participants.FIGURE_KEYS, "organization_kind", "position"]
KINDS = ["ayil_okmotu", "local_council", "ngo", ""]
POSITIONS = ["Айыл өкмөтүнүн адиси", "Депутат", "Активист", ""]


def groups_now():
    """{group key: (people, registrations, completed)}: the appended changes summed per group, zeros left out."""
    rows = (
        PeopleGroupRollup.objects.values(*group_rollups.KEY)
        .annotate(p=Sum("people"), r=Sum("registrations"), c=Sum("completed"))
        .order_by()
    )
    return {
        tuple(row[name] for name in group_rollups.KEY): (row["p"], row["r"], row["c"])
        for row in rows
        if (row["p"], row["r"], row["c"]) != (0, 0, 0)
    }


def youth_of(key):
    return key[group_rollups.KEY.index("youth")]


def from_rows(keys):
    """The same groups summed from the registrations (the path a filtered report takes)."""
    return people.group_people(ReportFilters(date_from=factories.bishkek(1990, 1, 1).date()), keys)


def assert_groups_equal_rows():
    assert person_rollups.differences() == []
    assert group_rollups.differences() == []
    assert people.from_groups(ReportFilters(), KEYS)
    for keys in (KEYS, ["gender", "organization_kind"], ["gender", "position"], participants.FIGURE_KEYS):
        assert sorted(map(repr, people.group_people(ReportFilters(), keys))) == sorted(map(repr, from_rows(keys)))


@pytest.fixture
def scene(clock, course):
    rng = random.Random(5)
    crowd = [
        person(
            gender=rng.choice(["female", "male", ""]),
            year=rng.choice([None, 1970, 1990, 1996, 2001]),
            kind=rng.choice(KINDS),
            position=rng.choice(POSITIONS),
            disability=rng.random() < 0.2,
        )
        for _ in range(14)
    ]
    sessions = [
        make_session(course, starts_at=factories.bishkek(2024 + index % 3, 1 + index, 10), status="completed")
        for index in range(5)
    ]
    for session in sessions:
        for someone in rng.sample(crowd, 6):
            register(
                session, someone, rng.choice(["confirmed", "confirmed", "cancelled"]), completed=rng.random() < 0.5
            )
    return rng, crowd, sessions


def test_the_groups_are_there_after_ordinary_creates(scene):
    assert len(groups_now()) > 3
    assert_groups_equal_rows()


def test_every_write_path_keeps_the_groups_equal_to_the_rows(scene):
    rng, crowd, sessions = scene
    User = get_user_model()
    nobody = factories.participant()  # no profile details: the factory's profile is replaced below
    homeless = factories.participant()  # registered, profile gone: receives another person's profile below
    Profile.objects.filter(user__in=[nobody, homeless]).delete()
    register(sessions[3], homeless)
    counted = list(person_rollups_people())

    def someone_counted():
        return rng.choice(list(person_rollups_people()))

    def move_profile():
        # A profile handed to a person who had none: both people change group.
        source = Profile.objects.filter(user_id__in=person_rollups_people()).order_by("pk").first()
        Profile.objects.filter(pk=source.pk).update(user=homeless)

    def edit_through_the_model():
        profile = Profile.objects.get(user_id=someone_counted())
        profile.organization_kind, profile.position, profile.has_disability = "ngo", "Активист", True
        profile.save()

    steps = [
        # a newcomer's first registration, and a second one (same group, more registrations)
        lambda: register(sessions[0], nobody),
        lambda: Registration.objects.bulk_create(
            [Registration(session=sessions[1], user=nobody, status="confirmed", completed_at=sessions[1].ends_at)]
        ),
        # profile written for a person with registrations and no profile
        lambda: Profile.objects.bulk_create(
            [Profile(user=nobody, full_name="Асель", gender="female", year_of_birth=2000, position="Депутат")]
        ),
        # bulk edits of every field that places a person, and of one that does not
        lambda: Profile.objects.filter(user_id__in=counted[:4]).update(gender="male", position="Активист"),
        lambda: Profile.objects.filter(user_id__in=counted[2:7]).update(year_of_birth=None),
        lambda: Profile.objects.filter(user_id__in=counted[3:9]).update(year_of_birth=1999, has_disability=True),
        lambda: Profile.objects.filter(user_id__in=counted[5:8]).update(organization_kind="city_hall"),
        lambda: Profile.objects.filter(user_id__in=counted).update(full_name="Бирдей"),
        edit_through_the_model,
        move_profile,
        # registrations: completions, cancellations (a person leaves when their last one goes), deletes
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 6)).update(completed_at=None),
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 8)).update(status="cancelled"),
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 8)).update(status="confirmed"),
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 3)).delete(),
        # a first session moved years back: the people in it may stop being youth, and back
        lambda: Session.objects.filter(pk=sessions[0].pk).update(starts_at=factories.bishkek(2012, 5, 5)),
        lambda: Session.objects.filter(pk=sessions[0].pk).update(status="cancelled"),
        lambda: Session.objects.filter(pk=sessions[0].pk).update(status="completed"),
        # a profile deleted, a person deleted (profile and registrations with them), a session deleted
        lambda: Profile.objects.filter(user_id=someone_counted()).delete(),
        lambda: User.objects.filter(pk=someone_counted()).delete(),
        lambda: Session.objects.filter(pk=sessions[2].pk).delete(),
        # the per-person table rebuilt while the group triggers are on
        lambda: person_rollups.rebuild(),
    ]

    def ids():
        return list(Registration.objects.values_list("pk", flat=True))

    check_after_each(steps, assert_groups_equal_rows)


def person_rollups_people():
    from reports.models import PersonRollup

    return PersonRollup.objects.order_by("pk").values_list("user_id", flat=True)


def test_youth_is_counted_in_the_academys_year_not_utcs(clock, course):
    """Born 1991, first session on 1 January 2026 at 02:00 in Bishkek (31 December 2025 in UTC): 35 that year,
    not youth (under 35); counted in UTC's year they would be 34."""
    newyear = make_session(course, starts_at=factories.bishkek(2026, 1, 1, hour=2), status="completed")
    born_1991 = person(year=1991)
    register(newyear, born_1991)
    assert_groups_equal_rows()
    ((key, _counts),) = groups_now().items()
    assert youth_of(key) == 0
    assert participants.totals(ReportFilters())["youth"] == 0


def test_the_unfiltered_report_reads_the_groups_and_any_filter_the_rows(scene):
    """A group changed behind the triggers' back shows in the unfiltered figures only: they do read it."""
    before = participants.totals(ReportFilters())
    female = next(key for key in groups_now() if key[0] == "female")
    PeopleGroupRollup.objects.create(
        **dict(zip(group_rollups.KEY, female, strict=True)), people=50, registrations=0, completed=0
    )
    assert participants.totals(ReportFilters())["women"] == before["women"] + 50
    assert [stored[0] - computed[0] for _key, stored, computed in group_rollups.differences()] == [50]
    assert participants.totals(ReportFilters(region_id=1))["women"] <= before["women"]
    group_rollups.rebuild()
    assert group_rollups.differences() == []
    assert participants.totals(ReportFilters()) == before


def test_only_no_filter_keys_it_holds_and_the_academys_time_zone_read_the_groups():
    assert people.from_groups(ReportFilters(), KEYS)
    assert not people.from_groups(ReportFilters(), ["municipality_id", "gender"])
    assert not people.from_groups(ReportFilters(region_id=1), ["gender"])
    for name in ("date_from", "date_to", "course_key", "funding_project_id", "trainer_id", "scope_trainer_id"):
        assert not people.from_groups(ReportFilters(**{name: 1}), ["gender"])
    with timezone.override("UTC"):
        assert not people.from_groups(ReportFilters(), ["gender"])


def test_the_unfiltered_report_costs_the_same_for_more_people(clock, course):
    """One query for the people figures whether 3 or 30 people took part (the groups do not grow with them)."""

    def statements():
        with CaptureQueriesContext(connection) as queries:
            participants.report(ReportFilters())
        return len(queries)

    session = make_session(course, starts_at=factories.bishkek(2026, 3, 3), status="completed")
    for number in range(3):
        register(session, person(position=POSITIONS[number % 2]))
    few = statements()
    for number in range(27):
        register(session, person(position=POSITIONS[number % 2], year=1960 + number % 3))
    assert statements() == few
    assert len(groups_now()) <= 4
    assert participants.totals(ReportFilters())["people"] == 30


def test_a_person_moves_group_when_their_first_session_moves_to_another_year(clock, course):
    """Born 1985: 40 at a first session in 2025, 30 when it is moved to 2015; their counts move with them."""
    someone = person(year=1985)
    first = make_session(course, starts_at=factories.bishkek(2025, 2, 2), status="completed")
    later = make_session(course, starts_at=factories.bishkek(2026, 2, 2), status="completed")
    register(later, someone)
    register(first, someone, completed=True)
    ((key, counts),) = groups_now().items()
    assert (counts, youth_of(key)) == ((1, 2, 1), 0)
    Session.objects.filter(pk=first.pk).update(starts_at=factories.bishkek(2015, 2, 2))
    ((key, counts),) = groups_now().items()
    assert (counts, youth_of(key)) == ((1, 2, 1), 1)
    assert_groups_equal_rows()


def test_folding_leaves_one_row_per_group_and_the_same_figures(scene):
    """Every change is a row; the beat task folds them into one per group (twice: nothing more changes), and
    changes appended after a fold add up with the folded rows."""
    from reports import tasks

    rng, crowd, sessions = scene
    Registration.objects.filter(pk__in=rng.sample(list(Registration.objects.values_list("pk", flat=True)), 6)).update(
        status="cancelled"
    )
    before, figures = groups_now(), participants.report(ReportFilters())
    assert PeopleGroupRollup.objects.count() > len(before)
    tasks.fold_rollup_counters()
    assert PeopleGroupRollup.objects.count() == len(before)
    assert groups_now() == before
    tasks.fold_rollup_counters()
    assert PeopleGroupRollup.objects.count() == len(before)
    assert participants.report(ReportFilters()) == figures
    register(sessions[0], person(year=2001))
    assert_groups_equal_rows()
