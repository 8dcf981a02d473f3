"""Report timings on 100,000 registrations: `.venv/bin/python -m bench.reports`.

    python -m bench.reports                          # PostgreSQL `bench_reports` if reachable, else SQLite
    python -m bench.reports --database-url sqlite:////tmp/bench_reports.sqlite3
    python -m bench.reports --registrations 20000 --repeat 3 --reseed

A scratch database (never the one you work in): `--database-url`, else `BENCH_REPORTS_DATABASE_URL`,
else `postgres://postgres@127.0.0.1:5432/bench_reports` when PostgreSQL answers, else a SQLite file
in `.bench/`. It is migrated, then filled with `bulk_create` (kept for the next run; `--reseed`
rebuilds it): 40 % as many people as registrations, 25 registrations per session over three years
(drafts, cancelled and future sessions included), 90 % of registrations confirmed, feedback from
60 % of the participants of sessions held, each also answering two of the academy's own questions (a
rating and one choice) and a quarter of them a text question.

Each report service runs once to warm up, then `--repeat` times, as its screen uses it (every
figure, and the rows a screen shows: a table with a display limit is read up to it, plus its row
count). Printed: the median wall time in ms, the CPU time per run (this process + its PostgreSQL
backend, read from /proc; parallel query workers are switched off for this connection so that the
backend's CPU is all of it), the number of SQL queries, and the ratio of the CPU time to a baseline
measured in the same run: a plain `Registration.objects.count()`. `--only participants,summary`
runs the cases whose label starts with one of these words.
"""

import argparse
import os
import random
import socket
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_reports"
SQLITE_URL = f"sqlite:///{ROOT / '.bench' / 'bench_reports.sqlite3'}"
EMAIL_DOMAIN = "bench-reports.example.org"
SLUG_PREFIX = "bench-reports-course-"
PROJECT_PREFIX = "bench-reports-"
SURVEY_TITLE = "Bench survey"
PER_SESSION = 25
BISHKEK = ZoneInfo("Asia/Bishkek")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_REPORTS_DATABASE_URL"))
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true", help="Rebuild the bench data even if it is there.")
    parser.add_argument("--with-exports", action="store_true", help="Also time the .xlsx exports.")
    parser.add_argument("--only", help="Comma-separated label prefixes, e.g. participants,summary (baseline always).")
    parser.add_argument(
        "--sizes",
        help="Comma-separated registration counts, e.g. 100000,300000: one database per size "
        "(bench_reports_<size>), the tables of every size, then each report's growth between them.",
    )
    parser.add_argument("--explain", help="Write EXPLAIN ANALYZE of every query of every case to this file.")
    parser.add_argument("--json", help=argparse.SUPPRESS)  # where a --sizes child leaves its results
    return parser.parse_args(argv)


def _postgres_reachable():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def choose_database(url):
    if url:
        return url
    return POSTGRES_URL if _postgres_reachable() else SQLITE_URL


def ensure_postgres_database(url):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Unexpected database name in {url!r}")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True, connect_timeout=5) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def configure(url):
    """Point Django at the scratch database before it starts."""
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    else:
        (ROOT / ".bench").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.dev"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data ----------------------------------------------------------------------------------------


def purge():
    from academy.models import FundingProject, User
    from courses.models import CoursePage, Registration, Session

    sessions = Session.objects.filter(course__slug__startswith=SLUG_PREFIX)
    Registration.objects.filter(session__in=sessions).delete()
    sessions.delete()
    User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    for page in CoursePage.objects.filter(slug__startswith=SLUG_PREFIX):
        page.delete()
    FundingProject.objects.filter(code__startswith=PROJECT_PREFIX).delete()
    from reports.models import Survey

    Survey.objects.filter(title_en=SURVEY_TITLE).delete()  # its answers went with the registrations' feedback


