"""Who is due, where: the figures against the hand-counted district, and against each person's own record."""

from datetime import date

import pytest

from academy.models import District, Municipality, Region
from certificates.services import hours_ledger
from reports.services import qualification
from tests import factories
from tests.reports.qualification_world import TODAY, build_world, external, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course):
    return build_world(course)


def batken_district():
    return qualification.Place(district=District.objects.get(code="batken_district"))


def test_district_figures_match_the_hand_count(world):
    result = qualification.build(batken_district(), today=TODAY)
    rows = {row["code"]: row for row in result.municipalities}
    assert list(rows) == sorted(rows, key=lambda code: Municipality.objects.get(code=code).name_en)
    assert set(rows) == {"kyshtut", "suu_bashy", "samarkandek", "ak_sai"}
    assert result.totals == {
        "people": 5,
        "trained": 4,
        "hours": 204,
        "up_to_date": 2,
        "due_soon": 1,
        "overdue": 2,
        "no_one_trained": 1,
        "municipalities": 4,
    }
    kyshtut = rows["kyshtut"]
    assert (kyshtut["people"], kyshtut["trained"], kyshtut["hours"], kyshtut["due_soon"]) == (2, 2, 152, 1)
    assert (rows["suu_bashy"]["overdue"], rows["suu_bashy"]["hours"], rows["suu_bashy"]["no_one_trained"]) == (
        2,
        16,
        False,
    )
    assert rows["ak_sai"]["no_one_trained"] is True and rows["ak_sai"]["people"] == 0
    assert rows["samarkandek"]["up_to_date"] == 1


def test_people_due_are_listed_overdue_first_then_by_due_date(world):
    result = qualification.build(batken_district(), today=TODAY)
    assert result.people_count == 3
    listed = [(row["name"], row["status"], row["hours_in_cycle"], row["due_by"]) for row in result.people]
    assert listed == [
        ("Чынара Чоробаева", "overdue", 0, None),
        ("Данияр Доолотов", "overdue", 16, None),
        ("Бакыт Бекова", "due_soon", 72, date(2026, 12, 20)),
    ]
    head = result.people[1]
    suu_bashy = Municipality.objects.get(code="suu_bashy")
    assert (head["role_group"], head["min_hours"], head["hours_missing"], head["municipality"]) == (
        "head",
        72,
        56,
        suu_bashy.name,
    )
    assert result.people[2]["days_left"] == 19


def test_every_person_matches_their_own_record(world):
    everyone = qualification.build(
        qualification.Place(), today=TODAY, statuses=("up_to_date", "due_soon", "overdue"), limit=None
    )
    assert {row["user_id"] for row in everyone.people} == {p.pk for p in vars(world).values()}
    for row in everyone.people:
        state = hours_ledger.record(row_user(row), today=TODAY).state
        assert (row["hours_in_cycle"], row["due_by"], row["status"], row["role_group"]) == (
            state.hours_in_cycle,
            state.due_by,
            str(state.status),
            str(state.role_group),
        ), row["name"]


def row_user(row):
    from academy.models import User

    return User.objects.get(pk=row["user_id"])


def test_many_credits_on_boundaries_match_the_record(course):
    """Credits on the cycle's first day, on the day before, several on one day, and today."""
    someone = person("Гүлзат Гапарова", "kyshtut")
    for ends_on, hours in [
        (date(2023, 12, 1), 30),  # first day still counting
        (date(2023, 11, 30), 50),  # a day too old
        (date(2024, 6, 1), 20),
        (date(2024, 6, 1), 22),
        (TODAY, 4),
    ]:
        external(someone, ends_on, hours, title=f"Курс {ends_on} {hours}")
    row = qualification.build(
        qualification.Place(municipality=Municipality.objects.get(code="kyshtut")),
        today=TODAY,
        statuses=("up_to_date", "due_soon", "overdue"),
        limit=None,
    ).people[0]
    state = hours_ledger.record(someone, today=TODAY).state
    assert (row["hours_in_cycle"], row["due_by"], row["status"]) == (state.hours_in_cycle, state.due_by, state.status)
    assert row["hours_in_cycle"] == 76 and row["due_by"] == date(2026, 12, 1) and row["status"] == "due_soon"


def test_an_oblast_and_a_municipality(world):
    batken = qualification.build(qualification.Place(region=Region.objects.get(code="batken")), today=TODAY)
    assert batken.totals["people"] == 5 and batken.totals["municipalities"] > 4
    kyshtut = qualification.build(
        qualification.Place(municipality=Municipality.objects.get(code="kyshtut")), today=TODAY
    )
    assert [row["code"] for row in kyshtut.municipalities] == ["kyshtut"]
    assert [row["name"] for row in kyshtut.people] == ["Бакыт Бекова"]
    chui = qualification.build(qualification.Place(region=Region.objects.get(code="chui")), today=TODAY)
    assert [row["name"] for row in chui.people] == ["Фарида Фаизова"]


def test_scope_limits_everything(world):
    kyshtut = Municipality.objects.filter(code="kyshtut")
    result = qualification.build(batken_district(), kyshtut, today=TODAY)
    assert [row["code"] for row in result.municipalities] == ["kyshtut"]
    assert result.totals["people"] == 2
    assert [row["name"] for row in result.people] == ["Бакыт Бекова"]
    by_ids = qualification.build(qualification.Place(), [kyshtut.get().pk], today=TODAY)
    assert by_ids.totals == result.totals


def test_paging_and_status_filter(world):
    first = qualification.build(batken_district(), today=TODAY, limit=2, offset=0)
    second = qualification.build(batken_district(), today=TODAY, limit=2, offset=2)
    assert [row["name"] for row in first.people + second.people] == [
        "Чынара Чоробаева",
        "Данияр Доолотов",
        "Бакыт Бекова",
    ]
    due_soon = qualification.build(batken_district(), today=TODAY, statuses=("due_soon",))
    assert due_soon.people_count == 1 and [row["name"] for row in due_soon.people] == ["Бакыт Бекова"]


def test_query_count_does_not_grow_with_people(world, django_assert_max_num_queries):
    for index in range(30):
        someone = person(f"Адам {index}", "ak_sai")
        external(someone, date(2025, 1, 1 + index % 28), 10 + index)
    # 4 reads, plus on PostgreSQL the report's work_mem setting and its transaction (savepoint, release)
    with django_assert_max_num_queries(8):
        result = qualification.build(batken_district(), today=TODAY)
    assert result.totals["people"] == 35


def test_the_whole_country_without_people_is_empty_not_an_error(db):
    result = qualification.build(qualification.Place(), today=TODAY)
    assert result.totals["people"] == 0 and result.people == []
    assert result.totals["no_one_trained"] == result.totals["municipalities"] == Municipality.objects.count()


def test_who_may_see_it(world):
    from academy.errors import PermissionDeniedError
    from academy.models import MunicipalityOfficer

    assert qualification.scope_for(factories.academy_admin()) is None
    for user in (factories.trainer(), world.a):
        assert not qualification.can_view(user)
        with pytest.raises(PermissionDeniedError):
            qualification.scope_for(user)
    officer = factories.participant()
    MunicipalityOfficer.objects.create(user=officer, municipality=Municipality.objects.get(code="kyshtut"))
    assert list(qualification.scope_for(officer).values_list("code", flat=True)) == ["kyshtut"]
