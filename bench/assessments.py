"""Issue 19's promise, measured: "40 participants submitting a post-test in the same 30 seconds all succeed".

    python -m bench.assessments                          # PostgreSQL `bench_assessments` (created when missing)
    python -m bench.assessments --people 40 --questions 10 --rounds 3

A scratch PostgreSQL database (never the one you work in): `--database-url`, else
`BENCH_ASSESSMENTS_DATABASE_URL`, else postgres://postgres@127.0.0.1:5432/bench_assessments. It is migrated
and given, once, a course with a bank of `--questions` questions, a session with its trainer and `--people`
confirmed participants. Settings `academy.settings.bench` (DEBUG off).

Every submission goes through the real API view (`POST /api/v1/tests/{id}/attempt/`: DRF, the JSON body,
authentication, the service, the shared FOR SHARE lock on the test's row, the unique constraint, the insert of
the answers), each thread with its own database connection. Per round, in the same run:

- **baseline**: the area's minimal API view, `GET /api/v1/tests/` (the person's open tests: routing,
  middleware, DRF, authentication, two queries), `--people` times one after another;
- **one at a time**: the `--people` submissions one after another (nobody waiting for anybody);
- **all at once**: a fresh post-test, the `--people` submissions released together by a barrier, then each
  person submitting again at once (all must be refused with 409, nothing added).

Wall time per request, and CPU time: each thread's own (time.thread_time) plus that of its PostgreSQL backend
(read from /proc when the server runs on this machine; kept for the run, CONN_MAX_AGE), per request.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from bench.certificates import ensure_postgres_database

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_assessments"
EMAIL_DOMAIN = "bench-assessments.example.org"
COURSE_SLUG = "bench-assessments-course"
WARM_URL = "/api/v1/tests/"  # the person's open tests: the middleware, DRF and a query of the area
NAMES = ["Айгүл Токтосунова", "Нурлан Маматов", "Гүлнара Ташиева", "Бакыт Жумабаев", "Жылдыз Осмонова"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.assessments", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_ASSESSMENTS_DATABASE_URL", POSTGRES_URL))
    parser.add_argument("--people", type=int, default=40, help="Participants submitting (default 40).")
    parser.add_argument("--questions", type=int, default=10, help="Questions of the test (default 10).")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of baseline, one at a time, all at once.")
    return parser.parse_args(argv)


def configure(url):
    if not url.startswith("postgres"):
        raise SystemExit("This bench needs PostgreSQL: row locks and concurrent connections are what it measures.")
    ensure_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.bench"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data ----------------------------------------------------------------------------------------------


def ensure_data(people, questions):
    """The course with its bank, the session, its trainer and participants: made once, grown when asked."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from academy.models import Profile, User
    from academy.roles import PARTICIPANTS, TRAINERS
    from bench.pages import ensure_course
    from courses.models import Choice, Question, QuestionKind, Registration, Session

    def person(email, name, group):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
            Profile.objects.create(user=user, full_name=name, preferred_language="ky")
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    with transaction.atomic():
        course = ensure_course(COURSE_SLUG, "Жергиликтүү бюджет жана жарандардын катышуусу", hours=16)
        for number in range(Question.objects.filter(course=course).count(), questions):
            kind = QuestionKind.MULTIPLE if number % 3 == 1 else QuestionKind.SINGLE
            question = Question.objects.create(
                course=course,
                kind=kind,
                text_ky=f"Суроо {number + 1}: жергиликтүү бюджетти ким бекитет?",
                text_ru=f"Вопрос {number + 1}: кто утверждает местный бюджет?",
            )
            for index in range(4):
                Choice.objects.create(
                    question=question,
                    text_ky=f"Жооп {index + 1}",
                    text_ru=f"Ответ {index + 1}",
                    is_correct=index == 0 or (kind == QuestionKind.MULTIPLE and index == 1),
                    sort_order=index,
                )
        trainer = person(f"trainer@{EMAIL_DOMAIN}", "Мирлан Маматов", TRAINERS)
        session = Session.objects.filter(course=course).first()
        if session is None:
            starts_at = timezone.now() - timedelta(hours=6)
            session = Session.objects.create(
                course=course, starts_at=starts_at, ends_at=starts_at + timedelta(days=2), capacity=10_000
            )
            session.trainers.set([trainer])
            session.save()
        for number in range(Registration.objects.filter(session=session).count(), people):
            user = person(f"person{number:04d}@{EMAIL_DOMAIN}", NAMES[number % len(NAMES)], PARTICIPANTS)
            Registration.objects.get_or_create(session=session, user=user, defaults={"status": "confirmed"})
    participants = [
        registration.user
        for registration in Registration.objects.filter(session=session, status="confirmed")
        .select_related("user")
        .order_by("pk")[:people]
    ]
    return trainer, session, participants


