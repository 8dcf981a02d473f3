"""A synthetic academy at the scale of ten years of work, for benchmarks and query-count checks.

The target (issue #8): several academies across Central Asia over ten years — about 100,000 people,
10,000 sessions, 300,000 registrations and 50,000 certificates. `ScaleGenerator` writes that in a few
minutes: course pages (a modest number) go through Wagtail's page tree API, everything else through
`bulk_create` in batches, with no per-row save and no signal.

The data is deterministic: the same seed, the same `today` and the same sizes give the same rows. It
is also consistent with the promises the product makes, so it can be measured without lying about
them: no session has more confirmed registrations than seats, one registration per person per
session, completion only for confirmed people of past sessions, certificates (when the certificates
app has its models) only for completed registrations, with unique codes and gap-free numbers.

Everything the generator owns is recognisable, so `purge()` can remove it again: people have e-mail
addresses at `SCALE_EMAIL_DOMAIN`, course pages have slugs starting with `SCALE_SLUG_PREFIX`, and
sessions belong to those courses. Venues, organisations and funding projects it needs are created
once (by name or code) and kept.
"""

import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.db.models import Q

from academy.models import FundingProject, Municipality, Organization, OrganizationKind, Profile, User
from academy.roles import PARTICIPANTS, TRAINERS
from courses.models import (
    AgendaItem,
    Attendance,
    Audience,
    CourseIndexPage,
    CoursePage,
    DeliveryLanguage,
    Material,
    Registration,
    Session,
    ShortLink,
    Topic,
    TrainerProfile,
    Venue,
)
from reports.rollups.bulk import paused as rollups_paused

SCALE_EMAIL_DOMAIN = "scale.example.org"
SCALE_SLUG_PREFIX = "scale-course-"
SCALE_PROJECT_PREFIX = "scale-project-"
SCALE_PASSWORD = "scale-Pass-2026"  # every generated person has it (hashed once), so benches can log in
BISHKEK = ZoneInfo("Asia/Bishkek")

# Short-link codes use the alphabet of courses.services.shortlinks (no look-alikes); generated codes
# are one character longer than the service's, so they never collide with codes it draws.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8


@dataclass(frozen=True)
class ScaleSizes:
    people: int = 100_000
    sessions: int = 10_000
    registrations: int = 300_000
    certificates: int = 50_000
    courses: int = 50
    attendance: bool = True

    def scaled(self, factor):
        return replace(
            self,
            people=max(50, int(self.people * factor)),
            sessions=max(10, int(self.sessions * factor)),
            registrations=max(100, int(self.registrations * factor)),
            certificates=int(self.certificates * factor),
            courses=max(5, min(self.courses, int(self.courses * factor * 4) or 5)),
        )

    def as_dict(self):
        return {field.name: getattr(self, field.name) for field in fields(self)}


TARGET = ScaleSizes()
PRESETS = {
    "target": TARGET,
    "medium": TARGET.scaled(0.2),
    "small": TARGET.scaled(0.05),
    "tiny": TARGET.scaled(0.005),
}

