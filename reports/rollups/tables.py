"""What the rollups (``people``, ``sessions``, ``surveys``) share: putting their triggers in and
taking them out, recomputing a whole table, listing the rows that differ from a recomputation, and the shapes of
their trigger code."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections


def execute(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(schema_editor, *, postgresql, sqlite):
    """Run the install statements of the connection's database (`postgresql`, `sqlite`: functions giving them)."""
    vendor = schema_editor.connection.vendor
    builders = {"postgresql": postgresql, "sqlite": sqlite}
    if vendor not in builders:
        raise NotImplementedError(f"No rollup triggers for {vendor}")
    execute(schema_editor, builders[vendor]())


def uninstall(schema_editor, *, postgresql, sqlite_triggers):
    """Drop the triggers (and on PostgreSQL the functions): `postgresql` statements, or the SQLite trigger names."""
    if schema_editor.connection.vendor == "postgresql":
        execute(schema_editor, postgresql)
    else:
        execute(schema_editor, [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_triggers])


def rebuild(using, table, insert):
    """Empty `table` and fill it again with `insert(vendor)`, an INSERT … SELECT of every row."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(insert(connection.vendor))


def differences(using, stored, computed, key_width=1, normal=tuple):
    """[(key, stored values, computed values)] where the rows of the SELECT `stored` and of `computed(vendor)`
    differ, each row's first `key_width` columns being its key (a single column: the key itself), its other
    columns passed through `normal` (where the database gives one value in two forms)."""
    connection = connections[using]

    def keyed(rows):
        return {(row[0] if key_width == 1 else tuple(row[:key_width])): normal(row[key_width:]) for row in rows}

    with connection.cursor() as cursor:
        cursor.execute(stored)
        stored_rows = keyed(cursor.fetchall())
        cursor.execute(computed(connection.vendor))
        computed_rows = keyed(cursor.fetchall())
    return [
        (key, stored_rows.get(key), computed_rows.get(key))
        for key in sorted(set(stored_rows) | set(computed_rows))
        if stored_rows.get(key) != computed_rows.get(key)
    ]


def sqlite_trigger(name, event, table, statements, when=""):
    """A SQLite row trigger running `statements` after `event` on `table` (when the SQL `when` holds)."""
    body = "".join(f"    {statement};\n" for statement in statements)
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} {when}\nBEGIN\n{body}END"


#: Rows of a statement above which a PostgreSQL trigger plans its queries anew (see `bulk_safe`).
BULK = 100


def bulk_safe(rows, steps):
    """PL/pgSQL running `steps` ([(guard SELECT or None, call)]: `PERFORM call` when the guard finds a row)
    with the plans PL/pgSQL caches for the session when the statement wrote at most `BULK` rows (the transition
    table `rows`), and planned anew (EXECUTE, no guards) when it wrote more. A cached plan was made for the
    first statement's transition tables, usually one row: it joins two 10,000-row transition tables in a nested
    loop, minutes instead of milliseconds."""
    static = "\n".join(
        f"IF EXISTS ({guard}) THEN PERFORM {call}; END IF;" if guard else f"PERFORM {call};" for guard, call in steps
    )
    planned = "\n".join(f"EXECUTE $bulk$SELECT {call}$bulk$;" for _guard, call in steps)
    return f"IF (SELECT count(*) FROM {rows}) > {BULK} THEN\n{planned}\nELSE\n{static}\nEND IF;"


def locked_recompute(name, statements):
    """A PostgreSQL function `name(people, ids)` running `statements` (SQL on the sessions `ids`) under the rollup
    locks (people's buckets, then the sessions'), and nothing at all when there is no session."""
    body = "".join(f"    {statement};\n" for statement in statements)
    return f"""
CREATE OR REPLACE FUNCTION {name}(people bigint[], ids bigint[]) RETURNS void AS $$
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM reports_rollup_lock(people, ids);
{body}END;
$$ LANGUAGE plpgsql
"""


def sqlite_local(column):
    """SQLite modifier arguments turning the UTC `column` into settings.TIME_ZONE's wall time (``strftime('%Y',
    column, '+360 minutes')``): SQLite knows no time zones, so only a zone without daylight saving will do."""
    zone = ZoneInfo(settings.TIME_ZONE)
    offsets = {datetime(2024, month, 1, tzinfo=UTC).astimezone(zone).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        raise NotImplementedError(f"SQLite rollups need a time zone without daylight saving, not {zone}")
    minutes = int(offsets.pop().total_seconds() // 60)
    return f"{column}, '{minutes:+d} minutes'"


def fold(using, table, key, sums):
    """Replace the rows of an append-only counter `table` by one per `key` (columns) with the `sums` (columns) of
    its rows, dropping keys whose sums are all zero. Rows appended meanwhile by other transactions are kept as
    they are (PostgreSQL: one statement, which deletes only the rows it sums; SQLite: one writer at a time)."""
    connection = connections[using]
    keys, totals = ", ".join(key), ", ".join(f"SUM({name})" for name in sums)
    nonzero = " OR ".join(f"SUM({name}) <> 0" for name in sums)
    columns = ", ".join((*key, *sums))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING {columns}) INSERT INTO {table} ({columns}) "
                f"SELECT {keys}, {totals} FROM gone GROUP BY {keys} HAVING {nonzero}"
            )
            return
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        (last,) = cursor.fetchone()
        if last is None:
            return
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {keys}, {totals} FROM {table} WHERE id <= %s "
            f"GROUP BY {keys} HAVING {nonzero}",
            [last],
        )
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last])


def summed(table, key, sums):
    """SELECT of the key and the sums of an append-only counter `table`, keys whose sums are all zero left out."""
    keys = ", ".join(key)
    nonzero = " OR ".join(f"SUM({name}) <> 0" for name in sums)
    return f"SELECT {keys}, {', '.join(f'SUM({name})' for name in sums)} FROM {table} GROUP BY {keys} HAVING {nonzero}"
