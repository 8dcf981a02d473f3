"""In-process CPU per request of the signed-in hot paths, against the minimal view, on a bench database.

    python -m bench.signed_in --database-url postgres://postgres@127.0.0.1:5432/bench_target
    python -m bench.signed_in --only register --rounds 8 --per-round 60
    python -m bench.signed_in --profile my_trainings      # cProfile of one path: where the time goes
    python -m bench.signed_in --queries my_trainings      # the SQL statements of one request of a path

On a machine shared with other work, wall times and even the HTTP bench's CPU per request move with the
load. This runs the requests through Django's handler in this process (no HTTP, no gunicorn) and reads
two clocks per request: this process's CPU time (`time.process_time`) and its PostgreSQL backend's
(`/proc/<pid>/stat`). Rounds alternate the minimal view and each path, so both see the same neighbours;
the figure per path is the median over rounds. The scale set must already be there (`python -m bench`
generates it); the registration sessions and tokens are made here, fresh, as the load bench makes them.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

PATHS = ["my_registrations_api", "my_trainings", "register"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.signed_in", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scale", default="target", help="Database bench_<scale> when no URL is given.")
    parser.add_argument("--only", help="Comma-separated: " + ", ".join(PATHS))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per-round", type=int, default=50, help="Requests per path and round.")
    parser.add_argument("--profile", metavar="PATH", help="cProfile this path instead (top functions by own time).")
    parser.add_argument("--queries", metavar="PATH", help="Print the SQL statements of one request of this path.")
    args = parser.parse_args(argv)
    args.profile = args.profile or args.queries
    args.database_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/bench_{args.scale}"
    return args


def setup(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.bench")
    os.environ["DATABASE_URL"] = args.database_url
    from bench import server

    if server.redis_available():  # as the load bench: Redis cache, Celery tasks queued (not run in the request)
        os.environ["CELERY_BROKER_URL"] = server.REDIS_BROKER_URL
        os.environ["CACHE_URL"] = server.REDIS_CACHE_URL
    import django

    django.setup()


def backend_cpu(pid):
    """CPU seconds of a PostgreSQL backend (utime + stime), 0 when it is not readable."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Caller:
    """Requests through Django's handler in this process, as gunicorn would pass them."""

    def __init__(self):
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")

    def __call__(self, request):
        headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in request.headers.items()}
        headers.pop("HTTP_CONTENT_TYPE", None)
        if request.method == "POST":
            response = self.client.post(
                request.path, data=request.body or "", content_type="application/json", **headers
            )
        else:
            response = self.client.get(request.path, **headers)
        self.client.cookies.clear()  # each request carries only its own credentials, as in the load bench
        return response.status_code


def backend_pid():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def measure(call, requests, pid):
    """(app ms, db ms) per request over `requests`, and the statuses seen."""
    statuses = set()
    db_before, app_before = backend_cpu(pid), time.process_time()
    for request in requests:
        statuses.add(call(request))
    app = time.process_time() - app_before
    db = backend_cpu(pid) - db_before
    return app * 1000 / len(requests), db * 1000 / len(requests), statuses


def scenarios(args):
    from bench import scenarios as scenario_module

    wanted = set(args.only.split(",")) if args.only else set(PATHS)
    if args.profile:
        wanted = {args.profile}
    needed = args.rounds * args.per_round * 2 + 200
    built = scenario_module.prepare(register_tokens=needed if "register" in wanted else 20)
    return {scenario.key: scenario for scenario in built if scenario.key in wanted | {"baseline"}}


def _cycle(requests, start, count):
    return [requests[(start + offset) % len(requests)] for offset in range(count)]


def run(args):
    from django.db import connection

    found = scenarios(args)
    call = Caller()
    pid = backend_pid()
    baseline = found.pop("baseline")
    for scenario in found.values():  # warm up each path (templates, URL resolvers, translations)
        for request in [scenario.probe] if scenario.kind == "write" and scenario.probe else scenario.requests[:5]:
            call(request)
    if args.queries:
        from django.test.utils import CaptureQueriesContext

        scenario = found[args.queries]
        with CaptureQueriesContext(connection) as queries:
            # A write's probe is the failing request of its warm-up; its requests[7] is a real one, not yet sent.
            status = call(scenario.requests[7])
        print(f"{args.queries}: HTTP {status}, {len(queries)} statements")
        for query in queries.captured_queries:
            print(f"{query['time']:>6} s  {query['sql']}")
        return 0
    if args.profile:
        scenario = found[args.profile]
        requests = _cycle(scenario.requests, 0, args.rounds * args.per_round)
        profiler = cProfile.Profile()
        profiler.enable()
        for request in requests:
            call(request)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("tottime")
        print(f"cProfile of {args.profile}: {len(requests)} requests")
        stats.print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)
        return 0
    figures = {key: [] for key in ["baseline", *found]}
    statuses = {key: set() for key in figures}
    positions = dict.fromkeys(figures, 0)
    load_before = os.getloadavg()[0]
    for _round in range(args.rounds):
        for key, scenario in [("baseline", baseline), *found.items()]:
            requests = _cycle(scenario.requests, positions[key], args.per_round)
            if scenario.kind != "write":
                positions[key] += args.per_round
            else:  # every registration request once: a new person each time
                scenario.requests = scenario.requests[args.per_round :]
            app, db, seen = measure(call, requests, pid)
            figures[key].append((app, db))
            statuses[key] |= seen
    minimal = statistics.median(app + db for app, db in figures["baseline"])
    print(
        f"in-process, {args.rounds} rounds × {args.per_round} requests; load average "
        f"{load_before:.2f} → {os.getloadavg()[0]:.2f}; {connection.settings_dict['NAME']}"
    )
    print(f"{'path':<24}{'app ms':>9}{'db ms':>8}{'total':>8}{'× minimal':>11}  statuses")
    for key, values in figures.items():
        app = statistics.median(value[0] for value in values)
        db = statistics.median(value[1] for value in values)
        total = statistics.median(value[0] + value[1] for value in values)
        print(f"{key:<24}{app:>9.2f}{db:>8.2f}{total:>8.2f}{total / minimal:>10.1f}×  {sorted(statuses[key])}")
    if "register" in found:
        outcome = scenario_module_outcome(found["register"])
        print(f"registration outcome: {outcome}; overbooked sessions: {overbooked()}")
    if "CELERY_BROKER_URL" in os.environ:
        from bench import server

        server.purge_redis_queue()
    return 0


def scenario_module_outcome(scenario):
    from bench.scenarios import registration_outcome

    return registration_outcome(scenario.session_ids)


def overbooked():
    from bench.scenarios import overbooked_sessions

    return len(overbooked_sessions())


def main(argv=None):
    args = parse_args(argv)
    setup(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