GIVEN_FEMALE = [
    "Айгүл", "Гүлнара", "Нургүл", "Бермет", "Айжан", "Чолпон", "Жылдыз", "Динара", "Асель", "Мээрим",
    "Назгүл", "Элнура", "Таалайгүл", "Бактыгүл", "Айнура", "Гүлзат", "Жаңыл", "Салтанат", "Актилек", "Замира",
]  # fmt: skip
GIVEN_MALE = [
    "Нурбек", "Азамат", "Бакыт", "Мирлан", "Султан", "Талант", "Эрлан", "Улан", "Жоомарт", "Кубанычбек",
    "Айбек", "Бекжан", "Эрмек", "Нурлан", "Медер", "Темир", "Данияр", "Руслан", "Чыңгыз", "Марат",
]  # fmt: skip
SURNAMES = [
    "Маматов", "Ташиев", "Токтосунов", "Абдыкадыров", "Осмонов", "Жумабаев", "Сыдыков", "Асанов",
    "Калыков", "Турдубаев", "Мамбетов", "Исаков", "Бакиров", "Орозбаев", "Садыков", "Эсенбеков",
    "Жээнбеков", "Кадыров", "Момунов", "Алиев", "Тагаев", "Шаршенов", "Усенов", "Бейшеналиев",
]  # fmt: skip
POSITIONS = [
    "Айыл өкмөтүнүн башчысы", "Финансы-экономикалык бөлүмдүн адиси", "Жергиликтүү кеңештин депутаты",
    "Айыл башчысы", "Социалдык иштер боюнча адис", "Жер тейлөөчү адис", "Башкы бухгалтер",
    "Мэриянын адиси", "Жаштар иштери боюнча адис", "Жамааттык уюмдун активисти",
]  # fmt: skip
TOPICS = [
    "municipal services", "local budget", "public hearings", "strategic planning", "tariffs",
    "social accountability", "citizen participation", "gender", "land management", "procurement",
]  # fmt: skip
ORG_KINDS = [
    (OrganizationKind.AYIL_OKMOTU, "айыл өкмөтү"),
    (OrganizationKind.LOCAL_COUNCIL, "айылдык кеңеши"),
    (OrganizationKind.CITY_HALL, "мэриясы"),
    (OrganizationKind.NGO, "коомдук бирикмеси"),
    (OrganizationKind.STATE_BODY, "райондук мамлекеттик администрациясы"),
]
AGENDA_BLOCKS = [
    ("Киришүү жана күтүүлөр", clock_time(9, 0), clock_time(10, 30)),
    ("Мыйзамдык негиздер", clock_time(10, 45), clock_time(12, 15)),
    ("Практикалык иш топтордо", clock_time(13, 30), clock_time(15, 0)),
    ("Жыйынтыктар жана баалоо", clock_time(15, 15), clock_time(16, 45)),
]


# Cumulative weights for the hot loops (random.choices rebuilds them on every call).
LANGUAGE_WEIGHTS = (("ky", 0.70), ("ru", 0.97), ("en", 1.0))
SOURCE_WEIGHTS = (("web", 0.60), ("import", 0.85), ("api", 0.90), ("admin", 1.0))
METHOD_WEIGHTS = (("roll_call", 0.50), ("qr", 0.85), ("paper", 1.0))


def pick(rng, cumulative):
    draw = rng.random()
    for value, bound in cumulative:
        if draw < bound:
            return value
    return cumulative[-1][0]


def scale_users():
    return User.objects.filter(email__endswith="@" + SCALE_EMAIL_DOMAIN)


def scale_courses():
    return CoursePage.objects.filter(slug__startswith=SCALE_SLUG_PREFIX)


def scale_sessions():
    return Session.objects.filter(course__slug__startswith=SCALE_SLUG_PREFIX)


def existing_counts():
    return {
        "people": scale_users().count(),
        "courses": scale_courses().count(),
        "sessions": scale_sessions().count(),
        "registrations": Registration.objects.filter(session__course__slug__startswith=SCALE_SLUG_PREFIX).count(),
    }


def certificate_model():
    """The certificates app's Certificate model, or None while it has none."""
    try:
        model = apps.get_model("certificates", "Certificate")
    except LookupError:
        return None
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return model if model._meta.db_table in tables else None


def taken_codes(model, codes, chunk=5000):
    """Which of `codes` the table already holds (queried in chunks: SQLite limits query parameters)."""
    codes, taken = sorted(codes), set()
    for start in range(0, len(codes), chunk):
        taken.update(model.objects.filter(code__in=codes[start : start + chunk]).values_list("code", flat=True))
    return taken


@contextmanager
def keep_timestamps(*model_classes):
    """Let bulk_create store the given created/updated times instead of "now" (auto_now / auto_now_add)."""
    saved = []
    for model_class in model_classes:
        for field in model_class._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _existing_tables():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _reverse_relations(model, tables):
    """Every relation pointing at `model` (hidden ones and m2m through tables included) whose table exists."""
    for field in model._meta.get_fields(include_hidden=True):
        relation = field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
        if relation and field.related_model._meta.db_table in tables:
            yield field


