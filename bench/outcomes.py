"""The donor outcome report for one funding project over 300,000 registrations: `python -m bench.outcomes`.

    python -m bench.outcomes                 # PostgreSQL bench_outcomes_p10: 300,000 registrations, 10 projects
    python -m bench.outcomes --projects 1    # bench_outcomes_p1: the reported project holds all 300,000
    python -m bench.outcomes --registrations 30000 --repeat 3 --reseed

A scratch database (`--database-url`, else BENCH_OUTCOMES_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/bench_outcomes_p<N> for `--projects N`), migrated and
filled once with `bulk_create` (kept for the next run; `--reseed` rebuilds it): 40 % as many people as
registrations, 25 registrations per session over three years, the sessions taking the `--projects` funding
projects in turn (10 by default, as in the target-scale set of `seed_scale`, whose sessions belong to a dozen
yearly projects; `--projects 1` is the worst case, one project holding every session); for the sessions held a pre-test and a post-test with attempts from
80 % / 70 % of the participants (10 questions), feedback from 60 %, two or three budget lines per session and
one to four action-plan items per session with random statuses.

Timed after a warm-up, `--repeat` times (median wall ms; CPU ms of this process and of its PostgreSQL backend;
SQL statements), each against baselines measured in the same run:

* baseline: counting the reported project's participant registrations (the least any report of them reads);
* baseline: the donor summary's headline figures for the project (reports.services.summary.headline), the
  existing report the outcome report extends;
* the outcome figures (reports.services.outcomes.figures: what the API serialises);
* the outcome report as the admin page and the .xlsx use it (reports.services.outcomes.report.report).

Target (issue 19.5): the outcome report < 500 ms.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from bench.reports import ROOT, configure

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_outcomes"
PROJECT_CODE = "bench-outcomes"
PER_SESSION = 25
TARGET_MS = 500


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.outcomes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_OUTCOMES_DATABASE_URL"))
    parser.add_argument("--registrations", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--projects",
        type=int,
        default=10,
        help="Funding projects sharing the sessions in turn (10: the reported project holds a tenth, as in the "
        "target-scale set; 1: it holds every registration). The database is bench_outcomes_p<N>.",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        args.database_url = f"{DEFAULT_URL}_p{args.projects}"
    return args


def seed(wanted, projects=1, seed_value=2026):
    from django.db import transaction
    from django.utils import timezone

    from academy.models import FundingProject, Municipality
    from academy.roles import PARTICIPANTS, TRAINERS
    from bench.reports import _courses, _users, bench_sessions, purge
    from courses.models import (
        ActionPlanItem,
        ActionPlanStatus,
        Attempt,
        CostKind,
        KnowledgeTest,
        Registration,
        Session,
        SessionCost,
    )
    from reports.models import Feedback

    rng = random.Random(seed_value)
    now = timezone.now()
    purge()
    FundingProject.objects.filter(code__startswith=PROJECT_CODE).delete()
    with transaction.atomic():
        courses = _courses()
        funders = [
            FundingProject.objects.create(
                code=PROJECT_CODE if number == 0 else f"{PROJECT_CODE}-{number}",
                donor="Bench donor",
                name_ky=f"Бенч натыйжалар {number or ''}".strip(),
                name_ru=f"Бенч результаты {number or ''}".strip(),
                name_en=f"Bench outcomes {number or ''}".strip(),
                starts_on=(now - timedelta(days=1200)).date(),
                ends_on=(now + timedelta(days=400)).date(),
            )
            for number in range(projects)
        ]
        municipalities = list(Municipality.objects.values_list("pk", flat=True))
        trainers = _users(rng, 30, "trainer", TRAINERS, municipalities)
        people = _users(rng, int(wanted * 0.4), "person", PARTICIPANTS, municipalities)
        sessions = bench_sessions(
            rng, now, courses, wanted // PER_SESSION, lambda number: funders[number % projects], drafts=False
        )
        Session.trainers.through.objects.bulk_create(
            [
                Session.trainers.through(session_id=s.pk, user_id=trainers[i % len(trainers)])
                for i, s in enumerate(sessions)
            ],
            batch_size=5000,
        )
        rows = []
        for session in sessions:
            for user_id in rng.sample(people, PER_SESSION):
                status = "confirmed" if rng.random() < 0.9 else "cancelled"
                held = session.ends_at < now and status == "confirmed"
                rows.append(
                    Registration(
                        session=session,
                        user_id=user_id,
                        status=status,
                        attendance_percent=100 if held else None,
                        completed_at=session.ends_at if held and rng.random() < 0.8 else None,
                    )
                )
        Registration.objects.bulk_create(rows, batch_size=1000)  # the rollup triggers lock each person of a batch
        held_sessions = [s for s in sessions if s.ends_at < now and s.status == "completed"]
        tests = KnowledgeTest.objects.bulk_create(
            [KnowledgeTest(session=s, kind=kind) for s in held_sessions for kind in ("pre", "post")], batch_size=5000
        )
        by_session = {(test.session_id, test.kind): test.pk for test in tests}
        attempts, answers = [], []
        held = Registration.objects.filter(session__in=held_sessions, status="confirmed")
        for registration_id, session_id, ends_at in held.values_list("pk", "session_id", "session__ends_at").iterator(
            chunk_size=5000
        ):
            before = rng.randint(1, 8)
            if rng.random() < 0.8:
                attempts.append(
                    Attempt(
                        test_id=by_session[(session_id, "pre")],
                        registration_id=registration_id,
                        score=before,
                        max_score=10,
                    )
                )
            if rng.random() < 0.7:
                after = min(10, max(0, before + rng.randint(-1, 5)))
                attempts.append(
                    Attempt(
                        test_id=by_session[(session_id, "post")],
                        registration_id=registration_id,
                        score=after,
                        max_score=10,
                    )
                )
            if rng.random() < 0.6:
                answers.append(
                    Feedback(
                        registration_id=registration_id,
                        content_score=rng.randint(2, 5),
                        trainer_score=rng.randint(3, 5),
                        organisation_score=rng.randint(1, 5),
                        submitted_at=ends_at,
                        updated_at=ends_at,
                    )
                )
        Attempt.objects.bulk_create(attempts, batch_size=5000)
        Feedback.objects.bulk_create(answers, batch_size=5000)
        kinds = CostKind.values
        SessionCost.objects.bulk_create(
            [
                SessionCost(session=s, kind=kind, amount=Decimal(rng.randint(2000, 40000)))
                for s in sessions
                for kind in rng.sample(kinds, rng.randint(2, 3))
            ],
            batch_size=5000,
        )
        statuses = ActionPlanStatus.values
        ActionPlanItem.objects.bulk_create(
            [
                ActionPlanItem(
                    session=s,
                    what="Тарифтерди кайра карап чыгуу",
                    responsible_name="Айгүл",
                    due_date=date(2027, 3, 1),
                    status=rng.choice(statuses),
                    municipality_id=rng.choice(municipalities),
                )
                for s in held_sessions
                for _number in range(rng.randint(1, 4))
            ],
            batch_size=5000,
        )


def main(argv=None):
    args = parse_args(argv)
    configure(args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from academy.models import FundingProject
    from bench.reports import measure
    from courses.models import Attempt, Registration
    from reports.services import outcomes, summary
    from reports.services.base import ReportFilters, participants
    from reports.services.outcomes import report as outcomes_report

    print(f"Database: {args.database_url} ({connection.vendor})")
    call_command("migrate", verbosity=0, interactive=False)
    bench_projects = FundingProject.objects.filter(code__startswith=PROJECT_CODE)
    have = Registration.objects.filter(session__funding_project__in=bench_projects).count()
    wanted = (args.registrations // PER_SESSION) * PER_SESSION
    if args.reseed or have != wanted or bench_projects.count() != args.projects:
        started = time.perf_counter()
        seed(args.registrations, args.projects)
        print(f"Bench data built in {time.perf_counter() - started:.1f} s")
    project = FundingProject.objects.get(code=PROJECT_CODE)
    filters = ReportFilters(funding_project_id=project.pk)
    print(
        f"Project {project.code}: {Registration.objects.filter(session__funding_project=project).count():,} "
        f"registrations of {Registration.objects.count():,} in {args.projects} project(s), "
        f"{Attempt.objects.count():,} test attempts"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cases = [
        ("baseline: count the project's participants", lambda: participants(filters).count()),
        ("baseline: donor summary headline", lambda: summary.headline(filters)),
        ("outcome figures (API)", lambda: outcomes.figures(filters)),
        ("outcome report (page, .xlsx)", lambda: outcomes_report.report(filters)),
    ]
    with translation.override("en"):
        results = [(label, *measure(function, args.repeat)) for label, function in cases]
    base = results[0][2] + results[0][3] or 0.001
    summary_cpu = results[1][2] + results[1][3] or 0.001
    print(f"\nload average: {os.getloadavg()[0]:.2f}; {args.repeat} runs each after a warm-up")
    print(
        f"{'case':<45} {'ms (median, wall)':>17} {'CPU ms (app + db)':>19} {'SQL':>4} {'× count':>8} {'× summary':>9}"
    )
    for label, wall, app, db, queries in results:
        cpu = app + db
        mark = ""
        if label.startswith("outcome"):
            mark = f"  target < {TARGET_MS} ms: wall {'met' if wall < TARGET_MS else 'NOT met'}, CPU {'met' if cpu < TARGET_MS else 'NOT met'}"
        print(
            f"{label:<45} {wall:>17.1f} {f'{cpu:.0f} ({app:.0f} + {db:.0f})':>19} {queries:>4} "
            f"{cpu / base:>8.1f} {cpu / summary_cpu:>9.2f}{mark}"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
