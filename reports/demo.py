"""Demo figures for the reports (idempotent).

1. People: the demo from academy/demo.py comes mostly from Batken. When there are fewer than
   `TARGET_PEOPLE` participants, add people from every oblast (about 45 % women) with the
   e-mail scheme ``reports-demo-NNN@example.org``, so a re-run finds them and creates nothing.
2. Past sessions: a few completed sessions of the demo courses in several oblasts, found again
   by their title, with confirmed registrations, attendance and completions.
3. Feedback: an answer for most confirmed registrations of every past demo session.
4. A survey of its own for the local budget course (found again by its title): the five standard
   questions, one choice and one text question more, and answers to them for the course's feedback.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group

from academy.data.demo.people import TRAINERS
from academy.data.places import DISTRICTS, MUNICIPALITIES
from academy.models import FundingProject, Municipality, OrganizationKind, Profile, User
from academy.roles import PARTICIPANTS as PARTICIPANTS_GROUP
from courses.models import CoursePage, Registration, RegistrationSource, RegistrationStatus, Session, SessionStatus
from reports import costs_demo, survey_demo
from reports.models import Feedback
from reports.services.base import EXCLUDED_SESSION_STATUSES

ORDER = 70
TARGET_PEOPLE = 90
EMAIL = "reports-demo-{:03d}@example.org"
PASSWORD = "!"  # unusable: these demo people never log in

FEMALE_NAMES = [
    "Айгүл",
    "Нургүл",
    "Гүлнара",
    "Жылдыз",
    "Айжан",
    "Бермет",
    "Чолпон",
    "Динара",
    "Асель",
    "Мээрим",
    "Нуриза",
    "Замира",
]
MALE_NAMES = [
    "Бакыт",
    "Нурлан",
    "Азамат",
    "Эрлан",
    "Талант",
    "Улан",
    "Кубан",
    "Марат",
    "Темир",
    "Бектур",
    "Жоомарт",
    "Садыр",
]
SURNAMES = [
    "Токтосун",
    "Абдырахман",
    "Исак",
    "Жумабай",
    "Осмон",
    "Мамыт",
    "Сыдык",
    "Турдубай",
    "Бекмурат",
    "Асан",
    "Кадыр",
]
POSITIONS = [
    ("Айыл өкмөтүнүн башчысы", OrganizationKind.AYIL_OKMOTU),
    ("Айыл өкмөтүнүн адиси", OrganizationKind.AYIL_OKMOTU),
    ("Финансы-экономикалык бөлүмдүн адиси", OrganizationKind.AYIL_OKMOTU),
    ("Жергиликтүү кеңештин депутаты", OrganizationKind.LOCAL_COUNCIL),
    ("Мэриянын адиси", OrganizationKind.CITY_HALL),
    ("Коомдук уюмдун жетекчиси", OrganizationKind.NGO),
]
#: Past demo sessions: (title, oblast the participants come from, months ago).
SESSIONS = [
    ("Нарын шаары: муниципалдык кызмат көрсөтүүлөр", "naryn", 14),
    ("Ош шаары: жергиликтүү бюджет", "osh", 11),
    ("Жалал-Абад: жарандардын катышуусу", "jalal_abad", 9),
    ("Каракол: социалдык жоопкерчилик", "issyk_kul", 7),
    ("Талас: биргелешкен аракеттердин планы", "talas", 5),
    ("Бишкек: жергиликтүү демилгелер", "chui", 3),
    ("Баткен: кызмат көрсөтүүлөргө жеткиликтүүлүк", "batken", 2),
]
PEOPLE_PER_SESSION = 16
MOST_USEFUL = [
    "Тарифтерди эсептөө боюнча практикалык иш",
    "Биргелешкен аракеттердин планын түзүү",
    "Башка айыл өкмөттөрүнүн тажрыйбасы",
    "Жамаат менен иштөөнүн ыкмалары",
    "",
]
COMMENTS = [
    "Рахмат, абдан пайдалуу болду.",
    "Тренинг узагыраак болсо жакшы болмок.",
    "Материалдарды орус тилинде да берсеңиздер.",
    "",
    "",
]


#: Two municipalities of Batken District get no demo people, so the qualification report's demo has a
#: district with places where no one trained in three years (reports/services/qualification).
KEPT_UNTRAINED = {"samarkandek", "ak_sai"}


def _municipalities_by_region():
    region_of_district = {row["code"]: row["region"] for row in DISTRICTS}
    by_region = {}
    for row in MUNICIPALITIES:
        if row["code"] in KEPT_UNTRAINED:
            continue
        by_region.setdefault(region_of_district[row["district"]], []).append(row["code"])
    return by_region


def _demo_people(now):
    """About 45 % women across every oblast; found again by e-mail on a re-run."""
    existing = Profile.objects.filter(user__groups__name=PARTICIPANTS_GROUP).count()
    wanted = max(0, TARGET_PEOPLE - existing)
    emails = [EMAIL.format(number) for number in range(1, wanted + 1)]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    municipalities = {m.code: m for m in Municipality.objects.all()}
    by_region = _municipalities_by_region()
    regions = sorted(by_region)
    group = Group.objects.get_or_create(name=PARTICIPANTS_GROUP)[0]
    created = []
    for number, email in enumerate(emails, start=1):
        if email in known:
            continue
        female = number % 20 < 9  # 9 in 20: 45 %
        names = FEMALE_NAMES if female else MALE_NAMES
        surname = SURNAMES[number % len(SURNAMES)] + ("ова" if female else "ов")
        region = regions[number % len(regions)]
        codes = by_region[region]
        position, kind = POSITIONS[number % len(POSITIONS)]
        user = User.objects.create_user(email=email)
        Profile.objects.create(
            user=user,
            full_name=f"{names[number % len(names)]} {surname}",
            gender="female" if female else ("male" if number % 17 else ""),
            year_of_birth=1960 + (number * 7) % 42,
            position=position,
            organization_kind=kind,
            municipality=municipalities.get(codes[number % len(codes)]),
            has_disability=number % 23 == 0,
            consent_given_at=now,
            consent_version="2026-01",
        )
        user.groups.add(group)
        created.append(user)
    return created


def _project_for(day):
    return FundingProject.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("ends_on").first()


def _demo_sessions(now):
    courses = list(CoursePage.objects.live().filter(locale__language_code="ky").order_by("path"))
    if not courses:
        return []
    trainers = list(User.objects.filter(email__in=[row["email"] for row in TRAINERS]).order_by("email"))
    sessions = []
    for index, (title, _region, months_ago) in enumerate(SESSIONS):
        session = Session.objects.filter(title=title).first()
        if session is None:
            course = courses[index % len(courses)]
            starts_at = (now - timedelta(days=30 * months_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
            session = Session.objects.create(
                course=course,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(days=1, hours=9),
                capacity=30,
                status=SessionStatus.COMPLETED,
                funding_project=_project_for(starts_at.date()),
            )
            if trainers:
                session.trainers.set([trainers[index % len(trainers)], trainers[(index + 2) % len(trainers)]])
        sessions.append(session)
    return sessions


def _register(sessions):
    """Fill each demo session with people from its oblast, topped up from the others in turn."""
    people = list(
        User.objects.filter(groups__name=PARTICIPANTS_GROUP)
        .select_related("profile__municipality__district__region")
        .order_by("email")
    )
    if not people:
        return 0
    regions = {title: region for title, region, _months in SESSIONS}
    created, turn = 0, 0
    for session in sessions:
        if session.registrations.exists():
            continue
        region = regions.get(session.title)
        local = [user for user in people if _region_code(user) == region][:PEOPLE_PER_SESSION]
        chosen = list(local)
        while len(chosen) < min(PEOPLE_PER_SESSION, len(people)):
            candidate = people[turn % len(people)]
            turn += 1
            if candidate not in chosen:
                chosen.append(candidate)
        rows = []
        for position, user in enumerate(chosen):
            attendance = 100 if position % 6 else 60
            rows.append(
                Registration(
                    session=session,
                    user=user,
                    status=RegistrationStatus.CONFIRMED if position % 13 else RegistrationStatus.CANCELLED,
                    source=RegistrationSource.IMPORT,
                    attendance_percent=attendance,
                    completed_at=session.ends_at if attendance >= 80 else None,
                )
            )
        Registration.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


def _region_code(user):
    profile = getattr(user, "profile", None)
    municipality = profile.municipality if profile else None
    return municipality.district.region.code if municipality else None


def _feedback(now):
    """Answers for about four in five confirmed registrations of past sessions that have none."""
    registrations = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED, session__ends_at__lt=now, feedback__isnull=True
        )
        .exclude(session__status__in=EXCLUDED_SESSION_STATUSES)
        .select_related("session", "user")
        .order_by("pk")
    )
    answers = []
    for registration in registrations:
        rng = random.Random(
            f"{registration.user.email}|{registration.session.title}|{registration.session.starts_at:%Y%m%d}"
        )
        if rng.random() < 0.2:
            continue  # not everybody answers
        submitted = min(now, registration.session.ends_at + timedelta(days=rng.randint(0, 3)))
        answers.append(
            Feedback(
                registration=registration,
                content_score=rng.choice([3, 4, 4, 5, 5, 5]),
                trainer_score=rng.choice([4, 4, 5, 5, 5]),
                organisation_score=rng.choice([2, 3, 4, 4, 5, 5]),
                most_useful=rng.choice(MOST_USEFUL),
                comments=rng.choice(COMMENTS),
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
    Feedback.objects.bulk_create(answers, ignore_conflicts=True)
    return len(answers)


def seed(context):
    now = context["now"]
    people = _demo_people(now)
    sessions = _demo_sessions(now)
    registrations = _register(sessions)
    answers = _feedback(now)
    survey_answers = survey_demo.seed()
    cost_lines = costs_demo.seed(context, sessions)
    return (
        f"{len(people)} new people, {len(sessions)} past report sessions, "
        f"{registrations} new registrations, {answers} new feedback answers, {survey_answers} new survey answers, {cost_lines} new budget lines"
    )
