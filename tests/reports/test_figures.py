"""Report figures against hand-counted values (see conftest.py for the fixture academy)."""

from datetime import date

import pytest

from reports.services import delivery, feedback_report, participants, reach, summary, trainers
from reports.services.base import ReportFilters, for_user
from reports.services.base import participants as participant_registrations

pytestmark = pytest.mark.django_db

ALL = ReportFilters()


def test_participants_definition_counts_people_once_and_excludes_cancelled_pending_drafts(world):
    registrations = set(participant_registrations(ALL).values_list("pk", flat=True))
    assert registrations == {world.a1.pk, world.a2.pk, world.b1.pk, world.c1.pk, world.d2.pk, world.f3.pk}


def test_participant_totals(world):
    figures = participants.totals(ALL)
    assert figures["people"] == 5  # A (two sessions) counted once
    assert figures["registrations"] == 6  # ... and twice as registrations
    assert figures["women"] == 2
    assert figures["men"] == 2
    assert figures["gender_not_given"] == 1
    assert figures["women_share"] == 50.0  # of the 4 people whose gender is given
    assert figures["with_disability"] == 1
    assert figures["youth"] == 2  # A (31 in 2026) and F (26); D is 36, C has no birth year
    assert figures["age_not_given"] == 1
    assert figures["completed"] == 3


def test_participants_by_organisation_kind_and_position(world):
    kinds = {row["kind"]: row for row in participants.by_organisation_kind(ALL)}
    assert kinds["Ayil okmotu (rural executive body)"]["people"] == 1
    assert kinds["Ayil okmotu (rural executive body)"]["registrations"] == 2
    assert kinds["Not given"]["people"] == 1
    assert sum(row["people"] for row in kinds.values()) == 5
    positions = {row["position"]: row for row in participants.by_position(ALL)}
    assert positions["Айыл өкмөтүнүн адиси"]["people"] == 2  # A and D
    assert positions["Айыл өкмөтүнүн адиси"]["women_share"] == 100.0
    assert positions["Not given"]["people"] == 1


def test_reach(world):
    assert reach.totals(ALL) == {"municipalities": 3, "districts": 3, "regions": 3, "people_without_place": 1}
    regions = {row["code"]: row for row in reach.by_region(ALL)}
    assert len(regions) == 9  # every oblast and city, zeros included
    assert regions["batken"]["people"] == 2  # A and F
    assert regions["batken"]["registrations"] == 3
    assert regions["batken"]["municipalities"] == 1
    assert regions["naryn"]["people"] == 1
    assert regions["chui"]["people"] == 1
    assert regions["talas"]["people"] == 0
    municipalities = {row["municipality"] for row in reach.municipalities_reached(ALL)}
    assert municipalities == {"Kyshtut", "At-Bashy", "Alamudun"} or len(municipalities) == 3
    assert len(reach.districts_reached(ALL)) == 3


def test_delivery(world):
    figures = delivery.totals(ALL)
    assert figures["sessions"] == 3
    assert figures["held"] == 2
    assert figures["upcoming"] == 1
    assert figures["academic_hours"] == 24  # 16 + 8
    assert figures["registrations_held"] == 5
    assert figures["participant_hours"] == 64  # 16 × 3 + 8 × 2
    assert figures["attended_hours"] == 42.4  # (16×100 + 8×50 + 16×90 + 8×100) / 100
    assert figures["attendance_rate"] == 85.0  # (100 + 50 + 90 + 100) / 4; C not recorded
    assert figures["completion_rate"] == 60.0  # 3 of 5
    if delivery.certificate_model() is None:
        assert figures["certificates"] is None
    else:
        assert isinstance(figures["certificates"], int)
    courses = {row["course"]: row for row in delivery.by_course(ALL)}
    assert courses["Жергиликтүү бюджет"]["registrations"] == 2
    assert courses["Жергиликтүү бюджет"]["academic_hours"] == 8
    assert sum(row["registrations"] for row in delivery.by_month(ALL)) == 6


def test_trainers(world):
    rows = {row["trainer_id"]: row for row in trainers.by_trainer(ALL)}
    mine = rows[world.trainer.pk]
    assert (mine["sessions"], mine["held"], mine["people"], mine["registrations"], mine["completed"]) == (2, 1, 4, 4, 2)
    assert (mine["answers"], mine["content"], mine["trainer_score"], mine["organisation"]) == (2, 4.5, 4.5, 3.5)
    theirs = rows[world.other_trainer.pk]
    assert (theirs["sessions"], theirs["people"], theirs["answers"], theirs["content"]) == (1, 2, 1, 2.0)


