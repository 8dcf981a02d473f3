"""Every figure of every report equals the one computed row by row, on random data with random filters.

The reports aggregate in SQL (people summed per person and grouped, sums per session and course);
here the same figures are computed the plain way: load every registration with its session, course,
trainers, profile, place and feedback, keep the participants the filters allow, and count in Python.
Seeded random generators: a failure names its seed and filters, and replays the same way.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from academy.models import Municipality, Profile, Region
from courses.models import Registration, Session
from reports.models import Feedback
from reports.services import delivery, feedback_report, participants, reach, summary, trainers
from reports.services.base import EXCLUDED_SESSION_STATUSES, YOUTH_AGE_LIMIT, ReportFilters, percent, rounded
from reports.services.labels import (
    course_titles,
    organisation_kind_labels,
    person_name,
    session_label,
    translated_name,
)
from tests import factories

from .conftest import make_session

pytestmark = pytest.mark.django_db

SEEDS = [1, 2, 3, 4]
FILTERS_PER_SEED = 8
SESSION_STATUSES = ["draft", "cancelled", "open", "closed", "completed", "completed", "completed"]
REGISTRATION_STATUSES = ["confirmed"] * 6 + ["cancelled", "pending", "waitlisted", "rejected"]
POSITIONS = ["Адис", " Адис ", "Башчы", "", "Депутат"]
KINDS = ["ayil_okmotu", "city_hall", "local_council", "ngo", ""]


# --- random data ---------------------------------------------------------------------------------


def build(rng, course, course_index, trainer_pool):
    courses = [course, factories.make_course(course_index, title="Жергиликтүү бюджет", hours=rng.choice([4, 8, 12]))]
    projects = [factories.FundingProjectFactory(), factories.FundingProjectFactory()]
    places = list(Municipality.objects.order_by("pk")[:12]) + [None]
    people = []
    for _index in range(14):
        someone = factories.participant(
            profile__gender=rng.choice(["female", "female", "male", ""]),
            profile__year_of_birth=rng.choice([None, *range(1960, 2006, 3)]),
            profile__municipality=rng.choice(places),
            profile__organization_kind=rng.choice(KINDS),
            profile__position=rng.choice(POSITIONS),
            profile__has_disability=rng.random() < 0.2,
        )
        people.append(someone)
    Profile.objects.filter(user=people[0]).delete()  # a participant without a profile
    for _number in range(9):
        # Two years back to two months ahead of the clock (2026-12-01), some at 00:00 Bishkek (18:00 UTC).
        starts_at = factories.bishkek(2025, 1, 1) + timedelta(days=rng.randint(0, 760), hours=rng.choice([-9, 0, 5]))
        session = make_session(
            rng.choice(courses),
            starts_at=starts_at,
            days=rng.choice([1, 2, 3]),
            status=rng.choice(SESSION_STATUSES),
            trainers=rng.sample(trainer_pool, rng.randint(0, 2)),
            funding_project=rng.choice(projects),
            capacity=30,
        )
        for person in rng.sample(people, rng.randint(0, 10)):
            held = session.ends_at <= timezone.now()
            registration = Registration.objects.create(
                session=session,
                user=person,
                status=rng.choice(REGISTRATION_STATUSES),
                attendance_percent=rng.choice([None, 0, 50, 75, 90, 100]) if held else None,
                completed_at=session.ends_at + timedelta(days=1) if held and rng.random() < 0.5 else None,
            )
            if rng.random() < 0.6:
                Feedback.objects.create(
                    registration=registration,
                    content_score=rng.randint(1, 5),
                    trainer_score=rng.randint(1, 5),
                    organisation_score=rng.randint(1, 5),
                    most_useful=rng.choice(["", "Практика"]),
                    comments=rng.choice(["", "Рахмат"]),
                    submitted_at=session.ends_at,
                    updated_at=session.ends_at,
                )
    return courses, projects


def random_filters(rng, courses, projects, trainer_pool):
    regions = list(Region.objects.values_list("pk", flat=True))
    districts = list(Municipality.objects.order_by("pk")[:12].values_list("district_id", flat=True))
    start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 500))
    options = {
        "date_from": lambda: start,
        "date_to": lambda: start + timedelta(days=rng.randint(0, 400)),
        "region_id": lambda: rng.choice(regions),
        "district_id": lambda: rng.choice(districts),
        "course_key": lambda: rng.choice(courses).translation_key,
        "funding_project_id": lambda: rng.choice(projects).pk,
        "trainer_id": lambda: rng.choice(trainer_pool).pk,
        "scope_trainer_id": lambda: rng.choice(trainer_pool).pk,
    }
    chosen = rng.sample(sorted(options), rng.randint(0, 3))
    return ReportFilters(**{name: options[name]() for name in chosen})


# --- the rows, loaded plainly ----------------------------------------------------------------------


@dataclass
class Row:
    """One registration with everything about it, from plain queries."""

    pk: int
    user_id: int
    status: str
    attendance: int | None
    completed: bool
    session: dict
    profile: dict | None
    answer: dict | None = None


@dataclass
class Data:
    rows: list
    sessions: dict
    trainers: dict = field(default_factory=dict)  # session id -> trainer ids


def load():
    places = {
        place["pk"]: place
        for place in Municipality.objects.values(
            "pk", "district_id", "district__region_id", "name_ky", "name_ru", "name_en", "district__name_en"
        )
    }
    profiles = {profile["user_id"]: profile for profile in Profile.objects.values()}
    for profile in profiles.values():
        profile["place"] = places.get(profile["municipality_id"])
    sessions = {
        session["pk"]: session
        for session in Session.objects.values(
            "pk", "title", "status", "starts_at", "ends_at", "funding_project_id", "course__translation_key"
        )
    }
    hours = dict(Session.objects.values_list("pk", "course__hours"))
    links = defaultdict(set)
    for session_id, user_id in Session.trainers.through.objects.values_list("session_id", "user_id"):
        links[session_id].add(user_id)
    for session in sessions.values():
        session["hours"] = hours[session["pk"]]
        session["trainers"] = links[session["pk"]]
        session["day"] = timezone.localtime(session["starts_at"]).date()
    answers = {answer["registration_id"]: answer for answer in Feedback.objects.values()}
    rows = [
        Row(
            pk=registration["pk"],
            user_id=registration["user_id"],
            status=registration["status"],
            attendance=registration["attendance_percent"],
            completed=registration["completed_at"] is not None,
            session=sessions[registration["session_id"]],
            profile=profiles.get(registration["user_id"]),
            answer=answers.get(registration["pk"]),
        )
        for registration in Registration.objects.values(
            "pk", "user_id", "status", "attendance_percent", "completed_at", "session_id"
        )
    ]
    return Data(rows, sessions)


def session_allowed(session, filters):
    if session["status"] in EXCLUDED_SESSION_STATUSES:
        return False
    if filters.date_from and session["day"] < filters.date_from:
        return False
    if filters.date_to and session["day"] > filters.date_to:
        return False
    if filters.course_key and session["course__translation_key"] != filters.course_key:
        return False
    if filters.funding_project_id and session["funding_project_id"] != filters.funding_project_id:
        return False
    return all(trainer_id in session["trainers"] for trainer_id in filters.trainer_ids)


def place_allowed(row, filters):
    place = (row.profile or {}).get("place")
    if filters.region_id and (place is None or place["district__region_id"] != filters.region_id):
        return False
    return not (filters.district_id and (place is None or place["district_id"] != filters.district_id))


def participant_rows(data, filters):
    return [
        row
        for row in data.rows
        if row.status == "confirmed" and session_allowed(row.session, filters) and place_allowed(row, filters)
    ]


def reportable_sessions(data, filters, rows):
    chosen = [session for session in data.sessions.values() if session_allowed(session, filters)]
    if filters.by_place:
        reached = {row.session["pk"] for row in rows}
        chosen = [session for session in chosen if session["pk"] in reached]
    return chosen


def gender(row):
    return (row.profile or {}).get("gender") or ""


def average(values, digits=2):
    values = list(values)
    return rounded(sum(values) / len(values), digits) if values else None


# --- the figures, row by row -----------------------------------------------------------------------


def people_of(rows, condition=lambda row: True):
    return len({row.user_id for row in rows if condition(row)})


def expected_people(rows):
    def youth(row):
        born = (row.profile or {}).get("year_of_birth")
        return born is not None and row.session["day"].year - born < YOUTH_AGE_LIMIT

    women = people_of(rows, lambda row: gender(row) == "female")
    men = people_of(rows, lambda row: gender(row) == "male")
    return {
        "people": people_of(rows),
        "registrations": len(rows),
        "women": women,
        "men": men,
        "gender_not_given": people_of(rows, lambda row: gender(row) == ""),
        "women_share": percent(women, women + men),
        "with_disability": people_of(rows, lambda row: bool((row.profile or {}).get("has_disability"))),
        "youth": people_of(rows, youth),
        "age_not_given": people_of(rows, lambda row: (row.profile or {}).get("year_of_birth") is None),
    }


def expected_groups(rows, key, label):
    groups = defaultdict(list)
    for row in rows:
        groups[((row.profile or {}).get(key) or "").strip()].append(row)
    result = []
    for value, members in groups.items():
        women = people_of(members, lambda row: gender(row) == "female")
        men = people_of(members, lambda row: gender(row) == "male")
        result.append(
            {
                label[0]: label[1](value),
                "people": people_of(members),
                "registrations": len(members),
                "women": women,
                "women_share": percent(women, women + men),
            }
        )
    return result


def expected_reach(rows):
    placed = [row for row in rows if (row.profile or {}).get("place")]
    regions = defaultdict(list)
    districts = defaultdict(list)
    municipalities = defaultdict(list)
    for row in placed:
        place = row.profile["place"]
        regions[place["district__region_id"]].append(row)
        districts[place["district_id"]].append(row)
        municipalities[place["pk"]].append(row)
    figures = {
        "municipalities": len(municipalities),
        "districts": len(districts),
        "regions": len(regions),
        "people_without_place": people_of(rows, lambda row: not (row.profile or {}).get("place")),
    }
    region_rows = []
    for region in Region.objects.order_by("kind", "name_en").values("pk", "code", "name_ky", "name_ru", "name_en"):
        members = regions.get(region["pk"], [])
        women = people_of(members, lambda row: gender(row) == "female")
        men = people_of(members, lambda row: gender(row) == "male")
        region_rows.append(
            {
                "region_id": region["pk"],
                "code": region["code"],
                "region": translated_name(region, ""),
                "people": people_of(members),
                "registrations": len(members),
                "women_share": percent(women, women + men),
                "districts": len({row.profile["place"]["district_id"] for row in members}),
                "municipalities": len({row.profile["place"]["pk"] for row in members}),
            }
        )
    district_rows = [
        (district_id, len({row.profile["place"]["pk"] for row in members}), people_of(members))
        for district_id, members in districts.items()
    ]
    municipality_rows = [
        (translated_name(members[0].profile["place"], ""), people_of(members), len(members))
        for members in municipalities.values()
    ]
    return figures, region_rows, district_rows, municipality_rows


def expected_delivery(rows, chosen, now):
    held_sessions = [session for session in chosen if session["ends_at"] <= now]
    held = [row for row in rows if row.session["ends_at"] <= now]
    attended = [row for row in held if row.attendance is not None]
    figures = {
        "held": len(held_sessions),
        "upcoming": len(chosen) - len(held_sessions),
        "academic_hours": sum(session["hours"] for session in held_sessions),
        "participant_hours": sum(row.session["hours"] for row in held),
        "attended_hours": rounded(sum(row.session["hours"] * row.attendance for row in attended) / 100, 1),
        "attendance_rate": average((row.attendance for row in attended), 1),
        "completion_rate": percent(sum(row.completed for row in held), len(held)),
    }
    months = defaultdict(lambda: {"sessions": [], "rows": []})
    for session in chosen:
        months[f"{session['day']:%Y-%m}"]["sessions"].append(session)
    for row in rows:
        months[f"{row.session['day']:%Y-%m}"]["rows"].append(row)
    month_rows = [
        {
            "month": month,
            "sessions": len(group["sessions"]),
            "academic_hours": sum(session["hours"] for session in group["sessions"]),
            "people": people_of(group["rows"]),
            "registrations": len(group["rows"]),
            "completed": sum(row.completed for row in group["rows"]),
        }
        for month, group in sorted(months.items())
    ]
    titles = course_titles()
    courses = defaultdict(lambda: {"sessions": [], "rows": []})
    for session in chosen:
        courses[session["course__translation_key"]]["sessions"].append(session)
    for row in rows:
        courses[row.session["course__translation_key"]]["rows"].append(row)
    course_rows = []
    for key, group in courses.items():
        course_held = [row for row in group["rows"] if row.session["ends_at"] <= now]
        course_rows.append(
            {
                "course": titles.get(key, str(key)),
                "sessions": len(group["sessions"]),
                "held": sum(session["ends_at"] <= now for session in group["sessions"]),
                "academic_hours": sum(session["hours"] for session in group["sessions"] if session["ends_at"] <= now),
                "people": people_of(group["rows"]),
                "registrations": len(group["rows"]),
                "attendance_rate": average((row.attendance for row in course_held if row.attendance is not None), 1),
                "completion_rate": percent(sum(row.completed for row in course_held), len(course_held)),
            }
        )
    return figures, month_rows, course_rows


def scores(answered):
    return {
        "answers": len(answered),
        "content": average(row.answer["content_score"] for row in answered),
        "trainer": average(row.answer["trainer_score"] for row in answered),
        "organisation": average(row.answer["organisation_score"] for row in answered),
    }


def trainer_names():
    from academy.models import User

    return {
        user["pk"]: person_name(user["profile__full_name"], user["first_name"], user["last_name"], user["pk"])
        for user in User.objects.values("pk", "profile__full_name", "first_name", "last_name")
    }


def expected_trainers(rows, chosen, now, filters):
    names = trainer_names()
    wanted = filters.trainer_ids
    result = []
    trainer_ids = {trainer for session in chosen for trainer in session["trainers"]}
    for trainer_id in trainer_ids:
        if wanted and trainer_id not in wanted:
            continue
        theirs = [row for row in rows if trainer_id in row.session["trainers"]]
        their_sessions = [session for session in chosen if trainer_id in session["trainers"]]
        answered = scores([row for row in theirs if row.answer])
        result.append(
            {
                "trainer_id": trainer_id,
                "trainer": names[trainer_id],
                "sessions": len(their_sessions),
                "held": sum(session["ends_at"] <= now for session in their_sessions),
                "people": people_of(theirs),
                "registrations": len(theirs),
                "completed": sum(row.completed for row in theirs),
                "answers": answered["answers"],
                "content": answered["content"],
                "trainer_score": answered["trainer"],
                "organisation": answered["organisation"],
            }
        )
    return result


def expected_feedback(rows, now, filters):
    answered = [row for row in rows if row.answer]
    held = [row for row in rows if row.session["ends_at"] <= now]
    figures = {**scores(answered), "response_rate": percent(len(answered), len(held))}
    distribution = {
        score: {
            field: sum(row.answer[field] == score for row in answered)
            for field in ("content_score", "trainer_score", "organisation_score")
        }
        for score in range(1, 6)
    }
    titles = course_titles()
    by_session = defaultdict(list)
    by_course = defaultdict(list)
    by_trainer = defaultdict(list)
    for row in answered:
        by_session[row.session["pk"]].append(row)
        by_course[row.session["course__translation_key"]].append(row)
        for trainer_id in row.session["trainers"]:
            if not filters.trainer_ids or trainer_id in filters.trainer_ids:
                by_trainer[trainer_id].append(row)
    session_rows = sorted(
        (
            {
                "session": session_label(
                    members[0].session["title"],
                    titles.get(members[0].session["course__translation_key"]),
                    members[0].session["starts_at"],
                ),
                **scores(members),
            }
            for members in by_session.values()
        ),
        key=repr,
    )
    course_rows = [
        {"course": titles.get(key, ""), "sessions": len({row.session["pk"] for row in members}), **scores(members)}
        for key, members in by_course.items()
    ]
    names = trainer_names()
    trainer_rows = [{"name": names[trainer_id], **scores(members)} for trainer_id, members in by_trainer.items()]
    comments = sum(1 for row in answered if row.answer["most_useful"] or row.answer["comments"])
    return figures, distribution, session_rows, course_rows, trainer_rows, comments


# --- the comparison --------------------------------------------------------------------------------


def same_rows(actual, expected, keys=None):
    def pick(row):
        return repr(sorted((key, value) for key, value in row.items() if keys is None or key in keys))

    assert sorted(map(pick, actual)) == sorted(map(pick, expected))


def figures_of(report):
    return {figure.key: figure.value for figure in report.figures}


def check_all(data, filters, now):
    rows = participant_rows(data, filters)
    chosen = reportable_sessions(data, filters, rows)
    people = expected_people(rows)

    report = participants.report(filters)
    assert {key: figures_of(report)[key] for key in people} == people
    kinds = organisation_kind_labels()
    same_rows(report.table("organisation_kind").rows, expected_groups(rows, "organization_kind", ("kind", kinds.get)))
    same_rows(
        report.table("position").rows,
        expected_groups(rows, "position", ("position", lambda value: value or "Not given")),
    )
    genders = {row["gender"]: row["people"] for row in report.table("gender").rows}
    assert list(genders.values()) == [people["women"], people["men"], people["gender_not_given"]]

    place_figures, region_rows, district_rows, municipality_rows = expected_reach(rows)
    report = reach.report(filters)
    assert figures_of(report) == place_figures
    same_rows(report.table("regions").rows, region_rows)
    assert sorted((row["municipalities"], row["people"]) for row in report.table("districts").rows) == sorted(
        (count, persons) for _district, count, persons in district_rows
    )
    assert sorted(
        (row["municipality"], row["people"], row["registrations"]) for row in report.table("municipalities").rows
    ) == sorted(municipality_rows)

    delivered, month_rows, course_rows = expected_delivery(rows, chosen, now)
    report = delivery.report(filters, now)
    assert {key: figures_of(report)[key] for key in delivered} == delivered
    assert report.table("months").rows == month_rows
    same_rows(report.table("courses").rows, course_rows)

    report = trainers.report(filters, now)
    same_rows(report.table("trainers").rows, expected_trainers(rows, chosen, now, filters))

    opinions, distribution, session_rows, fb_course_rows, trainer_rows, comments = expected_feedback(rows, now, filters)
    report = feedback_report.report(filters, now)
    assert {key: figures_of(report)[key] for key in opinions} == opinions
    assert {row["score"]: {key: row[key] for key in distribution[1]} for row in report.table("distribution").rows} == (
        distribution
    )
    same_rows(report.table("sessions").rows, session_rows, keys={"session", "answers", "content", "trainer"})
    same_rows(report.table("courses").rows, fb_course_rows)
    same_rows(report.table("trainers").rows, trainer_rows)
    assert len(report.table("comments").rows) == comments == len(list(report.table("comments").rows))

    headline = summary.headline(filters, now)
    held = [row for row in rows if row.session["ends_at"] <= now]
    answered = scores([row for row in rows if row.answer])
    expected_headline = {
        **people,
        "municipalities": place_figures["municipalities"],
        "districts": place_figures["districts"],
        "regions": place_figures["regions"],
        "sessions_held": delivered["held"],
        "sessions_ahead": delivered["upcoming"],
        "academic_hours": delivered["academic_hours"],
        "participant_hours": delivered["participant_hours"],
        "attendance_rate": delivered["attendance_rate"],
        "completion_rate": delivered["completion_rate"],
        "feedback_answers": answered["answers"],
        "feedback_response_rate": percent(answered["answers"], len(held)),
        "score_content": answered["content"],
        "score_trainer": answered["trainer"],
        "score_organisation": answered["organisation"],
    }
    assert {key: headline[key] for key in expected_headline} == expected_headline
    assert [(row["code"], row["people"], row["municipalities"]) for row in headline["by_region"]] == [
        (row["code"], row["people"], row["municipalities"]) for row in region_rows
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_equals_the_row_by_row_count(seed, clock, course, course_index):
    rng = random.Random(seed)
    trainer_pool = [factories.trainer(), factories.trainer(), factories.trainer()]
    courses, projects = build(rng, course, course_index, trainer_pool)
    data = load()
    now = timezone.now()
    with translation.override("en"):
        choices = [random_filters(rng, courses, projects, trainer_pool) for _ in range(FILTERS_PER_SEED)]
        # Where a participant comes from, always: those filters take other paths (no rollups; one
        # GROUPING SETS pass on PostgreSQL, reports/services/place_sums.py).
        home = Profile.objects.filter(municipality__isnull=False).order_by("pk").values(
            "municipality__district_id", "municipality__district__region_id"
        )[0]
        places = [
            ReportFilters(region_id=home["municipality__district__region_id"]),
            ReportFilters(district_id=home["municipality__district_id"], date_from=date(2025, 6, 1)),
        ]
        for filters in [ReportFilters(), *places, *choices]:
            try:
                check_all(data, filters, now)
            except AssertionError as error:
                raise AssertionError(f"seed {seed}, {filters}: {error}") from error


def change(rng, courses, trainer_pool):
    """What happens to the rows between two readings of a report, through the services that do it:
    a participant cancels, somebody new registers, a participant of a held session completes; and
    bulk writes that bypass them."""
    from courses.services import completion, registration

    admin = factories.academy_admin()
    confirmed = list(
        Registration.objects.filter(status="confirmed").exclude(session__status__in=EXCLUDED_SESSION_STATUSES)
    )
    registration.cancel(rng.choice(confirmed), actor=admin, reason="Ооруп калды")
    session = make_session(
        rng.choice(courses),
        starts_at=timezone.now() + timedelta(days=rng.randint(3, 30)),
        status="open",
        trainers=rng.sample(trainer_pool, 1),
        capacity=30,
    )
    newcomer = factories.participant(profile__gender=rng.choice(["female", "male"]), profile__year_of_birth=1999)
    registration.enrol(session, newcomer, actor=admin, trusted=True, notify=False)
    held = [
        row
        for row in Registration.objects.filter(status="confirmed", completed_at__isnull=True)
        .exclude(session__status__in=EXCLUDED_SESSION_STATUSES)
        .select_related("session")
        if row.session.ends_at <= timezone.now()
    ]
    if held:
        completion.override_completion(rng.choice(held), completed=True, reason="Тренер ырастады", by=admin)
    # Writes that bypass the services (the rollups' triggers must see them too): statuses and
    # attendance changed in bulk, a session cancelled and another one moved in time.
    some = rng.sample(list(Registration.objects.values_list("pk", flat=True)), 4)
    Registration.objects.filter(pk__in=some[:2]).update(status="confirmed")
    Registration.objects.filter(pk__in=some[2:]).update(status="cancelled", attendance_percent=80)
    reportable = list(Session.objects.exclude(status__in=EXCLUDED_SESSION_STATUSES).values_list("pk", flat=True))
    Session.objects.filter(pk=rng.choice(reportable)).update(status="cancelled")
    moved = Session.objects.get(pk=rng.choice(reportable))
    Session.objects.filter(pk=moved.pk).update(
        starts_at=moved.starts_at - timedelta(days=45), ends_at=moved.ends_at - timedelta(days=45)
    )


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_figures_still_equal_the_rows_after_cancel_register_and_complete(seed, clock, course, course_index):
    rng = random.Random(seed + 100)
    trainer_pool = [factories.trainer(), factories.trainer(), factories.trainer()]
    courses, projects = build(rng, course, course_index, trainer_pool)
    now = timezone.now()
    with translation.override("en"):
        choices = [ReportFilters(), *(random_filters(rng, courses, projects, trainer_pool) for _ in range(3))]
        for round_number in range(3):
            data = load()
            for filters in choices:
                try:
                    check_all(data, filters, now)
                except AssertionError as error:
                    raise AssertionError(f"seed {seed}, round {round_number}, {filters}: {error}") from error
            change(rng, courses, trainer_pool)