def fresh_test(trainer, session):
    """The session's post-test, its previous attempts removed, opened again for 30 minutes."""
    from courses.models import Attempt, KnowledgeTest
    from courses.services import assessments

    test = assessments.ensure_test(trainer, session, "post")
    Attempt.objects.filter(test=test).delete()
    test = KnowledgeTest.objects.get(pk=test.pk)
    return assessments.open_test(trainer, test, 30)


def answer_bodies(test, count):
    """`count` different bodies: the n-th person answers the first n % questions right, the rest wrong."""
    from courses.services import assessments

    questions = assessments.load_questions(test)
    bodies = []
    for person in range(count):
        right = person % (len(questions) + 1)
        answers = []
        for index, question in enumerate(questions):
            choices = list(question.choices.all())
            chosen = [c.pk for c in choices if c.is_correct] if index < right else [choices[-1].pk]
            answers.append({"question": question.pk, "choices": chosen})
        bodies.append({"answers": answers})
    return bodies


# --- measuring -----------------------------------------------------------------------------------------


def _backend_cpu(pid):
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return 0.0
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class Worker(threading.Thread):
    """One person's phone: its own client and database connection; runs `calls` when the barrier opens."""

    def __init__(self, user, calls, barrier):
        super().__init__(daemon=True)
        self.user, self.calls, self.barrier = user, calls, barrier
        self.statuses, self.walls, self.backend_cpu, self.thread_cpu = [], [], 0.0, 0.0
        self.ready = threading.Event()
        self.error = None

    def run(self):
        from django.db import connection
        from rest_framework.test import APIClient

        try:
            client = APIClient(HTTP_ACCEPT_LANGUAGE="ky")
            client.force_authenticate(self.user)
            # Untimed: a test client builds its middleware chain on its first request (a gunicorn worker does it
            # once at start), and a new PostgreSQL backend fills its catalogue caches on its first queries.
            client.get(WARM_URL)
            pid = _backend_pid()
            before = _backend_cpu(pid)
            self.ready.set()
            self.barrier.wait()
            thread_cpu = time.thread_time()
            for method, url, body in self.calls:
                started = time.perf_counter()
                response = getattr(client, method)(url, body, format="json") if body else client.get(url)
                self.walls.append(time.perf_counter() - started)
                self.statuses.append(response.status_code)
            self.thread_cpu = time.thread_time() - thread_cpu
            self.backend_cpu = _backend_cpu(pid) - before
        except Exception as error:  # reported by the main thread
            self.error = error
            self.ready.set()
        finally:
            connection.close()


def run_workers(plan):
    """plan: [(user, [(method, url, body), ...]), ...], each list run by its own thread, all released together.
    Returns {"statuses", "walls", "wall", "cpu"} (cpu: this process plus the threads' PostgreSQL backends)."""
    barrier = threading.Barrier(len(plan) + 1)
    workers = [Worker(user, calls, barrier) for user, calls in plan]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.ready.wait()
    started = time.perf_counter()
    barrier.wait()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    app_cpu = sum(worker.thread_cpu for worker in workers)
    db_cpu = sum(worker.backend_cpu for worker in workers)
    errors = [worker.error for worker in workers if worker.error]
    if errors:
        raise errors[0]
    return {
        "statuses": [status for worker in workers for status in worker.statuses],
        "walls": [wall for worker in workers for wall in worker.walls],
        "wall": wall,
        "cpu": app_cpu + db_cpu,
        "app_cpu": app_cpu,
        "db_cpu": db_cpu,
    }


