"""Best-practice index and pages against the course catalogue's: `python -m bench.practices`.

    python -m bench.practices                          # PostgreSQL `bench_practices` (created when missing)
    python -m bench.practices --practices 500 --repeat 20

A scratch database (never the one you work in): `--database-url`, else `BENCH_PRACTICES_DATABASE_URL`, else
postgres://postgres@127.0.0.1:5432/bench_practices. Migrated and given the demo academy (`seed_demo`: its
courses, sessions, practices with photos, journal), then `--practices` more practice pages under the Kyrgyz
index (copies of the demo's, spread over every municipality, year and topic), kept for the next run.

Then, in this process with Django's test client and settings `academy.settings.bench` (DEBUG off), as an
anonymous visitor on a phone would ask: the course index and a course page, the practice index (plain, and
filtered by oblast, topic and year, and its last page) and a practice page. Each is timed `--repeat` times
after a warm-up, twice: **cold**, the cached pages dropped before each request (what the first visitor after an
editor's change waits for: the queries and the templates), and **warm**, the same page again (the cache).
Printed: wall p50 / p95 and this process's CPU p50 in ms, the SQL statements of a cold request, and each page's
ratio to the course page of the same kind (index to index, page to page) measured in the same run. The
minimal view (/bench/baseline/) is the yardstick of both.

Target (issue 21): practice index and pages as fast as course pages.
"""

import argparse
import io
import os
import random
import sys
import time

SLUG_PREFIX = "bench-practice-"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.practices", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PRACTICES_DATABASE_URL"))
    parser.add_argument("--practices", type=int, default=1000, help="Practice pages added to the demo's.")
    parser.add_argument("--repeat", type=int, default=30)
    return parser.parse_args(argv)


def cold_queries(client, url, before):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # what only the first request of a process does (renditions made, site root paths read)
    before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def add_practices(count):
    """`count` practice pages under the Kyrgyz index, copies of the demo's over every place, year and topic."""
    from academy.models import Municipality
    from cms.models import PracticeIndexPage, PracticePage, PracticeTopic

    made = PracticePage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if made >= count:
        return made, 0.0
    started = time.monotonic()
    index = PracticeIndexPage.objects.get(locale__language_code="ky")
    model = PracticePage.objects.child_of(index).exclude(slug__startswith=SLUG_PREFIX).order_by("pk").first()
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    topics = list(PracticeTopic.objects.all())
    rng = random.Random(21)
    copied = {
        name: getattr(model, name)
        for name in ("summary", "image_id", "problem", "what_was_done", "partners", "funding_project_id")
    }
    for number in range(made, count):
        page = PracticePage(
            title=f"{model.title} ({number + 1})",
            slug=f"{SLUG_PREFIX}{number + 1:05d}",
            municipality_id=rng.choice(municipalities),
            year=rng.randint(2012, 2026),
            text_language="ky",
            results=model.results.raw_data,
            photos=model.photos.raw_data,
            **copied,
        )
        index.add_child(instance=page)
        page.topics.set(rng.sample(topics, k=min(len(topics), rng.randint(1, 3))))
        page.save()
    return count, time.monotonic() - started


def main(argv=None):
    args = parse_args(argv)
    url = args.database_url or "postgres://postgres@127.0.0.1:5432/bench_practices"
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.bench"
    os.environ["DATABASE_URL"] = url
    from bench import server
    from bench.search import timed  # the same warm-up, percentiles and CPU reading as the search bench

    server.ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from academy.caching import invalidate
    from academy.models import Region
    from cms.models import PracticeIndexPage, PracticePage, PracticeTopic
    from courses.models import CourseIndexPage, CoursePage

    print(f"Database: {url}; load average {os.getloadavg()[0]:.2f}")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if not PracticeIndexPage.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        print(f"Demo academy seeded in {time.monotonic() - started:.0f} s")
    total, spent = add_practices(args.practices)
    if spent:
        print(f"Added practice pages up to {total} in {spent:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    practice_index = PracticeIndexPage.objects.get(locale__language_code="ky")
    practice = PracticePage.objects.live().child_of(practice_index).exclude(slug__startswith=SLUG_PREFIX).first()
    course_index = CourseIndexPage.objects.get(locale__language_code="ky")
    course = CoursePage.objects.live().child_of(course_index).order_by("pk").first()
    live = PracticePage.objects.live().child_of(practice_index).count()
    region = Region.objects.order_by("pk").first()
    topic = PracticeTopic.objects.order_by("pk").first()
    last_page = (live + practice_index.paginate_by - 1) // practice_index.paginate_by
    index_url = practice_index.get_url()
    cases = [
        ("course index", course_index.get_url(), None),
        ("practice index", index_url, "course index"),
        (
            "practice index, oblast + topic + year",
            f"{index_url}?region={region.code}&topic={topic.code}&year=2020",
            "course index",
        ),
        (f"practice index, last page ({last_page})", f"{index_url}?page={last_page}", "course index"),
        ("course page", course.get_url(), None),
        ("practice page (photos, figures, articles)", practice.get_url(), "course page"),
    ]
    print(f"Practices live in ky: {live}; {args.repeat} timed requests each\n")

    client = Client()

    def drop_pages():
        invalidate("catalogue", "content")

    base50, base95, base_cpu = timed(client, "/bench/baseline/", {}, args.repeat)
    print(f"  {'minimal view /bench/baseline/':<44} wall p50 {base50:6.1f} p95 {base95:6.1f}  cpu {base_cpu:5.1f} ms")
    results = {}
    for label, path, compare_to in cases:
        queries = cold_queries(client, path, drop_pages)
        for mode, before in (("cold", drop_pages), ("warm", None)):
            p50, p95, cpu = timed(client, path, {}, args.repeat, before)
            results[(label, mode)] = p50
            against = results.get((compare_to, mode))
            ratio = f"  {p50 / against:.2f}x {compare_to}" if against else ""
            print(
                f"  {label:<44} {mode} wall p50 {p50:6.1f} p95 {p95:6.1f}  cpu {cpu:5.1f} ms"
                f"  {queries if mode == 'cold' else '-':>3} SQL  ({p50 / base50:.1f}x minimal){ratio}"
            )
    worst = max(
        results[(label, mode)] / results[(compare_to, mode)]
        for label, _path, compare_to in cases
        if compare_to
        for mode in ("cold", "warm")
    )
    print(f"\nWorst practice / course ratio (p50): {worst:.2f}x; load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
