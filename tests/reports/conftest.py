"""A small hand-counted academy for the report tests.

Clock: 2026-12-01 10:00 Asia/Bishkek. Sessions (courses: `course` 16 h, `course2` 8 h):

* S1 `course`, 10–11 Mar 2026, completed, trainer T, project P1
* S2 `course2`, 5–6 May 2026, closed, trainer OT, project P2
* S3 `course`, 20–21 Dec 2026 (ahead), open, trainer T, project P1
* draft and cancelled sessions with confirmed registrations (never counted)

People (gender, birth year, municipality → oblast, organisation kind):

* A female 1995 Kyshtut/Batken ayil_okmotu: S1 confirmed completed 100 %, S2 confirmed 50 %
* B male 1980 At-Bashy/Naryn local_council, disability: S1 confirmed completed 90 %
* C no gender, no birth year, no municipality: S1 confirmed, attendance not recorded
* D female 1990 Alamudun/Chui city_hall: S2 confirmed completed 100 %
* E female: S1 cancelled, S2 pending, S3 waitlisted (never counted)
* F male 2000 Kyshtut/Batken ngo: S3 confirmed
* G female: confirmed in the draft and the cancelled session (never counted)

Feedback: A-S1 (5, 4, 3), B-S1 (4, 5, 4), D-S2 (2, 3, 5); a stray answer on E's cancelled
registration must never count.
"""

from datetime import timedelta

import pytest
from django.conf import settings

from academy.models import Region
from courses.models import Registration
from reports.models import Feedback
from tests import factories


def make_session(course, **kwargs):
    """factories.make_session, with the trainers saved (modelcluster keeps `trainers.set()` in memory until save)."""
    session = factories.make_session(course, **kwargs)
    if kwargs.get("trainers"):
        session.save()
    return session


def person(
    *,
    gender="female",
    year=1985,
    municipality=None,
    kind="ayil_okmotu",
    position="Адис",
    disability=False,
    group="participant",
):
    make = {"participant": factories.participant, "trainer": factories.trainer}[group]
    return make(
        profile__gender=gender,
        profile__year_of_birth=year,
        profile__municipality=factories.municipality(municipality) if municipality else None,
        profile__organization_kind=kind,
        profile__position=position,
        profile__has_disability=disability,
    )


def register(session, user, status="confirmed", *, completed=False, attendance=None):
    return Registration.objects.create(
        session=session,
        user=user,
        status=status,
        completed_at=session.ends_at + timedelta(days=1) if completed else None,
        attendance_percent=attendance,
    )


def answer(registration, content, trainer, organisation, most_useful="", comments="", when=None):
    when = when or registration.session.ends_at
    return Feedback.objects.create(
        registration=registration,
        content_score=content,
        trainer_score=trainer,
        organisation_score=organisation,
        most_useful=most_useful,
        comments=comments,
        submitted_at=when,
        updated_at=when,
    )


def move_first_confirmed(field, choices):
    """Move the first confirmed registration (QuerySet.update, no signal) to the first of `choices` — a person
    ("user") or a session ("session") — it may move to without a duplicate."""
    registration = Registration.objects.filter(status="confirmed").order_by("pk").first()
    taken = set(Registration.objects.filter(session=registration.session).values_list("user_id", flat=True))
    if field == "user":
        target = next(someone for someone in choices if someone.pk not in taken)
    else:
        mine = set(Registration.objects.filter(user=registration.user).values_list("session_id", flat=True))
        target = next(session for session in choices if session.pk not in mine)
    Registration.objects.filter(pk=registration.pk).update(**{field: target})


class World:
    pass


def check_after_each(steps, check):
    """Run `steps` one by one, `check()` after each; a failure names the step it followed."""
    for number, step in enumerate(steps):
        step()
        try:
            check()
        except AssertionError as error:
            raise AssertionError(f"after step {number}: {error}") from error