def one_round(trainer, session, people):
    from django.urls import reverse

    from courses.models import Answer, Attempt

    results = {}
    # Baseline: the minimal view of the area, the person's open tests (DRF, authentication, two queries), as many
    # times as there are people, one after another in one thread.
    results["baseline"] = run_workers([(people[0], [("get", WARM_URL, None)] * len(people))])

    test = fresh_test(trainer, session)
    url = reverse("api-knowledge-test-attempt", args=[test.pk])
    bodies = answer_bodies(test, len(people))
    sequential = {"statuses": [], "walls": [], "wall": 0.0, "cpu": 0.0, "app_cpu": 0.0, "db_cpu": 0.0}
    for person, body in zip(people, bodies, strict=True):
        single = run_workers([(person, [("post", url, body)])])
        for key in sequential:
            sequential[key] += single[key]
    results["one at a time"] = sequential

    test = fresh_test(trainer, session)
    url = reverse("api-knowledge-test-attempt", args=[test.pk])
    results["all at once"] = run_workers(
        [(person, [("post", url, body)]) for person, body in zip(people, bodies, strict=True)]
    )
    results["all at once"]["attempts"] = Attempt.objects.filter(test=test).count()
    results["all at once"]["answers"] = Answer.objects.filter(attempt__test=test).count()
    results["again at once"] = run_workers(
        [(person, [("post", url, body)]) for person, body in zip(people, bodies, strict=True)]
    )
    results["again at once"]["attempts"] = Attempt.objects.filter(test=test).count()
    return results


def report(rounds, people, questions):
    lines = [f"{people} participants, a post-test of {questions} questions; {len(rounds)} round(s)", ""]
    lines.append(
        "| case | requests | succeeded | wall ms per request (median) | CPU ms per request (app + db) "
        "| × baseline CPU | × one at a time CPU |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|")

    def per_request(case, key="cpu"):
        return statistics.median(r[case][key] / len(r[case]["walls"]) for r in rounds) * 1000

    baseline_cpu, single_cpu = per_request("baseline"), per_request("one at a time")
    for case in ("baseline", "one at a time", "all at once", "again at once"):
        walls = [wall for r in rounds for wall in r[case]["walls"]]
        statuses = [status for r in rounds for status in r[case]["statuses"]]
        cpu, app, db = (per_request(case, key) for key in ("cpu", "app_cpu", "db_cpu"))
        ok = sum(200 <= status < 300 for status in statuses)
        label = {"again at once": "again at once (must all be 409)"}.get(case, case)
        lines.append(
            f"| {label} | {len(statuses)} | {ok} | {statistics.median(walls) * 1000:.1f} | "
            f"{cpu:.1f} ({app:.1f} + {db:.1f}) | {cpu / baseline_cpu:.1f} | {cpu / single_cpu:.2f} |"
        )
    lines.append("")
    for number, r in enumerate(rounds, start=1):
        together = r["all at once"]
        lines.append(
            f"round {number}: all {people} at once in {together['wall']:.2f} s wall "
            f"(slowest {max(together['walls']) * 1000:.0f} ms), {together['attempts']} attempts, "
            f"{together['answers']} answers; again: {sorted(set(r['again at once']['statuses']))}, "
            f"{r['again at once']['attempts']} attempts; one at a time: {r['one at a time']['wall']:.2f} s in all"
        )
    lines.append(f"load average after: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    return "\n".join(lines)


def check(rounds, people):
    """The promise: every submission of the rush succeeded, once, within 30 seconds; every repeat refused."""
    problems = []
    for number, r in enumerate(rounds, start=1):
        together, again = r["all at once"], r["again at once"]
        if together["statuses"] != [201] * people or together["attempts"] != people:
            problems.append(f"round {number}: {sorted(set(together['statuses']))}, {together['attempts']} attempts")
        if together["wall"] >= 30:
            problems.append(f"round {number}: {together['wall']:.1f} s, not within 30 s")
        if set(again["statuses"]) != {409} or again["attempts"] != people:
            problems.append(f"round {number}: a repeat was not refused ({sorted(set(again['statuses']))})")
    return problems


def main(argv=None):
    args = parse_args(argv)
    configure(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {args.database_url}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s")
    trainer, session, people = ensure_data(args.people, args.questions)
    connection.close()
    fresh_test(trainer, session)  # warm-up: imports, caches, the first connection of each kind
    rounds = []
    for number in range(args.rounds):
        print(f"Round {number + 1} of {args.rounds} ...", flush=True)
        rounds.append(one_round(trainer, session, people))
    print()
    print(report(rounds, args.people, args.questions))
    problems = check(rounds, args.people)
    print("promise kept: all succeeded once, within 30 s, repeats refused" if not problems else "\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
