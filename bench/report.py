"""Turn a bench run into JSON (kept under .bench/results/) and the Markdown tables of BENCHMARKS.md."""

import json
import re
from pathlib import Path

from bench.server import WORK

RESULTS = WORK / "results"
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"

# Targets on a 2-core machine at the target scale (issue #8).
READ_P50_MS = 20
REDIRECT_RPS = 500
REGISTER_RPS = 200
WORKER_RSS_MB = 250


def save(run):
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = run["started"].replace(":", "").replace("-", "")[:15]
    for path in (RESULTS / f"{stamp}-{run['scale']}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(run, indent=2, ensure_ascii=False))
    return RESULTS / "latest.json"


def verdict(key, kind, result, baseline_rps):
    """The target this endpoint has, and whether it was met."""
    checks = []
    if kind in ("read", "redirect"):
        checks.append((f"p50 < {READ_P50_MS} ms", result["p50_ms"] < READ_P50_MS))
    if key in ("verify_page", "verify_json", "short_link"):
        checks.append((f"≥ {REDIRECT_RPS} req/s", result["rps"] >= REDIRECT_RPS))
    if key == "register":
        checks.append((f"≥ {REGISTER_RPS} req/s", result["rps"] >= REGISTER_RPS))
    if not checks:
        return ""
    return "; ".join(f"{label} {'✅' if ok else '❌'}" for label, ok in checks)


def markdown(run):
    lines = []
    machine = run["machine"]
    lines.append(
        f"Run of {run['started']} — scale `{run['scale']}` "
        f"({', '.join(f'{k} {v:,}' for k, v in run['sizes'].items() if not isinstance(v, bool))}), "
        f"load tool `{run['tool']}`, {run['connections']} connections, {run['duration']} s per endpoint, "
        f"gunicorn {run['workers']} sync workers."
    )
    lines.append("")
    lines.append(
        f"Machine: {machine['nproc']} CPU ({machine['cpu']}), {machine['ram_gb']} GB RAM, "
        f"PostgreSQL {run.get('postgres', '?')}, Python {machine['python']}, Redis: {run.get('redis', 'no')}. "
        f"Load average before / after: {machine.get('loadavg_before')} / {machine.get('loadavg_after')}."
    )
    busiest = max(
        (value for value in (machine.get("loadavg_before"), machine.get("loadavg_after")) if value), default=0
    )
    if busiest > 1:
        lines.append("")
        lines.append(
            f"**Shared machine:** other work on the machine used the same {machine['nproc']} cores "
            f"during this run — a load average of {busiest:.1f} is about {busiest / machine['nproc']:.0f}× as much "
            "runnable work as there are cores. The absolute latencies and throughputs below are pessimistic and "
            "change from run to run; the × baseline columns (the minimal view measured just before each endpoint) "
            "and the CPU ms/request are what stays comparable."
        )
    lines.append("")
    lines.append(
        "| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | × baseline p50 | × baseline req/s "
        "| CPU ms/request (app + db) | CPU × minimal view | est. req/s, 2 idle cores | failures | target |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    minimal_cpu = sum((run["results"].get("baseline", {}).get("cpu_ms") or {}).values())
    first_baseline = run["results"].get("baseline", {}).get("result")
    cores = machine.get("nproc") or 2
    for key, entry in run["results"].items():
        if entry.get("skip"):
            lines.append(f"| {entry['label']} | — | — | — | — | — | — | — | — | — | — | — | skipped: {entry['skip']} |")
            continue
        result = entry["result"]
        baseline = entry.get("baseline") or first_baseline  # the run just before this endpoint, when there is one
        ratio_p50 = ratio_rps = "—"
        if baseline and key != "baseline" and baseline["p50_ms"] and result["rps"]:
            ratio_p50 = f"{result['p50_ms'] / baseline['p50_ms']:.1f}"
            ratio_rps = f"{baseline['rps'] / result['rps']:.1f}"
        cpu = entry.get("cpu_ms")
        cpu_text = estimate = cpu_ratio = "—"
        if cpu:
            total = cpu.get("app", 0) + cpu.get("db", 0)
            cpu_text = f"{total:.1f} ({cpu.get('app', 0):.1f} + {cpu.get('db', 0):.1f})"
            if minimal_cpu and key != "baseline":
                cpu_ratio = f"{total / minimal_cpu:.1f}"
            estimate = f"{cores * 1000 / total:,.0f}" if total else "—"
        failures = result["failures"] + result["socket_errors"]
        lines.append(
            f"| {entry['label']} | {result['requests']:,} | {result['rps']:,.0f} | {result['p50_ms']:.1f} | "
            f"{result['p90_ms']:.1f} | {result['p99_ms']:.1f} | {ratio_p50} | {ratio_rps} | {cpu_text} | {cpu_ratio} | {estimate} | "
            f"{failures:,} | {verdict(key, entry['kind'], result, baseline['rps'] if baseline else 0)} |"
        )
    lines.append("")
    register = run["results"].get("register", {})
    if register.get("outcome") is not None:
        lines.append(
            f"Registration rush: outcome {register['outcome']}; sessions overbooked after the run: "
            f"**{len(run.get('overbooked', []))}** (whole database)."
        )
        lines.append("")
    memory = run.get("memory", {})
    if memory:
        worst = max(values["peak_mb"] for values in memory.values())
        lines.append(
            "gunicorn workers after the run (VmRSS / peak VmHWM, MB): "
            + ", ".join(f"{values['rss_mb']:.0f} / {values['peak_mb']:.0f}" for values in memory.values())
            + f" — target < {WORKER_RSS_MB} MB {'✅' if worst < WORKER_RSS_MB else '❌'}"
        )
        lines.append("")
    if run.get("seed"):
        lines.append(f"Scale set: {run['seed']}")
        lines.append("")
    explain = run.get("explain") or {}
    if explain:
        lines.append(
            "EXPLAIN ANALYZE of each endpoint's queries on the scale data (in-process, one request per filter shape; "
            "full plans in `.bench/explain.txt`):"
        )
        lines.append("")
        lines.append(
            "| endpoint | requests explained | most queries | slowest query ms (its request) "
            "| sequential scans of tables > 5,000 rows |"
        )
        lines.append("| --- | ---: | ---: | ---: | --- |")
        for key, item in explain.items():
            scans = ", ".join(item["seq_scans"]) or "none"
            lines.append(
                f"| {key} | {item.get('explained', 1)} | {item['queries']} | {item['slowest_ms']} "
                f"(`{item['path'][:70]}`) | {scans} |"
            )
        lines.append("")
    for name, output in (run.get("others") or {}).items():
        lines.append(f"`bench/{name}.py`:")
        lines.append("")
        lines.append("```")
        lines.append(output.strip()[-3000:])
        lines.append("```")
        lines.append("")
    return "\n".join(lines)


def update_markdown(run, path):
    """Replace the results section of BENCHMARKS.md (between the markers) with this run's tables."""
    path = Path(path)
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    block = f"{BEGIN}\n{markdown(run)}\n{END}"
    text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _match: block, text, flags=re.DOTALL)
    path.write_text(text)