def test_feedback(world):
    figures = feedback_report.totals(ALL)
    assert figures["answers"] == 3  # the answer on a cancelled registration never counts
    assert figures["content"] == 3.67
    assert figures["trainer"] == 4.0
    assert figures["organisation"] == 4.0
    assert figures["expected"] == 5
    assert figures["response_rate"] == 60.0
    assert figures["content_score_5"] == 1 and figures["content_score_2"] == 1
    report = feedback_report.report(ALL)
    comments = report.table("comments").rows
    assert {row["comments"] for row in comments} == {"Рахмат", '=HYPERLINK("http://evil")'}
    assert all(row["comments"] != "never counted" for row in comments)
    by_course = {row["course"]: row for row in report.table("courses").rows}
    assert by_course["Жергиликтүү бюджет"]["answers"] == 1
    # The trainer's name and the trainer's score are two columns (the score once overwrote the name).
    names = {row["trainer_id"]: row["trainer"] for row in trainers.by_trainer(ALL)}  # the trainers report's names
    by_trainer = {row["name"]: row for row in report.table("trainers").rows}
    assert set(by_trainer) == set(names.values()) and all(names.values())
    assert by_trainer[names[world.trainer.pk]]["trainer"] == 4.5


@pytest.mark.parametrize(
    "filters, people, registrations",
    [
        (lambda w: ReportFilters(region_id=w.batken.pk), 2, 3),
        (lambda w: ReportFilters(region_id=w.naryn.pk), 1, 1),
        (lambda w: ReportFilters(district_id=w.b.profile.municipality.district_id), 1, 1),
        (lambda w: ReportFilters(funding_project_id=w.p2.pk), 2, 2),
        (lambda w: ReportFilters(course_key=w.course2.translation_key), 2, 2),
        (lambda w: ReportFilters(trainer_id=w.trainer.pk), 4, 4),
        (lambda w: ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)), 3, 3),
        (lambda w: ReportFilters(date_from=date(2026, 3, 11)), 3, 3),  # S1 started on the 10th: out
        (lambda w: ReportFilters(date_to=date(2026, 3, 10)), 3, 3),  # the whole last day counts
    ],
)
def test_filters(world, filters, people, registrations):
    figures = participants.totals(filters(world))
    assert (figures["people"], figures["registrations"]) == (people, registrations)


def test_place_filters_keep_sessions_that_reached_the_place(world):
    assert delivery.totals(ReportFilters(region_id=world.naryn.pk))["sessions"] == 1  # S1 only (B)
    assert delivery.totals(ReportFilters(region_id=world.batken.pk))["sessions"] == 3


def test_trainer_scope_sees_own_sessions_only(world):
    mine = for_user(ALL, world.trainer)
    assert participants.totals(mine)["people"] == 4
    assert [row["trainer_id"] for row in trainers.by_trainer(mine)] == [world.trainer.pk]
    theirs = for_user(ALL, world.other_trainer)
    assert participants.totals(theirs)["people"] == 2
    assert feedback_report.totals(theirs)["answers"] == 1
    assert for_user(ALL, world.admin) == ALL


def test_participants_cannot_get_a_scope(world):
    from academy.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        for_user(ALL, world.a)


def test_headline_summary(world):
    figures = summary.headline(ALL)
    assert figures["people"] == 5
    assert figures["registrations"] == 6
    assert figures["women_share"] == 50.0
    assert figures["municipalities"] == 3
    assert figures["sessions_held"] == 2
    assert figures["completion_rate"] == 60.0
    assert {row["code"]: row["people"] for row in figures["by_region"]}["batken"] == 2


def test_empty_academy_gives_zeros_not_errors(db, clock):
    figures = summary.headline(ALL)
    assert figures["people"] == 0
    assert figures["women_share"] is None
    assert figures["completion_rate"] is None
    for build in (participants.report, reach.report, delivery.report, trainers.report, feedback_report.report):
        assert build(ALL).title


def test_certificates_issued_counts_valid_certificates_of_participants(world):
    model = delivery.certificate_model()
    if model is None:
        pytest.skip("the certificates app has no Certificate model yet")
    template = model._meta.get_field("template").related_model.objects.create(name="Reports test")

    def certificate(registration, number, status="valid"):
        return model.objects.create(
            template=template,
            registration=registration,
            user=registration.user,
            session=registration.session,
            number=f"R-{number}",
            year=2026,
            sequence=number,
            code=f"reports{number}",
            status=status,
            holder_name="—",
            course_title="—",
            course_hours=16,
            starts_on=date(2026, 3, 10),
            ends_on=date(2026, 3, 11),
            issued_on=date(2026, 3, 12),
            languages="ky",
        )

    certificate(world.a1, 1)
    certificate(world.b1, 2, "replaced")
    certificate(world.b1, 3)
    certificate(world.d2, 4, "revoked")
    certificate(world.e1, 5)  # a cancelled registration: not a participant
    assert delivery.totals(ALL)["certificates"] == 2
    assert delivery.totals(ReportFilters(funding_project_id=world.p2.pk))["certificates"] == 0
