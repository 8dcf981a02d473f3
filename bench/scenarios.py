"""What the load bench requests, and the data it needs (tokens, a few full sessions), built in bulk.

Runs inside Django (settings `academy.settings.bench`). Each scenario rotates through many objects
(sessions, links, certificates, people) so that the figures are not those of one hot row.
"""

import json
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.load import Request

BENCH_PREFIX = "[bench]"  # the titles of the sessions the bench makes for itself (not part of the scale set)
BENCH_TITLE = "[bench] registrations"
CHECKIN_TITLE = "[bench] check-in"
ROOM = 40  # people checking in to one session, one after the other ("a room of 40 in one minute")
ROTATION = 400  # objects each read scenario rotates through


@dataclass
class Scenario:
    key: str
    label: str
    requests: list
    kind: str = "read"  # baseline | read | redirect | write
    expect: tuple = (200,)
    skip: str = ""
    notes: list = field(default_factory=list)
    probe: Request | None = None  # a write's warm-up request, which changes nothing
    refresh: object = None  # called right before the run for requests that must be fresh (check-in codes)


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _sample(rng, values, count=ROTATION):
    values = list(values)
    return values if len(values) <= count else rng.sample(values, count)


def _tokens(user_ids):
    """A fresh API token for each user, in bulk. Returns the keys in the same order."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user_id__in=user_ids).delete()
    rows = [Token(key=secrets.token_hex(20), user_id=user_id) for user_id in user_ids]
    Token.objects.bulk_create(rows, batch_size=5000)
    return [row.key for row in rows]


def registration_sessions(count, capacity):
    """Fresh open sessions with few seats for the registration rush (the previous run's are removed)."""
    from bench.scale import purge, scale_courses
    from courses.models import Session

    purge(Session.objects.filter(title=BENCH_TITLE))
    course = scale_courses().order_by("path").first()
    starts = timezone.now() + timedelta(days=30)
    sessions = Session.objects.bulk_create(
        [
            Session(
                course=course,
                title=BENCH_TITLE,
                starts_at=starts,
                ends_at=starts + timedelta(days=1, hours=8),
                format="online",
                online_url="https://meet.example.org/bench",
                capacity=capacity,
                status="open",
                registration_opens_at=timezone.now() - timedelta(days=1),
                registration_closes_at=starts - timedelta(hours=1),
            )
            for _number in range(count)
        ]
    )
    return sessions


def overbooked_sessions():
    """Sessions with more confirmed registrations than seats: the promise says there are none."""
    from courses.models import Session

    return list(
        Session.objects.annotate(confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
        .filter(confirmed__gt=F("capacity"))
        .values_list("pk", "capacity", "confirmed")
    )


def registration_outcome(session_ids):
    from courses.models import Registration

    counts = dict(
        Registration.objects.filter(session_id__in=session_ids)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return counts


def prepare(*, seed=8, register_tokens=6000, register_sessions=20, register_capacity=10, register_burst=15):
    """Build every scenario; those whose URL does not exist yet are returned with `skip` set."""
    from academy.roles import PARTICIPANTS
    from bench.scale import certificate_model, scale_courses, scale_sessions, scale_users
    from courses.models import CourseIndexPage, CoursePage, Registration, ShortLink

    rng = random.Random(seed)
    scenarios = [
        Scenario("baseline", "minimal Django view (/bench/baseline/)", [Request("/bench/baseline/")], "baseline")
    ]

    # Sessions API with the catalogue's filters.
    published = scale_sessions().exclude(status="draft").exclude(title__startswith=BENCH_PREFIX)  # replaced below
    course_ids = list(scale_courses().values_list("pk", flat=True))
    upcoming = published.filter(starts_at__gte=timezone.now())
    session_ids = _sample(rng, upcoming.values_list("pk", flat=True), ROTATION // 2) + _sample(
        rng, published.filter(starts_at__lt=timezone.now()).values_list("pk", flat=True), ROTATION // 2
    )
    from academy.models import Municipality, Region
    from courses.models import Session

    regions = list(Region.objects.values_list("code", flat=True))
    today = timezone.localdate()
    api_paths = ["/api/v1/sessions/", "/api/v1/sessions/?page=3"]
    trainer_ids = list(
        Session.trainers.through.objects.filter(session__in=published).values_list("user_id", flat=True).distinct()[:50]
    )
    municipalities = list(Municipality.objects.values_list("code", flat=True))
    for _number in range(80):
        month = today + timedelta(days=rng.randint(0, 150))
        filters = rng.choice(
            [
                {"course": rng.choice(course_ids)},
                {"oblast": rng.choice(regions)},
                {"municipality": rng.choice(municipalities)},
                {"language": rng.choice(["ky", "ru"])},
                # Not `format`: DRF reads `?format=` as its renderer override and answers 404 (reported).
                {"month": f"{month:%Y-%m}"},
                {"starts_after": (today + timedelta(days=rng.randint(0, 90))).isoformat()},
                {"oblast": rng.choice(regions), "has_seats": "true"},
                {"course": rng.choice(course_ids), "month": f"{month:%Y-%m}"},
                {"trainer": rng.choice(trainer_ids or [0])},
                {"status": "open", "has_seats": "true"},
            ]
        )
        api_paths.append("/api/v1/sessions/?" + "&".join(f"{name}={value}" for name, value in filters.items()))
    scenarios.append(Scenario("sessions_api", "session list API, with filters", [Request(p) for p in api_paths]))
    from django.conf import settings

    course_pages = ["/api/v1/courses/"]
    if len(course_ids) > settings.REST_FRAMEWORK.get("PAGE_SIZE", 20):
        course_pages.append("/api/v1/courses/?page=2")
    scenarios.append(Scenario("courses_api", "course list API", [Request(path) for path in course_pages]))

    # Public pages.
    index = CourseIndexPage.objects.live().filter(locale__language_code="ky").order_by("path").first()
    if index is None:
        scenarios.append(Scenario("course_index", "course index page", [], skip="no course index page"))
    else:
        url = index.get_url() or f"/ky/{index.slug}/"
        scenarios.append(Scenario("course_index", "course index page", [Request(url), Request(url + "?page=2")]))
    course_urls = [page.get_url() for page in CoursePage.objects.live().filter(slug__startswith="scale-course-")]
    scenarios.append(Scenario("course_page", "course page", [Request(url) for url in course_urls if url]))
    detail = _reverse("session_detail", 1)
    if detail is None:
        scenarios.append(Scenario("session_page", "session page", [], skip="no `session_detail` URL yet"))
    else:
        scenarios.append(
            Scenario(
                "session_page",
                "session page",
                [Request(_reverse("session_detail", pk)) for pk in session_ids],
            )
        )

    # Verification.
    model = certificate_model()
    codes = []
    if model is not None:
        codes = _sample(rng, model.objects.filter(status="valid").values_list("code", flat=True)[:20000])
    if not codes:
        reason = "no certificates (no Certificate table yet, or none generated)"
        scenarios.append(Scenario("verify_page", "certificate verification page", [], skip=reason))
        scenarios.append(Scenario("verify_json", "certificate verification JSON", [], skip=reason))
    else:
        scenarios.append(
            Scenario("verify_page", "certificate verification page", [Request(f"/verify/{code}/") for code in codes])
        )
        scenarios.append(
            Scenario(
                "verify_json",
                "certificate verification JSON",
                [Request(f"/api/v1/certificates/verify/{code}/") for code in codes],
            )
        )

    # QR short links.
    link_codes = _sample(rng, ShortLink.objects.filter(is_active=True).values_list("code", flat=True)[:20000])
    scenarios.append(
        Scenario(
            "short_link", "/q/<code> redirect", [Request(f"/q/{code}") for code in link_codes], "redirect", (302, 301)
        )
    )

    scenarios.append(
        Scenario("qr_png", "QR image /q/<code>.png", [Request(f"/q/{code}.png") for code in link_codes[:100]])
    )

    # A participant's own list (token auth), people with several registrations.
    busy = list(
        Registration.objects.filter(user__in=scale_users())
        .values("user_id")
        .annotate(count=Count("pk"))
        .filter(count__gte=3)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:200]
    )
    mine = _tokens(busy)
    scenarios.append(
        Scenario(
            "my_registrations_api",
            "my registrations API (token)",
            [Request("/api/v1/me/registrations/", headers={"Authorization": f"Token {key}"}) for key in mine],
        )
    )

    scenarios.append(my_trainings_scenario(busy, rng))

    # The registration rush: many people, few seats.
    with transaction.atomic():
        sessions = registration_sessions(register_sessions, register_capacity)
        people = list(
            scale_users()
            .filter(groups__name=PARTICIPANTS)
            .exclude(pk__in=busy)
            .order_by("-pk")
            .values_list("pk", flat=True)[:register_tokens]
        )
        keys = _tokens(people)
    # Consecutive requests go to the same session, `register_burst` of them for its `register_capacity` seats:
    # the requests in flight at any moment compete for the same last seats (the race that could overbook).
    # Later rounds find the sessions full and join the waitlist (still under the session lock).
    requests = []
    for position, key in enumerate(keys):
        session = sessions[(position // register_burst) % len(sessions)]
        requests.append(
            Request(
                f"/api/v1/sessions/{session.pk}/register/",
                method="POST",
                headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
                body=json.dumps({}),
            )
        )
    scenarios.append(
        Scenario(
            "register",
            f"registration POST ({len(keys)} people, {len(sessions)} sessions × {register_capacity} seats, "
            f"{register_burst} in a row per session)",
            requests,
            "write",
            (201,),
            notes=[f"sessions={[session.pk for session in sessions]}"],
            probe=Request(
                "/api/v1/sessions/999999999/register/", "POST", requests[0].headers, requests[0].body
            ),  # a session that does not exist: warms the code path, takes no seat
        )
    )
    scenarios[-1].session_ids = [session.pk for session in sessions]
    scenarios.append(checkin_scenario(people, keys))
    return scenarios


def my_trainings_scenario(user_ids, rng):
    """The "My trainings" page of people with several registrations, signed in with a session cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        url = _reverse("my_trainings")
    if url is None:
        return Scenario("my_trainings", '"My trainings" page', [], skip="no `my_trainings` URL")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    requests = []
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
        path = url if rng.random() < 0.5 else url + "?show=past"
        requests.append(Request(path, headers={"Cookie": cookie}))
    return Scenario("my_trainings", '"My trainings" page (session cookie)', requests)


def checkin_sessions(user_ids, *, room=ROOM):
    """Sessions running today, each with `room` confirmed participants (the previous run's are removed)."""
    from bench.scale import purge, scale_courses
    from courses.models import Registration, Session

    purge(Session.objects.filter(title=CHECKIN_TITLE))
    course = scale_courses().order_by("path").first()
    now = timezone.now()
    # Started a few minutes ago and ends tonight: today is one of its days, whatever the hour in Bishkek.
    starts = max(now - timedelta(minutes=5), timezone.localtime(now).replace(hour=0, minute=0, second=0))
    ends = timezone.localtime(now).replace(hour=23, minute=59, second=0)
    count = len(user_ids) // room
    sessions = Session.objects.bulk_create(
        [
            Session(
                course=course,
                title=CHECKIN_TITLE,
                starts_at=starts,
                ends_at=ends,
                format="online",
                online_url="https://meet.example.org/bench",
                capacity=room,
                status="closed",
            )
            for _number in range(count)
        ]
    )
    rows = [
        Registration(session=session, user_id=user_ids[index * room + seat], status="confirmed", source="admin")
        for index, session in enumerate(sessions)
        for seat in range(room)
    ]
    Registration.objects.bulk_create(rows, batch_size=5000)
    return sessions


def checkin_scenario(user_ids, keys, *, people=4000, room=ROOM):
    """The check-in POST: rooms of `room` people scanning the trainer's code one after the other.

    The codes rotate every 30 s and expire 2 minutes after their window, so they are signed right before the
    run (`refresh`). Each request is a different person; once all checked in, repeats say "already checked in".
    """
    from courses.services import checkin

    url = _reverse("api-check-in")
    if url is None:
        return Scenario("checkin", "check-in POST", [], skip="no `api-check-in` URL")
    people = min(people, len(user_ids)) // room * room
    with transaction.atomic():
        sessions = checkin_sessions(user_ids[:people], room=room)
    headers = [{"Authorization": f"Token {key}", "Content-Type": "application/json"} for key in keys[:people]]

    def requests():
        now = timezone.now()
        day, window = int(timezone.localdate(now).strftime("%Y%m%d")), checkin.window_of(now)
        codes = [checkin._signer().sign_object([session.pk, day, 0, window]) for session in sessions]
        return [
            Request(url, "POST", headers[position], json.dumps({"code": codes[position // room]}))
            for position in range(people)
        ]

    return Scenario(
        "checkin",
        f"check-in POST ({people} people, rooms of {room}, one after the other)",
        [],
        "write",
        (200,),
        probe=Request(url, "POST", headers[0], json.dumps({"code": "not-a-code"})) if headers else None,
        refresh=requests,
    )