def _survey():
    """The academy's own questions every bench answer also answers: a rating, one choice, a text."""
    from reports.models import QuestionKind, Survey, SurveyQuestion

    survey = Survey.objects.create(title_ky="Бенч сурамжылоосу", title_en=SURVEY_TITLE)
    rating, choice, text = (
        SurveyQuestion.objects.create(survey=survey, sort_order=order, kind=kind, text_ky=text_ky, choices_ky=choices)
        for order, (kind, text_ky, choices) in enumerate(
            [
                (QuestionKind.RATING, "Тренингдин практикалык пайдасы", ""),
                (QuestionKind.SINGLE, "Коомдук угууну өзүңүз өткөрө аласызбы?", "Ооба\nЖардам менен\nЖок"),
                (QuestionKind.TEXT, "Кийинки тренингге эмне кошуу керек?", ""),
            ]
        )
    )
    return rating, choice, text


def _courses(count=10):
    from cms.services.site import ensure_home_pages
    from courses.models import CourseIndexPage, CoursePage

    homes = ensure_home_pages({"ky": "Академия", "ru": "Академия", "en": "Academy"})
    index = CourseIndexPage.objects.filter(locale=homes["ky"].locale).first()
    if index is None:
        index = CourseIndexPage(title="Курстар", slug="courses")
        homes["ky"].add_child(instance=index)
    courses = []
    for number in range(count):
        page = CoursePage(
            title=f"Бенчмарк курсу {number + 1}", slug=f"{SLUG_PREFIX}{number + 1}", hours=8 + 4 * (number % 4)
        )
        index.add_child(instance=page)
        courses.append(page)
    return courses


def _users(rng, count, prefix, group_name, municipalities):
    from django.contrib.auth.models import Group

    from academy.models import OrganizationKind, Profile, User

    kinds = [value for value, _label in OrganizationKind.choices]
    positions = [
        "Айыл өкмөтүнүн башчысы",
        "Айыл өкмөтүнүн адиси",
        "Жергиликтүү кеңештин депутаты",
        "Мэриянын адиси",
        "Активист",
        "",
    ]
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{number}@{EMAIL_DOMAIN}", password="!") for number in range(count)], batch_size=5000
    )
    if not users[0].pk:  # backends that do not return ids from bulk_create
        users = list(User.objects.filter(email__startswith=prefix, email__endswith=EMAIL_DOMAIN).order_by("pk"))
    profiles = []
    for user in users:
        roll = rng.random()
        profiles.append(
            Profile(
                user=user,
                full_name=f"Бенч {user.pk}",
                gender="female" if roll < 0.45 else ("male" if roll < 0.92 else ""),
                year_of_birth=rng.randint(1955, 2004) if rng.random() > 0.05 else None,
                position=rng.choice(positions),
                organization_kind=rng.choice(kinds),
                municipality_id=rng.choice(municipalities) if rng.random() > 0.03 else None,
                has_disability=rng.random() < 0.03,
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=5000)
    group = Group.objects.get_or_create(name=group_name)[0]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=5000
    )
    return [user.pk for user in users]


def bench_sessions(rng, now, courses, count, project_of, *, drafts=True):
    """`count` one-day sessions over the last three years and the next two months, saved in bulk.

    Without `drafts` none is a draft (3 % cancelled instead of 2 % drafts and 3 % cancelled).
    """
    from courses.models import Session

    sessions = []
    for number in range(count):
        starts_at = (
            (now - timedelta(days=rng.randint(-60, 3 * 365)))
            .astimezone(BISHKEK)
            .replace(hour=9, minute=0, second=0, microsecond=0)
        )
        roll = rng.random()
        held_or_open = "completed" if starts_at < now else "open"
        if drafts:
            status = "draft" if roll < 0.02 else "cancelled" if roll < 0.05 else held_or_open
        else:
            status = "cancelled" if roll < 0.03 else held_or_open
        sessions.append(
            Session(
                course=courses[number % len(courses)],
                title=f"Bench {number}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(days=1, hours=9),
                capacity=30,
                status=status,
                funding_project=project_of(number),
            )
        )
    return Session.objects.bulk_create(sessions, batch_size=2000)


