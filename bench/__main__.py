"""`python -m bench` (`make bench`): load benchmarks on PostgreSQL and gunicorn, against a baseline.

    python -m bench                       # quick: the `small` scale set (5 % of the target)
    python -m bench --scale target        # 100,000 people, 10,000 sessions, 300,000 registrations, ...
    python -m bench --only sessions_api,register --duration 20
    python -m bench --write               # also update the figures in BENCHMARKS.md

Steps: create and migrate the `bench_<scale>` database, generate the scale set (kept between runs of
the same scale), start `gunicorn academy.wsgi` with 2 workers and settings `academy.settings.bench`,
run each endpoint for `--duration` seconds with wrk (installed from Debian's packages when missing;
a Python load tool otherwise), count overbooked sessions, read the workers' memory, EXPLAIN every
endpoint's queries, then run the other areas' benches (bench/certificates.py, bench/reports.py).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
from contextlib import redirect_stdout
from datetime import datetime

from bench import load, report, server

SCENARIO_KEYS = [
    "baseline",
    "sessions_api",
    "courses_api",
    "course_index",
    "course_page",
    "session_page",
    "verify_page",
    "verify_json",
    "short_link",
    "qr_png",
    "my_registrations_api",
    "my_trainings",
    "register",
    "checkin",
]
OTHER_BENCHES = ["certificates", "reports", "qualification", "search", "assessments"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "medium", "target"])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per endpoint.")
    parser.add_argument("--connections", type=int, default=4, help="Concurrent connections of the load tool.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument(
        "--baseline-every",
        type=int,
        default=3,
        metavar="SECONDS",
        help="Seconds of baseline load right before each endpoint (its ratio's denominator; 0: the first only).",
    )
    parser.add_argument("--only", help="Comma-separated scenario keys: " + ", ".join(SCENARIO_KEYS))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="Default: postgres://postgres@127.0.0.1:5432/bench_<scale> (one database per scale, kept between runs).",
    )
    parser.add_argument("--reseed", action="store_true", help="Regenerate the scale set even if it is there.")
    parser.add_argument("--python-load", action="store_true", help="Use the Python load tool even if wrk exists.")
    parser.add_argument("--no-install", action="store_true", help="Do not apt-get install wrk when it is missing.")
    parser.add_argument("--no-explain", action="store_true", help="Skip EXPLAIN ANALYZE of the endpoints' queries.")
    parser.add_argument("--no-others", action="store_true", help="Skip bench/certificates.py and bench/reports.py.")
    parser.add_argument(
        "--others", default=",".join(OTHER_BENCHES), help="Which other benches to run (default: %(default)s)."
    )
    parser.add_argument("--write", action="store_true", help="Write the figures into BENCHMARKS.md.")
    parser.add_argument(
        "--wait-idle", type=int, default=0, metavar="SECONDS", help="First wait up to this long for a quiet machine."
    )
    args = parser.parse_args(argv)
    args.database_url = args.database_url or server.DEFAULT_DATABASE_URL.format(scale=args.scale)
    return args


def configure_environment(args):
    env = {
        "DJANGO_SETTINGS_MODULE": "academy.settings.bench",
        "DATABASE_URL": args.database_url,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if server.redis_available():
        env["CELERY_BROKER_URL"] = server.REDIS_BROKER_URL
        env["CACHE_URL"] = server.REDIS_CACHE_URL
    os.environ.update(env)
    return {**os.environ, **env}


def seed(args, sizes):
    """Generate the scale set unless the same one is already there. Returns a sentence for the report."""
    from django.core.management import call_command

    from bench.scale import existing_counts

    state_path = server.WORK / f"state-{args.database_url.rsplit('/', 1)[-1]}.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    from bench.scale import scale_sessions
    from bench.scenarios import BENCH_PREFIX

    counts = existing_counts()
    same = (
        counts["people"] == sizes.people
        and counts["courses"] == sizes.courses
        and scale_sessions().exclude(title__startswith=BENCH_PREFIX).count() == sizes.sessions
    )
    if same and not args.reseed:
        took = f"generated earlier in {state['seconds']:.0f} s" if state.get("sizes") == sizes.as_dict() else "found"
        return f"reused ({took})", state
    print(f"Generating the `{args.scale}` scale set ...")
    output = io.StringIO()
    started = time.monotonic()
    flags = ["--force"] if counts["people"] or counts["courses"] else []
    with redirect_stdout(output):
        call_command("seed_scale", "--preset", args.scale, *flags, stdout=output)
    seconds = time.monotonic() - started
    print(output.getvalue())
    state = {"sizes": sizes.as_dict(), "seconds": seconds, "output": output.getvalue()[-2000:]}
    server.WORK.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2))
    return f"generated in {seconds:.0f} s", state


class CpuMeter:
    """CPU seconds used by the gunicorn workers and their PostgreSQL backends between two readings."""

    def __init__(self, gunicorn, backends):
        self.gunicorn, self.backends = gunicorn, backends

    def read(self):
        backend_pids = self.backends.pids()
        return {
            "app": {pid: server.process_cpu_seconds(pid) for pid in self.gunicorn.worker_pids()},
            "db": {pid: server.process_cpu_seconds(pid) for pid in backend_pids},
        }

    @staticmethod
    def used(before, after):
        """Per side: the growth of processes seen twice, plus all of those that appeared in between."""
        return {side: sum(value - before[side].get(pid, 0.0) for pid, value in after[side].items()) for side in after}


def _load(args, tool, wrk, gunicorn, requests, duration):
    runner = load.run_python if tool == "python" else load.run_wrk
    return runner(
        gunicorn.base_url,
        requests,
        duration=duration,
        connections=args.connections,
        **({} if tool == "python" else {"wrk": wrk, "work_dir": server.WORK}),
    )


def _warm_up(scenario, gunicorn):
    if scenario.kind == "write":  # a request that changes nothing (a session that does not exist, a bad code)
        return [load.fetch(gunicorn.base_url, scenario.probe)[0] for _attempt in range(4)] if scenario.probe else []
    return [load.fetch(gunicorn.base_url, request)[0] for request in scenario.requests[:6]]


def run_scenarios(args, scenarios, gunicorn, wrk, backends):
    """Each endpoint under load, right after a short run of the baseline view (the ratio's denominator).

    On a shared machine the load of other work changes from minute to minute; the baseline measured
    just before each endpoint moves with it, so the ratio stays comparable. The CPU time the workers
    and their PostgreSQL backends used, divided by the requests served, is what a request costs
    whatever else runs: `2 cores / that` estimates the throughput of two idle cores.
    """
    results = {}
    tool = "python" if (args.python_load or not wrk) else "wrk"
    meter = CpuMeter(gunicorn, backends)
    baseline = next((scenario for scenario in scenarios if scenario.kind == "baseline"), None)
    for scenario in scenarios:
        entry = {"label": scenario.label, "kind": scenario.kind, "loadavg": server.loadavg()}
        results[scenario.key] = entry
        if scenario.refresh is not None and not scenario.skip:
            scenario.requests = scenario.refresh()
        if scenario.skip or not scenario.requests:
            entry["skip"] = scenario.skip or "nothing to request"
            print(f"  {scenario.key:<22} skipped: {entry['skip']}")
            continue
        statuses = _warm_up(scenario, gunicorn)
        if scenario.kind != "write" and not set(statuses) & set(scenario.expect):
            entry["skip"] = f"{scenario.requests[0].path} answers {sorted(set(statuses))} (not there yet?)"
            print(f"  {scenario.key:<22} skipped: {entry['skip']}")
            continue
        entry["warmup_statuses"] = sorted(set(statuses))
        if baseline is not None and scenario is not baseline and args.baseline_every:
            entry["baseline"] = _load(args, tool, wrk, gunicorn, baseline.requests, args.baseline_every).as_dict()
        before = meter.read()
        result = _load(args, tool, wrk, gunicorn, scenario.requests, args.duration)
        used = meter.used(before, meter.read())
        entry["result"] = result.as_dict()
        if result.requests:
            entry["cpu_ms"] = {side: round(seconds * 1000 / result.requests, 2) for side, seconds in used.items()}
        adjacent = entry.get("baseline")
        ratio = f"  × baseline {result.p50_ms / adjacent['p50_ms']:.1f}" if adjacent and adjacent["p50_ms"] else ""
        cpu = entry.get("cpu_ms", {})
        minimal = sum(results.get("baseline", {}).get("cpu_ms", {}).values())
        if minimal and cpu and scenario is not baseline:
            ratio += f"  CPU {sum(cpu.values()):.2f} ms = {sum(cpu.values()) / minimal:.1f}× minimal view"
        print(
            f"  {scenario.key:<22} {result.rps:>8.0f} req/s  p50 {result.p50_ms:>6.1f} ms  p99 {result.p99_ms:>7.1f} ms"
            f"{ratio}  CPU/request app {cpu.get('app', 0):.2f} ms db {cpu.get('db', 0):.2f} ms"
            f"  failures {result.failures + result.socket_errors}  (warm-up {entry['warmup_statuses']})"
        )
    return results, tool


def run_others(env, names=OTHER_BENCHES, timeout=1800):
    outputs = {}
    for name in names:
        if name not in OTHER_BENCHES:
            raise SystemExit(f"Unknown bench {name!r}: one of {', '.join(OTHER_BENCHES)}")
        if not (server.ROOT / "bench" / f"{name}.py").exists():
            continue
        print(f"Running bench/{name}.py ...")
        try:
            completed = subprocess.run(
                [sys.executable, "-m", f"bench.{name}"],
                cwd=server.ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            outputs[name] = completed.stdout + (
                f"\n(exit {completed.returncode}) {completed.stderr[-1500:]}" if completed.returncode else ""
            )
        except subprocess.TimeoutExpired:
            outputs[name] = f"(timed out after {timeout} s)"
        print(outputs[name][-2000:])
    return outputs


def main(argv=None):
    args = parse_args(argv)
    env = configure_environment(args)
    server.WORK.mkdir(parents=True, exist_ok=True)
    created = server.ensure_database(args.database_url)
    print(
        f"Database {args.database_url} {'created' if created else 'found'}; Redis: {'yes' if 'CACHE_URL' in env else 'no'}"
    )

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import scenarios as scenario_module
    from bench.scale import PRESETS

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    sizes = PRESETS[args.scale]
    seed_summary, _state = seed(args, sizes)
    print(f"Scale set `{args.scale}`: {seed_summary}")

    wrk = None if args.python_load else load.ensure_wrk(install=not args.no_install)
    people = max(100, sizes.people - max(5, sizes.people // 1000))
    scenarios = scenario_module.prepare(register_tokens=min(people, max(3000, args.duration * 1500)))
    if args.only:
        wanted = {key.strip() for key in args.only.split(",")}
        scenarios = [scenario for scenario in scenarios if scenario.key in wanted or scenario.key == "baseline"]
    connection.close()

    run = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "scale": args.scale,
        "sizes": sizes.as_dict(),
        "seed": seed_summary,
        "machine": server.machine(),
        "postgres": server.postgres_version(args.database_url),
        "redis": "yes (cache and Celery broker)" if "CACHE_URL" in env else "no (local memory cache, eager Celery)",
        "duration": args.duration,
        "connections": args.connections,
        "workers": args.workers,
    }
    if args.wait_idle:
        print(f"Waiting up to {args.wait_idle} s for the load average to drop ...")
        server.wait_until_idle(timeout=args.wait_idle)
    run["machine"]["loadavg_before"] = server.loadavg()
    print(f"Starting gunicorn ({args.workers} workers; load average {run['machine']['loadavg_before']}) ...")
    with server.Gunicorn(env, workers=args.workers) as gunicorn:
        results, tool = run_scenarios(args, scenarios, gunicorn, wrk, server.PostgresBackends(args.database_url))
        run["memory"] = {str(pid): values for pid, values in gunicorn.memory().items()}
    run["machine"]["loadavg_after"] = server.loadavg()
    run["tool"] = tool
    run["results"] = results

    register = next((scenario for scenario in scenarios if scenario.key == "register"), None)
    if register is not None and "result" in results.get("register", {}):
        results["register"]["outcome"] = scenario_module.registration_outcome(register.session_ids)
    run["overbooked"] = scenario_module.overbooked_sessions()
    if "CELERY_BROKER_URL" in env:
        server.purge_redis_queue()
    print(f"Overbooked sessions: {len(run['overbooked'])}; workers' memory (MB): {run['memory']}")

    if not args.no_explain:
        from bench.explain import explain_scenarios

        print("EXPLAIN ANALYZE of the endpoints' queries ...")
        run["explain"] = explain_scenarios(scenarios, server.WORK / "explain.txt")
        for key, item in run["explain"].items():
            print(
                f"  {key:<22} {item['queries']:>3} queries, slowest {item['slowest_ms']} ms, seq scans: {item['seq_scans']}"
            )
    if not args.no_others:
        run["others"] = run_others(env, [name.strip() for name in args.others.split(",") if name.strip()])

    path = report.save(run)
    print()
    print(report.markdown(run))
    print(f"Results: {path}")
    if args.write:
        report.update_markdown(run, server.ROOT / "BENCHMARKS.md")
        print("BENCHMARKS.md updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
