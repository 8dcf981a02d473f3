"""Who is due, where, and the transcript PDF, at the scale set: `.venv/bin/python -m bench.qualification`.

    python -m bench.qualification                               # the `target` scale set (100,000 people)
    python -m bench.qualification --database-url postgres://postgres@127.0.0.1:5432/bench_small --repeat 9

The database is a scale set from `manage.py seed_scale` (bench/scale.py): `--database-url`, else
`BENCH_QUALIFICATION_DATABASE_URL`, else the `bench_<scale>` database `python -m bench` runs it with,
else `bench_target`. When it holds no scale people, `--preset` of them
is generated first (target: 100,000 people, 300,000 registrations; about two minutes here).

Timed in one run, each after a warm-up, `--repeat` times (median wall ms; CPU ms of this process and of
its PostgreSQL backend; SQL statements), each against a baseline measured in the same run:

* **district view**: `reports.services.qualification.build` for the district with the most people, as the
  admin screen calls it (figures per municipality and the first page of people due);
* **API, one oblast**: `GET /api/v1/reports/qualification/?oblast=<id>` for the oblast with the most people,
  through the DRF view (authentication, filter form, service, serializer, JSON rendering);
  baseline for both: a plain count of that oblast's profiles, the least a report of it can read;
* **transcript PDF**: drawing the transcript of the scale person with the most completed trainings
  (`certificates.services.transcripts.transcript_pdf`); baseline: a one-line A4 PDF with plain reportlab.

Targets (issue 18): district view and API < 300 ms, transcript PDF < 50 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_target"
TARGETS = {"district view": 300, "API, one oblast": 300, "transcript PDF": 50}


def default_url():
    """BENCH_QUALIFICATION_DATABASE_URL, else the scale set `python -m bench` runs on (its DATABASE_URL), else
    bench_target."""
    given = os.environ.get("BENCH_QUALIFICATION_DATABASE_URL")
    scale = os.environ.get("DATABASE_URL", "")
    return given or (scale if "/bench_" in scale else DEFAULT_URL)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.qualification", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--preset", default="target", help="Scale set to generate when there is none.")
    parser.add_argument("--repeat", type=int, default=7)
    return parser.parse_args(argv)


def configure(url):
    from bench.reports import ensure_postgres_database

    if url.startswith("postgres"):
        ensure_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.dev"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_scale_set(preset):
    from django.core.management import call_command

    from bench.scale import scale_users

    call_command("migrate", verbosity=0, interactive=False)
    if not scale_users().exists():
        call_command("seed_scale", preset=preset)


def measure(function, repeat):
    """(median wall ms, app CPU ms, db CPU ms, statements) of `function`, after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.reports import _backend_cpu_seconds

    _backend_cpu_seconds()
    with CaptureQueriesContext(connection) as queries:
        function()
    timings = []
    app_started, db_started = time.process_time(), _backend_cpu_seconds()
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    app = (time.process_time() - app_started) * 1000 / repeat
    db = (_backend_cpu_seconds() - db_started) * 1000 / repeat
    return statistics.median(timings), app, db, len(queries)


def plain_pdf():
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 720, "Transcript")
    page.showPage()
    page.save()
    return buffer.getvalue()


def cases():
    from django.db.models import Count
    from rest_framework.test import APIRequestFactory, force_authenticate

    from academy.models import District, Profile, Region, User
    from bench.scale import scale_users
    from certificates.services import transcripts
    from courses.models import Registration
    from reports.api.qualification import QualificationReportView
    from reports.services import qualification

    by_region = (
        Profile.objects.filter(municipality__isnull=False)
        .values("municipality__district__region_id")
        .annotate(people=Count("pk"))
        .order_by("-people")
    )
    region = Region.objects.get(pk=by_region[0]["municipality__district__region_id"])
    by_district = (
        Profile.objects.filter(municipality__district__region=region)
        .values("municipality__district_id")
        .annotate(people=Count("pk"))
        .order_by("-people")
    )
    district = District.objects.get(pk=by_district[0]["municipality__district_id"])
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-qualification@example.org"
    )
    view = QualificationReportView.as_view()
    factory = APIRequestFactory()

    def api():
        request = factory.get("/api/v1/reports/qualification/", {"oblast": region.pk})
        force_authenticate(request, user=admin)
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content[:300]
        return response

    holder_id = (
        Registration.objects.completed()
        .filter(user__in=scale_users())
        .values("user_id")
        .annotate(done=Count("pk"))
        .order_by("-done")[0]["user_id"]
    )
    transcript = transcripts.issue_transcript(User.objects.get(pk=holder_id))
    people = {
        "oblast": Profile.objects.filter(municipality__district__region=region).count(),
        "district": by_district[0]["people"],
        "trainings": len(transcript.snapshot.get("trainings", [])),
    }
    label = f"{region.name_en}: {people['oblast']:,} people; {district.name_en}: {people['district']:,} people"
    return label, [
        (
            "baseline: count the oblast's profiles",
            lambda: Profile.objects.filter(municipality__district__region=region).count(),
        ),
        ("district view", lambda: qualification.build(qualification.Place(district=district))),
        ("API, one oblast", api),
        ("baseline: one-line PDF (reportlab)", plain_pdf),
        (f"transcript PDF ({people['trainings']} trainings)", lambda: transcripts.transcript_pdf(transcript)),
    ]


def main(argv=None):
    args = parse_args(argv)
    configure(args.database_url)
    from django.db import connection
    from django.utils import translation

    from academy.models import Profile
    from courses.models import Registration

    ensure_scale_set(args.preset)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Database: {args.database_url}")
    print(f"Rows: {Profile.objects.count():,} profiles, {Registration.objects.count():,} registrations")
    with translation.override("ky"):
        label, listed = cases()
        print(label)
        results = [(name, *measure(function, args.repeat)) for name, function in listed]
    print(f"\nload average: {os.getloadavg()[0]:.2f}; {args.repeat} runs each")
    print(f"{'case':<42} {'ms (median)':>11} {'CPU ms (app + db)':>19} {'SQL':>4} {'x baseline CPU':>14} target")
    baseline = None
    for name, milliseconds, app, db, statements in results:
        cpu = app + db
        if name.startswith("baseline"):
            baseline = cpu or 0.001
        target = next(
            (
                f"< {limit} ms {'✅' if milliseconds < limit else '❌'}"
                for key, limit in TARGETS.items()
                if name.startswith(key)
            ),
            "",
        )
        print(
            f"{name:<42} {milliseconds:>11.1f} {f'{cpu:.1f} ({app:.1f} + {db:.1f})':>19} {statements:>4} "
            f"{cpu / baseline:>14.1f} {target}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