def seed(registrations_wanted, seed_value=2026):
    from django.db import transaction
    from django.utils import timezone

    from academy.models import FundingProject, Municipality
    from academy.roles import PARTICIPANTS, TRAINERS
    from courses.models import Registration, Session
    from reports.models import Feedback, SurveyAnswer
    from reports.rollups.bulk import paused as rollups_paused

    rng = random.Random(seed_value)
    now = timezone.now()
    # The rollup triggers off while the rows go in by the 5,000 (each batch would recompute every session of its
    # people); every rollup is rebuilt once at the end, in this transaction.
    with transaction.atomic(), rollups_paused():
        courses = _courses()
        projects = [
            FundingProject.objects.create(
                code=f"{PROJECT_PREFIX}{number}",
                donor="Bench donor",
                name_ky=f"Бенч долбоору {number}",
                name_ru=f"Бенч проект {number}",
                name_en=f"Bench project {number}",
                starts_on=(now - timedelta(days=1200)).date(),
                ends_on=(now + timedelta(days=400)).date(),
            )
            for number in range(1, 5)
        ]
        municipalities = list(Municipality.objects.values_list("pk", flat=True))
        trainers = _users(rng, 30, "trainer", TRAINERS, municipalities)
        people = _users(rng, int(registrations_wanted * 0.4), "person", PARTICIPANTS, municipalities)

        sessions = bench_sessions(
            rng, now, courses, registrations_wanted // PER_SESSION, lambda number: projects[number % len(projects)]
        )
        if not sessions[0].pk:
            sessions = list(Session.objects.filter(course__in=courses).order_by("pk"))
        Session.trainers.through.objects.bulk_create(
            [
                Session.trainers.through(session_id=session.pk, user_id=trainer)
                for index, session in enumerate(sessions)
                for trainer in {trainers[index % len(trainers)], trainers[(index * 7) % len(trainers)]}
            ],
            batch_size=5000,
        )
        rows = []
        for session in sessions:
            for user_id in rng.sample(people, PER_SESSION):
                roll = rng.random()
                status = (
                    "confirmed"
                    if roll < 0.9
                    else "cancelled"
                    if roll < 0.95
                    else "waitlisted"
                    if roll < 0.98
                    else "pending"
                )
                held = session.ends_at < now and status == "confirmed"
                attendance = rng.choice([100, 100, 90, 75, 50]) if held else None
                rows.append(
                    Registration(
                        session=session,
                        user_id=user_id,
                        status=status,
                        attendance_percent=attendance,
                        completed_at=session.ends_at if held and attendance >= 80 else None,
                    )
                )
        Registration.objects.bulk_create(rows, batch_size=5000)
        held = Registration.objects.filter(session__in=sessions, status="confirmed", session__ends_at__lt=now)
        answers = []
        for registration_id, ends_at in held.values_list("pk", "session__ends_at").iterator(chunk_size=5000):
            if rng.random() < 0.6:
                answers.append(
                    Feedback(
                        registration_id=registration_id,
                        content_score=rng.randint(2, 5),
                        trainer_score=rng.randint(3, 5),
                        organisation_score=rng.randint(1, 5),
                        most_useful="Практика" if rng.random() < 0.3 else "",
                        comments="Рахмат" if rng.random() < 0.2 else "",
                        submitted_at=ends_at,
                        updated_at=ends_at,
                    )
                )
        Feedback.objects.bulk_create(answers, batch_size=5000)
        rating, choice, text = _survey()
        own = []
        for feedback_id in Feedback.objects.filter(registration__session__in=sessions).values_list("pk", flat=True):
            own.append(SurveyAnswer(feedback_id=feedback_id, question=rating, number=rng.randint(2, 5)))
            own.append(SurveyAnswer(feedback_id=feedback_id, question=choice, number=rng.randint(0, 2)))
            if rng.random() < 0.25:
                own.append(SurveyAnswer(feedback_id=feedback_id, question=text, text="Көбүрөөк практика"))
        SurveyAnswer.objects.bulk_create(own, batch_size=5000)


def bench_counts():
    from courses.models import Registration

    return Registration.objects.filter(session__course__slug__startswith=SLUG_PREFIX).count()


# --- timing --------------------------------------------------------------------------------------


