"""EXPLAIN ANALYZE of every query the benchmarked endpoints run, on the scale data (PostgreSQL).

Each endpoint is requested once in-process (Django's test client) while its queries are captured;
each SELECT is then explained. Reported per endpoint: the number of queries, the slowest query's
execution time, and every sequential scan of a table with more than SEQ_SCAN_ROWS rows (those are
the missing indexes). Writes the full plans to .bench/explain.txt.
"""

import json
import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

SEQ_SCAN_ROWS = 5000


class _Rollback(Exception):
    pass


def _big_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [SEQ_SCAN_ROWS]
        )
        return {name: int(rows) for name, rows in cursor.fetchall()}


def _walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]


def _text_plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _capture(request):
    """The SQL one request runs. Writes are rolled back."""
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in request.headers.items()}
    headers.pop("HTTP_CONTENT_TYPE", None)
    content_type = request.headers.get("Content-Type", "application/json")
    with CaptureQueriesContext(connection) as captured:
        try:
            with transaction.atomic():
                if request.method == "GET":
                    response = client.get(request.path, **headers)
                else:
                    response = client.generic(
                        request.method, request.path, request.body or "", content_type=content_type, **headers
                    )
                raise _Rollback
        except _Rollback:
            pass
    return response.status_code, [query["sql"] for query in captured.captured_queries]


SELECT = re.compile(r"^\s*SELECT\b", re.IGNORECASE)


def _shape(request):
    """The query-string keys of a request: one request of each shape is explained (each filter once)."""
    query = urlsplit(request.path).query
    return tuple(sorted({key for key, _value in parse_qsl(query)}))


def representative(scenario, limit=16):
    """The requests whose queries are explained: for a write, the last one (the load used the first ones:
    that person is registered already); for a read, the second one and one of each filter shape."""
    if scenario.kind == "write":
        return [scenario.requests[-1]]
    chosen = [scenario.requests[min(1, len(scenario.requests) - 1)]]
    shapes = {_shape(chosen[0])}
    for request in scenario.requests:
        shape = _shape(request)
        if shape not in shapes and len(chosen) < limit:
            shapes.add(shape)
            chosen.append(request)
    return chosen


def _explain_request(request, big, lines):
    status, queries = _capture(request)
    seq_scans, slowest = set(), 0.0
    lines.append(f"=== {request.method} {request.path} -> {status}, {len(queries)} queries")
    for sql in queries:
        if not SELECT.match(sql):
            continue
        try:
            with transaction.atomic():
                plan = _explain(sql)
                text = _text_plan(sql)
                raise _Rollback
        except _Rollback:
            pass
        except Exception as error:  # noqa: BLE001 - a query that cannot be explained alone is reported
            lines.append(f"-- could not explain: {error}\n{sql}\n")
            continue
        slowest = max(slowest, plan.get("Execution Time", 0.0))
        for node in _walk(plan["Plan"]):
            table = node.get("Relation Name")
            if node.get("Node Type") == "Seq Scan" and table in big:
                seq_scans.add(table)
        lines.append(sql)
        lines.append(text)
        lines.append("")
    return status, len(queries), slowest, seq_scans


def explain_scenarios(scenarios, out_path):
    """{scenario key: {"path", "status", "queries", "slowest_ms", "seq_scans": [...]}}; full plans to out_path.

    Per scenario, over the requests explained: the most queries, the slowest query (and its request's
    path), and each sequential scan of a big table with the filter shape it came from.
    """
    big = _big_tables()
    summary = {}
    lines = []
    for scenario in scenarios:
        if scenario.skip or not scenario.requests:
            continue
        lines.append(f"##### {scenario.key}")
        item = {"path": "", "status": None, "queries": 0, "slowest_ms": 0.0, "seq_scans": [], "explained": 0}
        scans = defaultdict(set)
        for request in representative(scenario):
            status, count, slowest, seq_scans = _explain_request(request, big, lines)
            item["explained"] += 1
            item["queries"] = max(item["queries"], count)
            if item["status"] is None or slowest > item["slowest_ms"]:
                item.update(path=request.path, status=status, slowest_ms=round(slowest, 2))
            for table in seq_scans:
                scans[table].add(",".join(_shape(request)) or "no filter")
        item["seq_scans"] = [
            f"{table} ({big[table]:,} rows; {'; '.join(sorted(shapes))})" for table, shapes in sorted(scans.items())
        ]
        summary[scenario.key] = item
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines))
    return summary