def purge(queryset, _depth=0, _tables=None):
    """Delete the rows of `queryset` and, first, every row that depends on them: one statement per table.

    The ORM's delete() loads every object it cascades to (300,000 registrations, more attendance rows);
    this walks the relations instead and deletes with subqueries. SET_NULL relations are set to NULL,
    everything else (CASCADE, PROTECT) is deleted: the scale set owns whatever points at it.
    """
    if _depth > 8:
        raise RuntimeError(f"Relations nest too deep at {queryset.model.__name__}")
    model = queryset.model
    tables = _tables if _tables is not None else _existing_tables()
    keys = queryset.values("pk")
    for relation in _reverse_relations(model, tables):
        if relation.on_delete is models.DO_NOTHING:
            continue
        related_model = relation.related_model
        dependents = related_model._base_manager.filter(**{f"{relation.field.name}__in": keys})
        if relation.on_delete is models.SET_NULL or (related_model is model and relation.field.null):
            dependents.update(**{relation.field.name: None})  # a nullable link to itself (e.g. "replaces") too
        elif related_model is model:
            raise RuntimeError(f"{model.__name__} refers to itself; purge it another way")
        else:
            purge(dependents, _depth + 1, tables)
    queryset._raw_delete(queryset.db)


def purge_scale_set(log=print):
    """Remove everything a previous run generated (people, courses, sessions and what hangs on them)."""
    started = time.monotonic()
    with transaction.atomic():
        model = certificate_model()
        if model is not None:  # certificates only SET_NULL their links: delete the scale set's explicitly
            purge(model.objects.filter(Q(session__in=scale_sessions()) | Q(user__in=scale_users())))
            _rewind_certificate_counters(model)
        purge(Session.objects.filter(course__slug__startswith=SCALE_SLUG_PREFIX))
        purge(Material.objects.filter(course__slug__startswith=SCALE_SLUG_PREFIX))
        purge(scale_users())
        for page in scale_courses().order_by("-depth", "-path"):
            page.delete()
    log(f"removed the previous scale set in {time.monotonic() - started:.1f} s")


def _rewind_certificate_counters(model):
    """Each year's counter back to the highest number still in use, so numbering stays without gaps."""
    from certificates.models import CertificateCounter

    highest = dict(model.objects.values_list("year").annotate(top=models.Max("sequence")).values_list("year", "top"))
    for counter in CertificateCounter.objects.select_for_update():
        counter.last_number = highest.get(counter.year, 0)
        counter.save(update_fields=["last_number"])