@pytest.fixture
def world(clock, course, course_index, trainer, other_trainer, admin_user):
    w = World()
    w.course, w.trainer, w.other_trainer, w.admin = course, trainer, other_trainer, admin_user
    w.course2 = factories.make_course(course_index, title="Жергиликтүү бюджет", hours=8)
    w.p1 = factories.FundingProjectFactory()
    w.p2 = factories.FundingProjectFactory()
    make = make_session
    bishkek = factories.bishkek
    w.s1 = make(course, starts_at=bishkek(2026, 3, 10), status="completed", trainers=[trainer], funding_project=w.p1)
    w.s2 = make(
        w.course2, starts_at=bishkek(2026, 5, 5), status="closed", trainers=[other_trainer], funding_project=w.p2
    )
    w.s3 = make(course, starts_at=bishkek(2026, 12, 20), status="open", trainers=[trainer], funding_project=w.p1)
    w.draft = make(course, starts_at=bishkek(2026, 4, 1), status="draft", trainers=[trainer], funding_project=w.p1)
    w.cancelled = make(
        course, starts_at=bishkek(2026, 4, 8), status="cancelled", trainers=[trainer], funding_project=w.p1
    )

    w.a = person(
        gender="female", year=1995, municipality="kyshtut", kind="ayil_okmotu", position="Айыл өкмөтүнүн адиси"
    )
    w.b = person(
        gender="male", year=1980, municipality="at_bashy", kind="local_council", position="Депутат", disability=True
    )
    w.c = person(gender="", year=None, municipality=None, kind="", position="")
    w.d = person(gender="female", year=1990, municipality="alamudun", kind="city_hall", position="Айыл өкмөтүнүн адиси")
    w.e = person(gender="female", year=1985, municipality="kyshtut")
    w.f = person(gender="male", year=2000, municipality="kyshtut", kind="ngo", position="Активист")
    w.g = person(gender="female", year=1985, municipality="alamudun")

    w.a1 = register(w.s1, w.a, completed=True, attendance=100)
    w.a2 = register(w.s2, w.a, attendance=50)
    w.b1 = register(w.s1, w.b, completed=True, attendance=90)
    w.c1 = register(w.s1, w.c)
    w.d2 = register(w.s2, w.d, completed=True, attendance=100)
    w.e1 = register(w.s1, w.e, "cancelled")
    register(w.s2, w.e, "pending")
    register(w.s3, w.e, "waitlisted")
    w.f3 = register(w.s3, w.f)
    register(w.draft, w.g)
    register(w.cancelled, w.g)

    answer(w.a1, 5, 4, 3, most_useful="Тарифтерди эсептөө", comments="Рахмат")
    answer(w.b1, 4, 5, 4)
    answer(w.d2, 2, 3, 5, comments='=HYPERLINK("http://evil")')
    answer(w.e1, 1, 1, 1, comments="never counted")

    w.batken = Region.objects.get(code="batken")
    w.naryn = Region.objects.get(code="naryn")
    return w


@pytest.fixture
def grow(world):
    """Add `n` held sessions with 3 participants and feedback each: the same report at a bigger size."""

    def _grow(n):
        for index in range(n):
            session = make_session(
                world.course2 if index % 2 else world.course,
                starts_at=factories.bishkek(2026, 1 + index % 10, 1 + index % 20),
                status="completed",
                trainers=[world.trainer, world.other_trainer][: 1 + index % 2],
                funding_project=world.p1,
            )
            for number in range(3):
                someone = person(
                    gender=("female", "male", "")[number],
                    year=1970 + index,
                    municipality=("kyshtut", "at_bashy", "alamudun", "belovodsk")[(index + number) % 4],
                    kind=("ayil_okmotu", "city_hall", "ngo")[number],
                    position=f"Position {index % 5}",
                )
                registration = register(session, someone, completed=number != 2, attendance=70 + number * 10)
                answer(registration, 1 + (index + number) % 5, 5, 4, comments=f"comment {index}-{number}")

    return _grow


@pytest.fixture
def base_url():
    return settings.WAGTAILADMIN_BASE_URL