def _backend_cpu_seconds():
    """CPU seconds of this connection's PostgreSQL backend (0 when not PostgreSQL or not on this machine)."""
    from django.db import connection

    from bench.server import process_cpu_seconds

    if connection.vendor != "postgresql":
        return 0.0
    if not hasattr(connection, "bench_backend_pid"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            connection.bench_backend_pid = cursor.fetchone()[0]
            # Parallel workers are other processes: their CPU would not show in the backend's.
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    return process_cpu_seconds(connection.bench_backend_pid)


def as_screen(result):
    """What a report screen reads of a report: every figure, and each table's shown rows and row count."""
    for table in getattr(result, "tables", ()):
        list(table.displayed_rows)
        table.hidden_count  # noqa: B018 (reading it is the point)
    return result


def measure(function, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _backend_cpu_seconds()
    with CaptureQueriesContext(connection) as queries:
        as_screen(function())  # warm-up, and the query count
    timings = []
    app_started, db_started = time.process_time(), _backend_cpu_seconds()
    for _ in range(repeat):
        started = time.perf_counter()
        as_screen(function())
        timings.append((time.perf_counter() - started) * 1000)
    app = (time.process_time() - app_started) * 1000 / repeat
    db = (_backend_cpu_seconds() - db_started) * 1000 / repeat
    return statistics.median(timings), app, db, len(queries)


def explain(cases_run, path):
    """EXPLAIN (ANALYZE, BUFFERS) of each SQL query each case runs, slowest first within a case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _backend_cpu_seconds()
    lines = []
    for label, function in cases_run:
        with CaptureQueriesContext(connection) as queries:
            as_screen(function())
        plans = []
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "set_config" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            took = next((line for line in reversed(plan) if line.startswith("Execution Time")), "")
            plans.append((float(took.split()[2]) if took else 0.0, sql, plan))
        plans.sort(key=lambda item: -item[0])
        lines.append(f"=== {label}: {len(plans)} queries, {sum(item[0] for item in plans):.1f} ms in the database")
        for took, sql, plan in plans:
            lines += [f"--- {took:.1f} ms", sql[:2000], *plan, ""]
    Path(path).write_text("\n".join(lines))
    print(f"Plans written to {path}")


def cases(with_exports):
    from academy.models import Region, User
    from courses.models import Registration
    from reports import exports
    from reports.services import delivery, feedback_report, participant_list, participants, reach, summary, trainers
    from reports.services.base import ReportFilters

    everything = ReportFilters()
    region = Region.objects.get(code="batken")
    trainer = User.objects.filter(email=f"trainer0@{EMAIL_DOMAIN}").first()
    by_region = ReportFilters(region_id=region.pk)
    trainer_scope = ReportFilters(scope_trainer_id=trainer.pk if trainer else None)
    admin = User(is_superuser=True)  # unsaved: only asked whether it may see personal data
    listed = [
        ("baseline: Registration.objects.count()", lambda: Registration.objects.count()),
        ("participants", lambda: participants.report(everything)),
        ("reach", lambda: reach.report(everything)),
        ("delivery", lambda: delivery.report(everything)),
        ("trainers", lambda: trainers.report(everything)),
        ("feedback", lambda: feedback_report.report(everything)),
        ("summary (API / donor figures)", lambda: summary.headline(everything)),
        ("participants, oblast filter", lambda: participants.report(by_region)),
        ("delivery, oblast filter", lambda: delivery.report(by_region)),
        ("participants, one trainer's scope", lambda: participants.report(trainer_scope)),
        ("feedback, one trainer's scope", lambda: feedback_report.report(trainer_scope)),
    ]
    if with_exports:
        listed += [
            ("participants .xlsx", lambda: exports.to_xlsx(participants.report(everything))),
            ("feedback .xlsx", lambda: exports.to_xlsx(feedback_report.report(everything))),
            ("participant list .csv (all rows)", lambda: exports.to_csv(participant_list.report(everything, admin))),
        ]
    return listed


def sized_url(url, size):
    parsed = urlparse(url)
    if url.startswith("postgres"):
        return parsed._replace(path=f"{parsed.path}_{size}").geturl()
    return url.replace(".sqlite3", f"_{size}.sqlite3")


def run_sizes(args, argv):
    """One child process per size (Django is set up once per process), then the growth table."""
    import json
    import subprocess
    import tempfile

    sizes = [int(size) for size in args.sizes.split(",")]
    base_url = choose_database(args.database_url)
    passed = []
    skip = False
    for arg in argv if argv is not None else sys.argv[1:]:
        if skip:
            skip = False
        elif arg in ("--sizes", "--registrations", "--database-url", "--json"):
            skip = True
        elif not arg.startswith(("--sizes=", "--registrations=", "--database-url=", "--json=")):
            passed.append(arg)
    results = {}
    for size in sizes:
        with tempfile.NamedTemporaryFile(suffix=".json") as handle:
            command = [sys.executable, "-m", "bench.reports", *passed, "--registrations", str(size)]
            command += ["--database-url", sized_url(base_url, size), "--json", handle.name]
            print(f"\n## {size:,} registrations", flush=True)
            subprocess.run(command, check=True, cwd=ROOT)
            results[size] = json.loads(Path(handle.name).read_text())
    first, last = sizes[0], sizes[-1]
    print(f"\n## Growth from {first:,} to {last:,} registrations (data × {last / first:.1f})")
    labels = [row["label"] for row in results[first]]
    width = max(len(label) for label in labels)
    print(f"{'report':<{width}}  " + "  ".join(f"{f'ms @ {size:,}':>14}" for size in sizes) + "  ms growth  CPU growth")
    for index, label in enumerate(labels):
        rows = [results[size][index] for size in sizes]
        cells = "  ".join(f"{row['ms']:>14.1f}" for row in rows)
        ms_growth = rows[-1]["ms"] / (rows[0]["ms"] or 0.001)
        cpu_growth = rows[-1]["cpu"] / (rows[0]["cpu"] or 0.001)
        print(f"{label:<{width}}  {cells}  {ms_growth:>9.2f}  {cpu_growth:>10.2f}")
    return 0


def main(argv=None):
    args = parse_args(argv)
    if args.sizes:
        return run_sizes(args, argv)
    url = choose_database(args.database_url)
    configure(url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    print(f"Database: {url} ({connection.vendor})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s")
    existing = bench_counts()
    if args.reseed or existing != (args.registrations // PER_SESSION) * PER_SESSION:
        started = time.perf_counter()
        purge()
        seed(args.registrations)
        print(f"Bench data built in {time.perf_counter() - started:.1f} s")
    else:
        print("Bench data found (use --reseed to rebuild)")
    from courses.models import Registration, Session
    from reports.models import Feedback, SurveyAnswer

    print(
        f"Rows: {Registration.objects.count():,} registrations, {Session.objects.count():,} sessions, "
        f"{Feedback.objects.count():,} feedback answers, {SurveyAnswer.objects.count():,} answers to the academy's "
        "own questions"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    wanted = [word.strip() for word in (args.only or "").split(",") if word.strip()]
    with translation.override("en"):
        results = [
            (label, *measure(function, args.repeat))
            for label, function in cases(args.with_exports)
            if label.startswith("baseline") or not wanted or any(label.startswith(word) for word in wanted)
        ]
    baseline = (results[0][2] + results[0][3]) or 0.001
    width = max(len(label) for label, *_rest in results)
    print()
    print(f"load average: {os.getloadavg()[0]:.2f}; {args.repeat} runs each")
    print(
        f"{'report':<{width}}  {'ms (median)':>11}  {'CPU ms (app + db)':>19}  {'queries':>7}  {'× baseline CPU':>14}"
    )
    for label, milliseconds, app, db, queries in results:
        cpu = f"{app + db:.0f} ({app:.0f} + {db:.0f})"
        print(f"{label:<{width}}  {milliseconds:>11.1f}  {cpu:>19}  {queries:>7}  {(app + db) / baseline:>14.1f}")
    if args.json:
        import json

        Path(args.json).write_text(
            json.dumps(
                [
                    {"label": label, "ms": milliseconds, "cpu": app + db, "queries": queries}
                    for label, milliseconds, app, db, queries in results
                ]
            )
        )
    if args.explain and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = %s", ["64MB"])
        with translation.override("en"):
            explain(
                [
                    (label, function)
                    for label, function in cases(args.with_exports)
                    if not wanted or any(label.startswith(word) for word in wanted)
                ],
                args.explain,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