class ScaleGenerator:
    """Writes one scale set. `run()` returns {what: count}; `timings` holds the seconds per step."""

    def __init__(self, sizes=TARGET, *, seed=2026, today=None, batch_size=5000, log=print, offset=0):
        self.sizes = sizes
        self.seed = seed
        self.today = today or date.today()
        self.batch_size = batch_size
        self.log = log
        self.offset = offset  # --append: numbering continues after the existing set
        self.random = random.Random(f"{seed}:{offset}")
        self.timings = {}
        self.counts = Counter()

    # --- helpers -----------------------------------------------------------------------------------

    @contextmanager
    def step(self, name):
        started = time.monotonic()
        yield
        self.timings[name] = time.monotonic() - started
        self.log(f"  {name:<14} {self.counts.get(name, 0):>9,} rows  {self.timings[name]:6.1f} s")

    def bulk(self, model, rows, name=None):
        created = model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts[name or model._meta.model_name] += len(rows)
        return created

    def moment(self, day, hour=9, minute=0):
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BISHKEK)

    # --- the run ----------------------------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        # Rollup triggers off while 300,000 registrations go in by the 5,000 (each statement would recompute
        # every session of its people); the rollups are rebuilt once at the end.
        with (
            transaction.atomic(),
            rollups_paused(),
            keep_timestamps(User, Registration, Session, Attendance, Material, ShortLink),
        ):
            with self.step("reference"):
                self.reference_data()
            with self.step("people"):
                self.people()
            with self.step("courses"):
                self.courses()
            with self.step("sessions"):
                self.sessions()
            with self.step("registrations"):
                self.registrations()
            with self.step("materials"):
                self.materials()
            with self.step("certificates"):
                self.certificates()
        self.timings["total"] = time.monotonic() - started
        return dict(self.counts)

    # --- reference data: kept between runs ----------------------------------------------------------

    def reference_data(self):
        self.municipalities = list(Municipality.objects.select_related("district").order_by("code"))
        if not self.municipalities:
            raise RuntimeError("No municipalities: run `manage.py migrate` first (they ship as data migrations).")
        wanted = []
        for municipality in self.municipalities:
            for kind, label in ORG_KINDS:
                wanted.append(
                    Organization(name=f"{municipality.name_ky} {label}", kind=kind, municipality=municipality)
                )
        Organization.objects.bulk_create(wanted, batch_size=self.batch_size, ignore_conflicts=True)
        names = {organization.name for organization in wanted}
        self.organizations = list(Organization.objects.filter(name__in=names).order_by("name", "kind", "pk"))

        venue_names = {}
        for index, municipality in enumerate(self.municipalities):
            for number in (1, 2):
                venue_names[f"{municipality.name_ky}: окуу борбору {number}"] = (municipality, 30 + (index * 7) % 50)
        existing = set(Venue.objects.filter(name__in=venue_names).values_list("name", flat=True))
        Venue.objects.bulk_create(
            [
                Venue(name=name, municipality=municipality, capacity=capacity, address=f"{municipality.name_ky}")
                for name, (municipality, capacity) in venue_names.items()
                if name not in existing
            ],
            batch_size=self.batch_size,
        )
        self.venues = list(Venue.objects.filter(name__in=venue_names).order_by("name"))

        first_year = self.today.year - 10
        projects = [
            FundingProject(
                code=f"{SCALE_PROJECT_PREFIX}{year}",
                donor=self.random.choice(["SDC", "USAID", "GIZ", "UNDP", "MSDSP KG", "EU"]),
                name_ky=f"Жергиликтүү башкарууну колдоо {year}",
                name_ru=f"Поддержка местного управления {year}",
                name_en=f"Local governance support {year}",
                starts_on=date(year, 1, 1),
                ends_on=date(year + 2, 12, 31),
            )
            for year in range(first_year, self.today.year + 2)
        ]
        FundingProject.objects.bulk_create(projects, ignore_conflicts=True)
        self.projects = list(FundingProject.objects.filter(code__startswith=SCALE_PROJECT_PREFIX).order_by("code"))
        self.groups = {name: Group.objects.get_or_create(name=name)[0] for name in (PARTICIPANTS, TRAINERS)}
        self.audiences = list(Audience.objects.order_by("pk"))
        self.languages = list(DeliveryLanguage.objects.order_by("pk"))
        self.topics = list(Topic.objects.order_by("pk"))

    # --- people ------------------------------------------------------------------------------------

    def people(self):
        rng = self.random
        count = self.sizes.people
        trainers = max(5, count // 1000)
        password = make_password(SCALE_PASSWORD)
        first_day = self.moment(self.today - timedelta(days=3650))
        self.trainer_ids, self.participant_ids = [], []
        self.names = {}
        for start in range(0, count, self.batch_size):
            stop = min(count, start + self.batch_size)
            users, profiles = [], []
            for number in range(self.offset + start, self.offset + stop):
                female = rng.random() < 0.46
                given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
                surname = rng.choice(SURNAMES) + ("а" if female else "")
                organization = rng.choice(self.organizations)
                users.append(
                    User(
                        email=f"person{number:06d}@{SCALE_EMAIL_DOMAIN}",
                        password=password,
                        first_name=given,
                        last_name=surname,
                        date_joined=first_day + timedelta(minutes=rng.randrange(3650 * 24 * 60)),
                    )
                )
                profiles.append(
                    Profile(
                        full_name=f"{given} {surname}",
                        gender="female" if female else "male",
                        year_of_birth=rng.randint(1960, 2003),
                        position=rng.choice(POSITIONS),
                        organization=organization,
                        organization_kind=organization.kind,
                        municipality_id=organization.municipality_id,
                        phone=f"+9967{number % 100_000_000:08d}",
                        preferred_language=pick(rng, LANGUAGE_WEIGHTS),
                        has_disability=rng.random() < 0.03,
                        consent_given_at=first_day,
                        consent_version="2026-01",
                    )
                )
            users = self.bulk(User, users, "people")
            for user, profile in zip(users, profiles, strict=True):
                profile.user_id = user.pk
                self.names[user.pk] = profile.full_name
            self.bulk(Profile, profiles, "profiles")
            memberships = []
            for position, user in enumerate(users, start=start):
                is_trainer = position < trainers and self.offset == 0
                (self.trainer_ids if is_trainer else self.participant_ids).append(user.pk)
                group = self.groups[TRAINERS if is_trainer else PARTICIPANTS]
                memberships.append(User.groups.through(user_id=user.pk, group_id=group.pk))
            self.bulk(User.groups.through, memberships, "memberships")
        if not self.trainer_ids:  # --append: reuse the trainers of the first run
            self.trainer_ids = list(
                TrainerProfile.objects.filter(user__in=scale_users()).values_list("user_id", flat=True)
            )
        self.bulk(
            TrainerProfile,
            [
                TrainerProfile(user_id=pk, bio_ky="Тренер-консультант.", topics=", ".join(rng.sample(TOPICS, 3)))
                for pk in self.trainer_ids
                if self.offset == 0
            ],
            "trainers",
        )

    # --- courses: Wagtail pages, so through the page tree --------------------------------------------

    def course_index(self):
        index = CourseIndexPage.objects.filter(locale__language_code="ky").order_by("path").first()
        if index is not None:
            return index
        from cms.services.site import ensure_home_pages

        homes = ensure_home_pages({"ky": "Академия", "ru": "Академия", "en": "Academy"})
        index = CourseIndexPage(title="Курстар", slug="courses")
        homes["ky"].add_child(instance=index)
        index.save_revision().publish()
        return index

    def courses(self):
        from academy.data.demo.catalogue import COURSES

        rng = self.random
        index = self.course_index()
        existing = list(scale_courses().order_by("path"))
        pages = list(existing)
        for number in range(len(existing), max(len(existing), self.sizes.courses)):
            template = COURSES[number % len(COURSES)]
            page = CoursePage(
                title=f"{template['title_ky']} ({number + 1})",
                slug=f"{SCALE_SLUG_PREFIX}{number + 1:03d}",
                summary=template.get("summary_ky", ""),
                hours=rng.choice([8, 16, 18, 24, 36, 72]),
                min_attendance_percent=80,
                requires_assignment=rng.random() < 0.3,
            )
            if self.audiences:
                page.audiences = rng.sample(self.audiences, min(len(self.audiences), rng.randint(1, 3)))
            if self.languages:
                page.languages = rng.sample(self.languages, min(len(self.languages), rng.randint(1, 2)))
            if self.topics:
                page.topics = rng.sample(self.topics, min(len(self.topics), 2))
            index.add_child(instance=page)
            page.save_revision().publish()
            pages.append(page)
            self.counts["courses"] += 1
        self.course_pages = pages

    # --- sessions, their trainers and agenda ----------------------------------------------------------

    def sessions(self):
        rng = self.random
        count = self.sizes.sessions
        window_start = self.today - timedelta(days=3650 - 180)
        span_days = 3650
        now = self.moment(self.today, 12)
        rows = []
        for _number in range(count):
            course = rng.choice(self.course_pages)
            start_day = window_start + timedelta(days=rng.randrange(span_days))
            days = rng.choice([1, 2, 2, 2, 3])
            starts_at = self.moment(start_day, 9)
            ends_at = self.moment(start_day + timedelta(days=days - 1), 17)
            past = ends_at < now
            if past:
                status = "cancelled" if rng.random() < 0.04 else "completed"
            else:
                status = rng.choices(["open", "draft", "closed", "cancelled"], weights=[82, 8, 6, 4])[0]
            session_format = rng.choices(["in_person", "online", "hybrid"], weights=[80, 10, 10])[0]
            venue = rng.choice(self.venues) if session_format != "online" else None
            capacity = rng.randint(15, 40)
            if venue is not None:
                capacity = min(capacity, venue.capacity)
            project = rng.choice(self.projects) if rng.random() < 0.7 else None
            rows.append(
                Session(
                    course=course,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    format=session_format,
                    venue=venue,
                    online_url="https://meet.example.org/academy" if session_format != "in_person" else "",
                    capacity=capacity,
                    language=rng.choices(["ky", "ru", "en"], weights=[70, 25, 5])[0],
                    registration_opens_at=starts_at - timedelta(days=60),
                    registration_closes_at=starts_at - timedelta(days=1),
                    requires_approval=not past and rng.random() < 0.2,
                    eligible_organization_kinds=[],
                    funding_project=project,
                    status=status,
                    cancellation_reason="Катышуучулар жетишсиз." if status == "cancelled" else "",
                    created_at=starts_at - timedelta(days=75),
                    updated_at=starts_at - timedelta(days=75),
                )
            )
        self.session_list = self.bulk(Session, rows, "sessions")
        through = Session.trainers.through
        links, agenda = [], []
        for session in self.session_list:
            for trainer_id in rng.sample(self.trainer_ids, min(len(self.trainer_ids), rng.choice([1, 2, 2, 3]))):
                links.append(through(session_id=session.pk, user_id=trainer_id))
            trainer_id = rng.choice(self.trainer_ids)
            order = 0
            for day in self._days(session):
                for title, block_start, block_end in AGENDA_BLOCKS:
                    agenda.append(
                        AgendaItem(
                            session_id=session.pk,
                            day=day,
                            starts_at=block_start,
                            ends_at=block_end,
                            title=title,
                            trainer_id=trainer_id,
                            sort_order=order,
                        )
                    )
                    order += 1
            if len(agenda) >= self.batch_size * 4:
                self.bulk(AgendaItem, agenda, "agenda")
                agenda = []
        self.bulk(through, links, "session trainers")
        self.bulk(AgendaItem, agenda, "agenda")

    @staticmethod
    def _days(session):
        first, last = session.starts_at.date(), session.ends_at.date()
        return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]

    # --- registrations, attendance, completion ---------------------------------------------------------

    def _registrations_per_session(self):
        """How many people register for each session: about the capacity, summing to the requested total."""
        rng = self.random
        weights = []
        for session in self.session_list:
            weight = 0.0 if session.status == "draft" else session.capacity * rng.uniform(0.6, 1.4)
            weights.append(weight)
        total = sum(weights) or 1.0
        wanted = self.sizes.registrations
        people = len(self.participant_ids)
        counts = [min(people, int(weight * wanted / total)) for weight in weights]
        shortfall = wanted - sum(counts)
        eligible = [position for position, weight in enumerate(weights) if weight > 0]
        while shortfall > 0 and eligible:
            position = rng.choice(eligible)
            if counts[position] < people:
                counts[position] += 1
                shortfall -= 1
        return counts

    def registrations(self):
        rng = self.random
        now = self.moment(self.today, 12)
        self.completed = []  # (registration id, user id, session, completed_at) for certificates
        pending_rows, pending_meta = [], []
        for session, count in zip(self.session_list, self._registrations_per_session(), strict=True):
            if count == 0:
                continue
            people = rng.sample(self.participant_ids, count)
            window = max(1, (session.registration_closes_at - session.registration_opens_at).total_seconds())
            times = sorted(
                session.registration_opens_at + timedelta(seconds=rng.uniform(0, window)) for _person in people
            )
            past = session.ends_at < now
            confirmed = 0
            for user_id, created_at in zip(people, times, strict=True):
                if created_at > now:
                    created_at = now - timedelta(minutes=rng.randint(1, 600))
                status, completed_at, percent = self._registration_status(session, confirmed, past, rng)
                confirmed += status == "confirmed"
                pending_rows.append(
                    Registration(
                        session_id=session.pk,
                        user_id=user_id,
                        status=status,
                        source=pick(rng, SOURCE_WEIGHTS),
                        created_at=created_at,
                        status_changed_at=created_at,
                        completed_at=completed_at,
                        attendance_percent=percent,
                    )
                )
                pending_meta.append(session)
            if len(pending_rows) >= self.batch_size:
                self._flush_registrations(pending_rows, pending_meta)
                pending_rows, pending_meta = [], []
        self._flush_registrations(pending_rows, pending_meta)

    def _registration_status(self, session, confirmed, past, rng):
        """(status, completed_at, attendance %) of the next person; never more confirmed than seats."""
        if session.status == "cancelled":
            return "cancelled", None, None
        if rng.random() < 0.06:
            return "cancelled", None, None
        if confirmed >= session.capacity:
            return ("cancelled" if past else "waitlisted"), None, None
        if not past and session.requires_approval and rng.random() < 0.5:
            return "pending", None, None
        if not past:
            return "confirmed", None, None
        if rng.random() < 0.88:
            return "confirmed", session.ends_at + timedelta(hours=rng.randint(1, 72)), rng.choice([80, 90, 100, 100])
        return "confirmed", None, rng.choice([0, 25, 50, 60])

    def _flush_registrations(self, rows, sessions):
        if not rows:
            return
        created = self.bulk(Registration, rows, "registrations")
        attendance = []
        for registration, session in zip(created, sessions, strict=True):
            if registration.completed_at is not None:
                self.completed.append((registration.pk, registration.user_id, session, registration.completed_at))
            if not self.sizes.attendance or registration.attendance_percent is None:
                continue
            days = self._days(session)
            present = round(len(days) * registration.attendance_percent / 100)
            for position, day in enumerate(days):
                attended = position < present
                attendance.append(
                    Attendance(
                        registration_id=registration.pk,
                        day=day,
                        status=("late" if self.random.random() < 0.05 else "present") if attended else "absent",
                        method=pick(self.random, METHOD_WEIGHTS),
                        recorded_at=self.moment(day, 17),
                    )
                )
        if attendance:
            self.bulk(Attendance, attendance, "attendance")

    # --- materials and their QR short links --------------------------------------------------------------

    def _codes(self, count):
        used = set()
        while len(used) < count:
            used.add("".join(self.random.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH)))
        return sorted(used - taken_codes(ShortLink, used))

    def materials(self):
        rng = self.random
        rows = []
        for course in self.course_pages[len(self.course_pages) - self.counts.get("courses", 0) :]:
            for number in range(4):
                rows.append(
                    Material(
                        course=course,
                        title=f"Окуу материалы {number + 1}",
                        kind="link",
                        url=f"https://example.org/materials/{course.slug}/{number + 1}",
                        visibility="public" if number < 2 else "participants",
                        sort_order=number,
                        language="ky",
                    )
                )
        published = [session for session in self.session_list if session.status != "draft"]
        for session in published:
            if rng.random() < 0.5:
                rows.append(
                    Material(
                        session=session,
                        course_id=session.course_id,
                        title="Тренингдин презентациясы",
                        kind="link",
                        url=f"https://example.org/sessions/{session.pk}/slides",
                        visibility=rng.choice(["public", "participants"]),
                        language=session.language,
                    )
                )
        for material in rows:
            material.created_at = material.updated_at = self.moment(self.today - timedelta(days=30))
        created = []
        for start in range(0, len(rows), self.batch_size):
            created += self.bulk(Material, rows[start : start + self.batch_size], "materials")
        targets = [{"material_id": material.pk} for material in created]
        targets += [{"session_id": session.pk} for session in published]
        codes = self._codes(len(targets))
        while len(codes) < len(targets):  # a collision with an existing code: draw again
            codes += self._codes(len(targets) - len(codes))
        links = [
            ShortLink(
                code=code,
                scan_count=rng.randint(0, 200),
                created_at=self.moment(self.today - timedelta(days=30)),
                **target,
            )
            for code, target in zip(codes, targets, strict=False)
        ]
        self.bulk(ShortLink, links, "short links")

    # --- certificates ---------------------------------------------------------------------------------------

    def certificates(self):
        """Certificates for completed registrations, numbered and coded as the certificates app does it.

        Written only when the certificates app has its Certificate table. Numbers continue each
        year's counter (CertificateCounter) without gaps and the counters are moved on; codes use
        the app's alphabet and length, drawn from the seeded generator and checked for uniqueness.
        """
        model = certificate_model()
        wanted = min(self.sizes.certificates, len(self.completed))
        if model is None or wanted == 0:
            self.log("  certificates   skipped: " + ("no Certificate table yet" if model is None else "none wanted"))
            return
        from certificates.models import CertificateCounter, CertificateEvent, CertificateTemplate
        from certificates.services import numbering

        template = CertificateTemplate.objects.filter(is_default=True).first()
        if template is None:
            template = CertificateTemplate.objects.create(name="Scale certificates", is_default=True)
        chosen = sorted(self.random.sample(self.completed, wanted), key=lambda row: (row[3], row[0]))
        counters = {counter.year: counter for counter in CertificateCounter.objects.select_for_update()}
        codes = self._certificate_codes(model, numbering, wanted)
        courses = {page.pk: page for page in self.course_pages}
        snapshot_base = {"texts": template.texts(), "signatories": [], "issuer_names": {}}
        rows = []
        for (registration_id, user_id, session, completed_at), code in zip(chosen, codes, strict=True):
            issued_at = completed_at + timedelta(days=self.random.randint(1, 14))
            year = issued_at.astimezone(BISHKEK).year
            counter = counters.get(year)
            if counter is None:
                counter = counters[year] = CertificateCounter(year=year, last_number=0)
                counter.is_new = True
            counter.last_number += 1
            course = courses[session.course_id]
            rows.append(
                model(
                    registration_id=registration_id,
                    user_id=user_id,
                    session_id=session.pk,
                    template=template,
                    number=numbering.format_number(year, counter.last_number),
                    year=year,
                    sequence=counter.last_number,
                    code=code,
                    status="valid",
                    holder_name=self.names.get(user_id, ""),
                    course_title=course.title,
                    course_hours=course.hours,
                    starts_on=session.starts_at.astimezone(BISHKEK).date(),
                    ends_on=session.ends_at.astimezone(BISHKEK).date(),
                    issued_on=issued_at.astimezone(BISHKEK).date(),
                    issued_at=issued_at,
                    languages=template.languages,
                    licence_number=template.licence_number,
                    snapshot={**snapshot_base, "course_titles": {"ky": course.title}, "trainers": []},
                )
            )
        with keep_timestamps(model, CertificateEvent):
            created = []
            for start in range(0, len(rows), self.batch_size):
                created += self.bulk(model, rows[start : start + self.batch_size], "certificates")
            self.bulk(
                CertificateEvent,
                [
                    CertificateEvent(certificate_id=certificate.pk, kind="issued", created_at=certificate.issued_at)
                    for certificate in created
                ],
                "certificate events",
            )
        for counter in counters.values():
            if getattr(counter, "is_new", False):
                counter.save(force_insert=True)
            else:
                counter.save(update_fields=["last_number"])

    def _certificate_codes(self, model, numbering, count):
        codes = set()
        while len(codes) < count:
            batch = set()
            while len(batch) < count - len(codes):
                batch.add("".join(self.random.choice(numbering.CODE_ALPHABET) for _ in range(numbering.CODE_LENGTH)))
            codes |= batch - taken_codes(model, batch)
        codes = sorted(codes)
        self.random.shuffle(codes)
        return codes
