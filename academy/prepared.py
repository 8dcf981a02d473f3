"""Querysets compiled once per process, for the signed-in hot paths (issue #17).

Django builds a queryset's SQL anew on every evaluation (names resolved, joins set up, expressions
compiled): on "my registrations" that cost 2 ms of the 3 the query took, and the token lookup 0.3 of 0.9.
`Prepared` builds its `values()` queryset once, with a sentinel standing for each value that changes per
call, keeps the SQL and the column converters, and on each call runs the same SQL with the sentinels'
parameters replaced by the call's values (adapted as the ORM adapts them). The rows are the dicts the
queryset's `values()` would give (tests hold them equal).

On PostgreSQL the SQL is also prepared on the server (see `_cursor`), so it is planned once per connection.

Only for querysets whose SQL does not depend on the values: no `__in` lists, and every value that changes
(a user, a moment, a language) passed as a sentinel, never read inside the builder. Compiling checks that
each sentinel appears among the parameters as it was given.
"""

from datetime import UTC, datetime

from django.db import connections

_INT_BASE = -918273600  # ids are positive: these never match a real row, nor each other
_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _sentinel(kind, position):
    if kind is int:
        return _INT_BASE - position
    if kind is str:
        return f"zz-prepared-{position}-zz"
    if kind is datetime:
        return _MOMENT.replace(microsecond=_MOMENT.microsecond + position)
    raise TypeError(f"Prepared queries take int, str or datetime values, not {kind!r}")


def _adapter(kind, connection):
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value
    return lambda value: value


class Prepared:
    """`Prepared(build, user=int)`; `build(user=<sentinel>)` returns a `values()` queryset; `prepared.rows(user=5)`."""

    def __init__(self, build, using="default", **kinds):
        self.build, self.using, self.kinds = build, using, kinds
        self._compiled = {}  # (alias, vendor) -> (sql, params, slots, names, converters, adapters)

    def _compile(self, connection):
        sentinels = {name: _sentinel(kind, position) for position, (name, kind) in enumerate(self.kinds.items())}
        queryset = self.build(**sentinels)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        adapted = {name: _adapter(self.kinds[name], connection)(value) for name, value in sentinels.items()}
        slots = []
        for value in params:
            slots.append(
                next((name for name, form in adapted.items() if type(value) is type(form) and value == form), None)
            )
        missing = set(sentinels) - set(slots)
        if missing:
            raise ValueError(f"Prepared query: {sorted(missing)} not found among the parameters (transformed?)")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        adapters = {name: _adapter(kind, connection) for name, kind in self.kinds.items()}
        return sql, list(params), slots, names, list(converters.items()), adapters

    def sql(self):
        return self._get(connections[self.using])[0]

    def _get(self, connection):
        key = (connection.alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection)
        return compiled

    def rows(self, **values):
        """The rows as dicts, like `values()` (the keys are the queryset's value and annotation names)."""
        if set(values) != set(self.kinds):
            raise TypeError(f"Prepared query takes {sorted(self.kinds)}, got {sorted(values)}")
        connection = connections[self.using]
        sql, params, slots, names, converters, adapters = self._get(connection)
        params = [
            param if slot is None else adapters[slot](values[slot]) for param, slot in zip(params, slots, strict=True)
        ]
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = list(_converted(rows, converters, connection))
        return [dict(zip(names, row, strict=True)) for row in rows]

    def first(self, **values):
        rows = self.rows(**values)
        return rows[0] if rows else None


def _cursor(connection):
    """A cursor binding on the server where prepared statements are on (PostgreSQL with `prepare_threshold`,
    see `academy.settings.base.prepared_statements`): the same SQL is then planned once per connection. Wrapped
    as Django wraps its own (execute wrappers, database errors). While queries are logged (DEBUG, a test capturing
    them) the plain cursor: Django reads the logged SQL from it, and a prepared execution leaves none."""
    threshold = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold")
    if connection.vendor != "postgresql" or not threshold or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _converted(rows, converters, connection):
    """What the SQL compiler's `apply_converters` does, with the connection of this thread."""
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        yield row
