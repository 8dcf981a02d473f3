"""The shape every report returns: headline figures, tables and charts, free of HTML.

Views render them, `reports.exports` writes them to .csv / .xlsx, `reports.pdf` to PDF.
"""

from dataclasses import dataclass, field

TEXT = "text"
INT = "int"
PERCENT = "percent"
DECIMAL = "decimal"
DATE = "date"


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
        return max(0, len(self.rows) - len(self.displayed_rows))


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
