"""A demo session happening today with a full hall, to try the roll call and check-in (idempotent).

Two days in Batken: today 9:00 to tomorrow 17:00 (the command's `now`, local time), 40 seats, all
taken by confirmed participants (the demo participants plus a few hall guests with phone accounts),
led by the first demo trainer. Found again by course and title, people by their phone, so a
second run creates nothing. People are enrolled by the trainer (as on the day), without e-mails.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from academy.data.demo.catalogue import COURSES
from academy.models import Municipality, Profile, User
from academy.roles import PARTICIPANTS as PARTICIPANTS_GROUP
from courses.models import (
    AgendaItem,
    CoursePage,
    Registration,
    RegistrationSource,
    Session,
    SessionFormat,
    SessionStatus,
)
from courses.services import catalogue
from courses.services import registration as service

ORDER = 48  # after attendance (45) and materials (47): their "past" and "upcoming" sessions stay as they were
TITLE = "Баткен шаары: бүгүнкү окуу (толук зал)"
CAPACITY = 40

#: Hall guests (real Kyrgyz names, fictitious phones) so the hall holds 40 even before reports' people exist.
GUESTS = [
    ("Айгерим Ташбаева", "Aigerim Tashbaeva", "female", "+996770100201"),
    ("Бакыт Жумабеков", "Bakyt Zhumabekov", "male", "+996770100202"),
    ("Гүлнара Осмонова", "Gulnara Osmonova", "female", "+996770100203"),
    ("Эрмек Абдыкадыров", "Ermek Abdykadyrov", "male", "+996770100204"),
    ("Жылдыз Сатыбалдиева", "Zhyldyz Satybaldieva", "female", "+996770100205"),
    ("Нурлан Токтосунов", "Nurlan Toktosunov", "male", "+996770100206"),
    ("Чолпон Мамытова", "Cholpon Mamytova", "female", "+996770100207"),
    ("Азамат Кадыров", "Azamat Kadyrov", "male", "+996770100208"),
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


def _guests(now):
    group = Group.objects.get_or_create(name=PARTICIPANTS_GROUP)[0]
    municipality = Municipality.objects.filter(code="batken_city").first() or Municipality.objects.first()
    people = []
    for name, latin, gender, phone in GUESTS:
        user = User.objects.filter(profile__phone=phone).first()
        if user is None:
            user = User.objects.create_user(email=None, password=None)
            Profile.objects.create(
                user=user,
                full_name=name,
                full_name_latin=latin,
                gender=gender,
                phone=phone,
                municipality=municipality,
                preferred_language="ky",
                consent_given_at=now,
                consent_version="2026-01",
            )
        user.groups.add(group)
        people.append(user)
    return people


def _session(course, trainers, venue, today):
    session = Session.objects.filter(course=course, title=TITLE).first()
    if session is not None:
        return session
    starts_at, ends_at = _at(today, 9), _at(today + timedelta(days=1), 17)
    session = Session(
        course=course,
        title=TITLE,
        starts_at=starts_at,
        ends_at=ends_at,
        format=SessionFormat.IN_PERSON,
        venue=venue,
        capacity=CAPACITY,
        language="ky",
        registration_closes_at=starts_at - timedelta(days=2),
        status=SessionStatus.OPEN,
    )
    slots = [(time(9), time(12, 30)), (time(13, 30), time(17))]
    outcomes = COURSES[0]["outcomes_ky"]
    agenda = [
        AgendaItem(
            day=today + timedelta(days=offset),
            starts_at=starts,
            ends_at=ends,
            title=outcomes[(2 * offset + slot) % len(outcomes)][:255],
            trainer=trainers[(2 * offset + slot) % len(trainers)],
        )
        for offset in range(2)
        for slot, (starts, ends) in enumerate(slots)
    ]
    return catalogue.save_session(session, user=None, trainers=trainers, agenda=agenda)


def seed(context):
    now = context["now"]
    course = (context.get("courses") or {}).get(COURSES[0]["slug"]) or CoursePage.objects.filter(
        slug=COURSES[0]["slug"], locale__language_code="ky"
    ).first()
    trainers = list(context.get("trainers") or [])[:2]
    if course is None or not trainers:
        return "no course or trainers"
    venue = (context.get("venues") or {}).get("Баткен шаарындагы окуу залы")
    session = _session(course, trainers, venue, timezone.localtime(now).date())
    people = [*(context.get("participants") or []), *_guests(now)]
    taken = set(Registration.objects.filter(session=session).values_list("user_id", flat=True))
    for person in people:
        if len(taken) >= CAPACITY:
            break
        if person.pk in taken:
            continue
        service.enrol(
            session, person, actor=trainers[0], trusted=True, source=RegistrationSource.ADMIN, notify=False, now=now
        )
        taken.add(person.pk)
    confirmed = session.registrations.filter(status="confirmed").count()
    context["today_session"] = session
    return f"session {session.pk} today with {confirmed} confirmed of {session.capacity}"
