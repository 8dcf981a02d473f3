"""The shape every report returns: headline figures, tables and charts, free of HTML.

Views render them, `reports.exports` writes them to .csv / .xlsx, `reports.pdf` to PDF.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

TEXT = "text"
INT = "int"
PERCENT = "percent"
DECIMAL = "decimal"
DATE = "date"


def _is_head(index):
    """`index` is a slice of the first n rows: `rows[:n]`."""
    return (
        isinstance(index, slice)
        and not index.start
        and index.step in (None, 1)
        and index.stop is not None
        and index.stop >= 0
    )


class LazyRows(Sequence):
    """A table's rows, read from the database only as far as they are used.

    A screen shows a table's first rows and how many more the export carries (a COUNT and a LIMIT);
    an export iterates, and reads every row once. `queryset`: a ``values()`` queryset in its final
    order; `convert`: turns a list of its rows into the table's rows; `count`: how many rows there are, when
    the caller knows it already (from a rollup) and the COUNT query is not needed.
    """

    def __init__(self, queryset, convert, count=None):
        self._queryset = queryset
        self._convert = convert
        self._count = count
        self._all = None
        self._head = []
        self._head_size = 0

    def _everything(self):
        if self._all is None:
            self._all = self._convert(list(self._queryset))
        return self._all

    def __len__(self):
        if self._all is not None:
            return len(self._all)
        if self._count is None:
            self._count = self._queryset.count()
        return self._count

    def __getitem__(self, index):
        if self._all is None and _is_head(index):
            if index.stop > self._head_size:
                self._head = self._convert(list(self._queryset[: index.stop]))
                self._head_size = index.stop
            return self._head[: index.stop]
        return self._everything()[index]

    def __iter__(self):
        return iter(self._everything())


@dataclass
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    #: Screens show at most this many rows; exports always carry every row.
    display_limit: int | None = None

    @property
    def displayed_rows(self):
        return self.rows if self.display_limit is None else self.rows[: self.display_limit]

    @property
    def hidden_count(self):
        return 0 if self.display_limit is None else max(0, len(self.rows) - self.display_limit)


@dataclass
class Figure:
    key: str
    label: str
    value: object
    kind: str = INT
    note: str = ""


@dataclass
class Chart:
    key: str
    title: str
    #: "bar": `items` is [(label, value)]; "map": `items` is {region code: (label, value)}.
    kind: str
    items: object
    unit: str = ""
    max_value: float | None = None


@dataclass
class Report:
    key: str
    title: str
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def figure(self, key):
        return next((figure for figure in self.figures if figure.key == key), None)

    def table(self, key):
        return next((table for table in self.tables if table.key == key), None)
