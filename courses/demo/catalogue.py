"""Demo catalogue: course pages in ky/ru/en, venues, trainer profiles and sessions (idempotent).

Courses come from academy/data/demo/catalogue.py; the Batken training of seed 001 is scheduled
twice (a past, completed run and an upcoming one) with its 11 agenda blocks. Other sessions run
in several oblasts, 1 to 9 weeks ahead or 6 weeks to 4 months back. Sessions are found again by
course and title, so a second run creates nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from academy.data.demo.catalogue import BATKEN_AGENDA, COURSES, VENUES
from academy.data.demo.people import TRAINERS
from academy.models import Municipality
from cms.services.site import translate_page
from courses.models import (
    AgendaItem,
    Audience,
    CourseIndexPage,
    CoursePage,
    DeliveryLanguage,
    RegistrationStatus,
    Session,
    SessionFormat,
    SessionStatus,
    Topic,
    TrainerProfile,
    Venue,
)
from courses.services import catalogue

ORDER = 30

INDEX = {
    "ky": ("Курстар", "Академиянын курстары: жергиликтүү өз алдынча башкаруунун кызматкерлери, депутаттар жана активисттер үчүн."),
    "ru": ("Курсы", "Курсы академии для служащих органов МСУ, депутатов местных кенешей и активистов."),
    "en": ("Courses", "The academy's courses for local government staff, local council deputies and activists."),
}
ASSIGNMENT_TITLE = {
    "ky": "Жыйынтыктоочу тапшырма",
    "ru": "Итоговое задание",
    "en": "Closing assignment",
}

#: Venues not in the seed data, so that sessions run in more oblasts.
EXTRA_VENUES = [
    {"name_ky": "Нарын шаарындагы окуу борбору", "municipality": "naryn_city", "address_ky": "Нарын ш., Ленин көчөсү, 21", "capacity": 35},
    {"name_ky": "Жалал-Абад шаарындагы конференц-зал", "municipality": "jalal_abad_city", "address_ky": "Жалал-Абад ш., Токтогул көчөсү, 15", "capacity": 50},
]

#: key, course index in COURSES, title, venue (name_ky or None), days from today, number of days,
#: status, capacity, trainer indexes in TRAINERS, funding project code, format, language.
SESSIONS = [
    ("batken_past", 0, "Баткен району, Кыштут айыл аймагы", "Кыштут айыл өкмөтүнүн жыйындар залы", -75, 2, "completed", 25, (0, 1), "msdsp_batken_sughd", "in_person", "ky"),
    ("budget_past", 1, "Бишкек шаары", "БАЖБАнын окуу борбору", -105, 2, "completed", 40, (3, 4), "usaid_successful_aimak_2", "in_person", "ru"),
    ("planning_past", 3, "Ош шаары", "Ош шаарындагы конференц-зал", -45, 3, "completed", 35, (2, 4), "usaid_successful_aimak_2", "in_person", "ky"),
    ("monitoring_past", 5, "Лейлек району, Сумбула айыл аймагы", "Сумбула айыл өкмөтүнүн жыйындар залы", -130, 1, "closed", 20, (2,), "msdsp_batken_sughd", "in_person", "ky"),
    ("budget_upcoming", 1, "Ош шаары", "Ош шаарындагы конференц-зал", 14, 2, "open", 40, (3,), "usaid_successful_aimak_2", "in_person", "ru"),
    ("batken_upcoming", 0, "Баткен шаары", "Баткен шаарындагы окуу залы", 21, 2, "open", 30, (0, 1), "msdsp_batken_sughd", "in_person", "ky"),
    ("tariffs_naryn_upcoming", 2, "Нарын шаары", "Нарын шаарындагы окуу борбору", 28, 1, "open", 30, (4,), "swiss_local_services", "in_person", "ky"),
    ("tariffs_upcoming", 2, "Лейлек району, Сумбула айыл аймагы", "Сумбула айыл өкмөтүнүн жыйындар залы", 35, 1, "open", 20, (0,), "swiss_local_services", "in_person", "ky"),
    ("planning_online_upcoming", 3, "Онлайн", None, 42, 1, "open", 50, (1, 4), "usaid_successful_aimak_2", "online", "ru"),
    ("monitoring_draft", 5, "Кыштут айыл аймагы (пландалууда)", "Кыштут айыл өкмөтүнүн жыйындар залы", 49, 2, "draft", 25, (2,), "msdsp_batken_sughd", "in_person", "ky"),
    ("women_deputies_upcoming", 4, "Бишкек шаары", "БАЖБАнын окуу борбору", 56, 3, "open", 30, (3,), "usaid_successful_aimak_2", "in_person", "ky"),
    ("planning_jalal_abad_upcoming", 3, "Жалал-Абад шаары", "Жалал-Абад шаарындагы конференц-зал", 63, 3, "open", 40, (2,), "usaid_successful_aimak_2", "in_person", "ky"),
]


def _outcomes_html(items):
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _course_index(homes):
    index = CourseIndexPage.objects.child_of(homes["ky"]).first()
    if index is None:
        index = CourseIndexPage(title=INDEX["ky"][0], slug="courses", intro=INDEX["ky"][1])
        homes["ky"].add_child(instance=index)
        index.save_revision().publish()
    for code in ("ru", "en"):
        translation = translate_page(index, code, title=INDEX[code][0], intro=INDEX[code][1])
        home = homes.get(code)
        if home is not None:
            # Translating the index added a child under this home in the database; publishing the stale
            # object would write its old numchild back (treebeard then sees a leaf and every child page 404s).
            home.refresh_from_db()
        if home is not None and not home.call_to_action_id:
            home.call_to_action = translation
            home.call_to_action_text = {"ru": "Выбрать курс", "en": "Find a course"}[code]
            home.save_revision().publish()
    homes["ky"].refresh_from_db()
    if not homes["ky"].call_to_action_id:
        homes["ky"].call_to_action = index
        homes["ky"].call_to_action_text = "Курс тандоо"
        homes["ky"].save_revision().publish()
    return index


def _course_fields(row, code):
    return {
        "title": row[f"title_{code}"],
        "summary": row[f"summary_{code}"],
        "learning_outcomes": _outcomes_html(row[f"outcomes_{code}"]),
        "assignment_title": ASSIGNMENT_TITLE[code] if row[f"assignment_{code}"] else "",
        "assignment_description": row[f"assignment_{code}"] or "",
    }


def _course(index, row, audiences, languages):
    course = CoursePage.objects.child_of(index).filter(slug=row["slug"]).first()
    if course is None:
        course = CoursePage(
            slug=row["slug"],
            hours=row["hours"],
            min_attendance_percent=row["min_attendance_percent"],
            requires_assignment=bool(row["assignment_ky"]),
            **_course_fields(row, "ky"),
        )
        course.audiences = [audiences[code] for code in row["audiences"] if code in audiences]
        course.languages = [languages[code] for code in row["languages"] if code in languages]
        # The demo data names topics in English; their codes in the reference list are those names slugified.
        course.topics = list(Topic.objects.filter(code__in=[slugify(name) for name in row["topics"]]))
        index.add_child(instance=course)
        course.save_revision().publish()
    for code in ("ru", "en"):
        translate_page(course, code, **_course_fields(row, code))
    return course


def _venues():
    municipalities = {municipality.code: municipality for municipality in Municipality.objects.all()}
    venues = {}
    for row in [*VENUES, *EXTRA_VENUES]:
        municipality = municipalities.get(row["municipality"])
        if municipality is None:
            continue
        venue = Venue.objects.filter(name=row["name_ky"]).first()
        if venue is None:
            venue = Venue.objects.create(
                name=row["name_ky"], municipality=municipality, address=row["address_ky"], capacity=row["capacity"]
            )
        venues[row["name_ky"]] = venue
    return venues


def _trainer_profiles(trainers):
    rows = {row["email"]: row for row in TRAINERS}
    profiles = []
    for user in trainers:
        row = rows.get(user.email)
        if row is None:
            continue
        profile, _created = TrainerProfile.objects.get_or_create(
            user=user,
            defaults={
                "bio_ky": row["bio_ky"],
                "bio_ru": row["bio_ru"],
                "bio_en": row["bio_en"],
                "topics": ", ".join(row["topics"]),
            },
        )
        profiles.append(profile)
    return profiles


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


def _agenda(course_row, first_day, days, session_format, trainers, language="ky"):
    if course_row is COURSES[0]:
        return [
            AgendaItem(
                day=first_day + timedelta(days=block["day"] - 1),
                starts_at=time.fromisoformat(block["start"]),
                ends_at=time.fromisoformat(block["end"]),
                title=block["title_ky"],
                description=block["description_ky"],
                trainer=trainers[position % len(trainers)],
            )
            for position, block in enumerate(BATKEN_AGENDA)
        ]
    online = session_format == SessionFormat.ONLINE
    slots = [(time(10), time(12, 30)), (time(13, 30), time(16))] if online else [(time(9), time(12, 30)), (time(13, 30), time(17))]
    outcomes = course_row.get(f"outcomes_{language}") or course_row["outcomes_ky"]  # the agenda speaks the session's language
    items = []
    for offset in range(days):
        for starts, ends in slots:
            title = outcomes[len(items) % len(outcomes)]
            items.append(
                AgendaItem(
                    day=first_day + timedelta(days=offset),
                    starts_at=starts,
                    ends_at=ends,
                    title=title[:255],
                    trainer=trainers[len(items) % len(trainers)],
                )
            )
    return items


def _session(spec, courses, venues, trainers, projects, today):
    key, course_index, title, venue_name, offset, days, status, capacity, trainer_ids, project, fmt, language = spec
    row = COURSES[course_index]
    course = courses[row["slug"]]
    existing = Session.objects.filter(course=course, title=title).first()
    if existing is not None:
        return existing
    chosen = [trainers[index] for index in trainer_ids if index < len(trainers)]
    first_day = today + timedelta(days=offset)
    online = fmt == SessionFormat.ONLINE
    starts_at = _at(first_day, 10 if online else 9)
    ends_at = _at(first_day + timedelta(days=days - 1), 16 if online else 18)
    session = Session(
        course=course,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        format=fmt,
        venue=venues.get(venue_name) if venue_name else None,
        online_url="https://meet.example.org/caalg-" + row["slug"] if online else "",
        capacity=capacity,
        language=language,
        registration_closes_at=starts_at - timedelta(days=2) if status == SessionStatus.OPEN else None,
        requires_approval=key == "women_deputies_upcoming",
        eligible_organization_kinds=["local_council", "ngo", "other"] if key == "women_deputies_upcoming" else [],
        funding_project=projects.get(project),
        status=status,
    )
    agenda = _agenda(row, first_day, days, fmt, chosen, language) if chosen else []
    return catalogue.save_session(session, user=None, trainers=chosen, agenda=agenda)


#: The demo practices (cms/data/practices.py) each course teaches from, by slug.
COURSE_PRACTICES = {
    "municipal-service-tariffs": ["suu-bashy-tariffs", "toguz-bulak-drinking-water", "alamudun-municipal-services"],
    "local-budget-public-hearings": ["jerge-tal-online-budget-hearings", "bishkek-city-and-citizens"],
    "women-deputies-school": ["kara-suu-women-deputies-school"],
    "social-accountability-municipal-services": [
        "alamudun-municipal-services",
        "chong-alai-clean-water",
        "kashka-suu-monitoring",
    ],
    "inclusive-development-planning": ["belovodsk-social-strategy", "sumbula-extra-class", "kyshtut-preschool-group"],
    "joint-monitoring-evaluation": ["kashka-suu-monitoring", "toktogul-canals-cooperation"],
}


def past_batken_session(context):
    """The past Batken training of seed 001, else the earliest past session with participants: the one the demo
    knowledge tests and action plans are built on."""
    sessions = context.get("sessions") or {}
    session = sessions.get("batken_past") if isinstance(sessions, dict) else None
    if session is None:
        session = (
            Session.objects.past(context["now"])
            .filter(registrations__status=RegistrationStatus.CONFIRMED)
            .order_by("starts_at", "pk")
            .first()
        )
    return session


def _link_practices(courses, practice_index):
    """Link each course to its practices once (a course that has links keeps them: editors may have changed them)."""
    from cms.models import PracticePage
    from courses.models.catalogue import CoursePracticeLink

    if practice_index is None:
        return 0
    pages = {page.slug: page for page in PracticePage.objects.child_of(practice_index)}
    linked = 0
    for slug, wanted in COURSE_PRACTICES.items():
        course = courses.get(slug)
        if course is None or CoursePracticeLink.objects.filter(course__translation_key=course.translation_key).exists():
            continue
        course = CoursePage.objects.get(pk=course.pk)
        course.practice_links = [
            CoursePracticeLink(practice=pages[name], sort_order=order)
            for order, name in enumerate(wanted)
            if name in pages
        ]
        course.save_revision().publish()
        linked += len(course.practice_links.all())
    return linked


def seed(context):
    homes = context["homes"]
    index = _course_index(homes)
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    languages = {language.code: language for language in DeliveryLanguage.objects.all()}
    courses = {row["slug"]: _course(index, row, audiences, languages) for row in COURSES}
    venues = _venues()
    trainers = list(context.get("trainers") or [])
    profiles = _trainer_profiles(trainers)
    projects = context.get("funding_projects") or {}
    today = timezone.localtime(context["now"]).date()
    sessions = {spec[0]: _session(spec, courses, venues, trainers, projects, today) for spec in SESSIONS}
    _link_practices(courses, context.get("practice_index"))
    context["course_index"] = index
    context["courses"] = courses
    context["venues"] = venues
    context["trainer_profiles"] = profiles
    context["sessions"] = sessions
    return f"{len(courses)} courses, {len(venues)} venues, {len(profiles)} trainer profiles, {len(sessions)} sessions"
