"""The servers a benchmark runs against: a dedicated PostgreSQL database, Redis when present, gunicorn.

Nothing here imports Django: the bench process sets its environment up first, then Django.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"  # runtime files: static files, logs, results (not in git)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_{scale}"  # one database per scale set
# Several people bench on one machine: BENCH_REDIS_BROKER_URL / BENCH_REDIS_CACHE_URL give each their own Redis dbs.
REDIS_BROKER_URL = os.environ.get("BENCH_REDIS_BROKER_URL", "redis://127.0.0.1:6379/12")
REDIS_CACHE_URL = os.environ.get("BENCH_REDIS_CACHE_URL", "rediscache://127.0.0.1:6379/13")


def reachable(host, port, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- PostgreSQL ------------------------------------------------------------------------------------


def ensure_database(url):
    """Create the bench database when it is missing (connecting to the server's `postgres` database)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"Unexpected database name in {url!r}")
    admin_url = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
                return True
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL is unreachable at {admin_url}: {error}")
    return False


def postgres_version(url):
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


# --- Redis -------------------------------------------------------------------------------------------


def redis_available():
    return reachable("127.0.0.1", 6379)


def purge_redis_queue(url=REDIS_BROKER_URL):
    """Drop the Celery messages the registrations queued (no worker runs during the bench)."""
    try:
        import redis

        client = redis.Redis.from_url(url)
        client.flushdb()
    except Exception as error:  # noqa: BLE001 - a leftover queue is harmless; say so and go on
        print(f"  (could not purge the bench Redis database: {error})")


# --- gunicorn ----------------------------------------------------------------------------------------


class Gunicorn:
    """`gunicorn academy.wsgi` with N sync workers on 127.0.0.1, as production runs it behind a proxy."""

    def __init__(self, env, *, workers=2, port=None, log_dir=WORK):
        self.env = env
        self.workers = workers
        self.port = port or free_port()
        self.log_path = Path(log_dir) / "gunicorn.log"
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "academy.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log_path.read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.base_url + "/bench/baseline/", timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer in time:\n" + self.log_path.read_text()[-3000:])

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def worker_pids(self):
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may contain spaces or parentheses; fields after the last ")" are fixed.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                pids.append(int(entry.name))
        return sorted(pids)

    def cpu_seconds(self):
        """User + system CPU seconds the workers have used so far (see `process_cpu_seconds`)."""
        return sum(process_cpu_seconds(pid) for pid in self.worker_pids())

    def memory(self):
        """{pid: {"rss_mb", "peak_mb"}} of each worker, from /proc/<pid>/status (VmRSS and VmHWM)."""
        result = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            values = {}
            for line in status.splitlines():
                name, _sep, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    values[name] = int(rest.split()[0]) / 1024
            result[pid] = {"rss_mb": round(values.get("VmRSS", 0), 1), "peak_mb": round(values.get("VmHWM", 0), 1)}
        return result

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- CPU time: what a request costs, whatever else runs on the machine ---------------------------------


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(pid):
    """utime + stime of a process from /proc/<pid>/stat (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # fields 14 and 15 of proc(5), counted after ")"


class PostgresBackends:
    """The server processes serving the bench database's other connections (gunicorn's, persistent).

    PostgreSQL runs on this machine (loopback), so their CPU time is readable in /proc; when it runs
    elsewhere, `cpu_seconds()` stays at 0 and only the application's CPU is reported.
    """

    def __init__(self, url):
        self.url = url

    def pids(self):
        import psycopg

        try:
            with psycopg.connect(self.url, connect_timeout=5) as connection:
                rows = connection.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
        except psycopg.Error:
            return []
        return [row[0] for row in rows]

    def cpu_seconds(self, pids=None):
        return sum(process_cpu_seconds(pid) for pid in (self.pids() if pids is None else pids))


# --- the machine ---------------------------------------------------------------------------------------


def machine():
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "ram_gb": round(ram_gb, 1),
        "python": sys.version.split()[0],
        "kernel": os.uname().release,
        "loadavg_before": loadavg(),
    }


def loadavg():
    """The 1-minute load average: other work on the machine skews every figure."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def wait_until_idle(limit=0.5, timeout=600):
    """Wait (up to `timeout` s) until the 1-minute load average drops below `limit`. Returns the last value."""
    deadline = time.monotonic() + timeout
    value = loadavg()
    while value is not None and value >= limit and time.monotonic() < deadline:
        time.sleep(5)
        value = loadavg()
    return value
