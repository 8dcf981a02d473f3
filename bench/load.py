"""Load generators: wrk (Debian package) driven by a Lua script, or a Python fallback with threads.

Both run a closed loop (each connection sends its next request when the previous answer arrives)
for a fixed time, rotate through a list of requests (different objects, different tokens), and
report the same figures: requests, requests/s, p50/p90/p99 latency in ms, and failures (non-2xx/3xx
answers and socket errors).
"""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Request:
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: str = ""


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    failures: int = 0  # non-2xx/3xx answers
    socket_errors: int = 0
    tool: str = ""
    connections: int = 0

    def as_dict(self):
        return asdict(self)


# --- wrk -----------------------------------------------------------------------------------------------


def ensure_wrk(install=True):
    """The path of wrk; installs Debian's package when missing and allowed (needs root). None if unavailable."""
    path = shutil.which("wrk")
    if path or not install:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    print("  installing wrk from Debian's packages ...")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, **quiet)
    return shutil.which("wrk")


def _lua_string(value):
    return json.dumps(value, ensure_ascii=False)  # a JSON string literal is a valid Lua string literal


LUA_TEMPLATE = """
local requests = {
%(requests)s
}
local threads = %(threads)d
local counter = 0
local id = 0
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function request()
  local index = (counter * threads + id) %% #requests + 1
  counter = counter + 1
  local r = requests[index]
  return wrk.format(r[1], r[2], r[3], r[4])
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%%d,"duration_us":%%d,"p50":%%d,"p90":%%d,"p99":%%d,"max":%%d,' ..
    '"status":%%d,"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def _lua_request(request):
    headers = ", ".join(f"[{_lua_string(name)}] = {_lua_string(value)}" for name, value in request.headers.items())
    body = _lua_string(request.body) if request.body else "nil"
    return f"  {{{_lua_string(request.method)}, {_lua_string(request.path)}, {{{headers}}}, {body}}},"


def run_wrk(base_url, requests, *, wrk, duration, connections, threads=1, work_dir):
    script = Path(work_dir) / "bench.lua"
    script.write_text(
        LUA_TEMPLATE % {"requests": "\n".join(_lua_request(request) for request in requests), "threads": threads}
    )
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base_url + requests[0].path,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {completed.stdout[-1500:]} {completed.stderr[-1500:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return Result(
        requests=data["requests"],
        seconds=round(seconds, 2),
        rps=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(data["p50"] / 1000, 2),
        p90_ms=round(data["p90"] / 1000, 2),
        p99_ms=round(data["p99"] / 1000, 2),
        max_ms=round(data["max"] / 1000, 2),
        failures=data["status"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        tool="wrk",
        connections=connections,
    )


# --- the Python fallback ----------------------------------------------------------------------------------


def _percentile(sorted_values, percent):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(percent / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def run_python(base_url, requests, *, duration, connections, **_ignored):
    """Threads with http.client: slower than wrk (the GIL), but needs nothing installed."""
    host, port = base_url.removeprefix("http://").split(":")
    latencies, failures, errors = [], [0], [0]
    lock = threading.Lock()
    counter = [0]
    stop_at = time.monotonic() + duration

    def worker():
        local, local_failures, local_errors = [], 0, 0
        while time.monotonic() < stop_at:
            with lock:
                request = requests[counter[0] % len(requests)]
                counter[0] += 1
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
                connection.request(request.method, request.path, body=request.body or None, headers=request.headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status >= 400:
                    local_failures += 1
            except OSError:
                local_errors += 1
                continue
            local.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(local)
            failures[0] += local_failures
            errors[0] += local_errors

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _index in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    seconds = time.monotonic() - started
    latencies.sort()
    return Result(
        requests=len(latencies),
        seconds=round(seconds, 2),
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(_percentile(latencies, 50), 2),
        p90_ms=round(_percentile(latencies, 90), 2),
        p99_ms=round(_percentile(latencies, 99), 2),
        max_ms=round(latencies[-1], 2) if latencies else 0.0,
        failures=failures[0],
        socket_errors=errors[0],
        tool="python",
        connections=connections,
    )


def fetch(base_url, request, timeout=30):
    """One request outside the load (warm-up, checks): (status, body bytes, headers)."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(request.method, request.path, body=request.body or None, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()
