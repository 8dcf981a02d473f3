"""Reports to .csv and .xlsx: the headline figures first, then every table in full.

Text goes through `academy.spreadsheets.safe_text` (an apostrophe before = + - @ tab CR),
so a participant's comment can never run as a formula on an admin's computer.
"""

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from academy.spreadsheets import csv_delimiter, safe_text

from .services.structures import DATE, TEXT

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value, kind=TEXT):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, date):
        return value if kind == DATE else str(value)
    return safe_text(value)


def _figure_rows(report):
    for figure in report.figures:
        yield [safe_text(figure.label), _cell(figure.value, figure.kind), safe_text(figure.note or "")]


def filename(report, extension):
    stamp = timezone.localdate().isoformat()
    return f"{slugify(report.key.replace('_', '-'))}-{stamp}.{extension}"


def to_csv(report, filter_lines=(), delimiter=","):
    """UTF-8 with a BOM (Excel opens Cyrillic correctly), sections separated by a blank row; `delimiter`
    from `academy.spreadsheets.csv_delimiter`."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([safe_text(report.title)])
    for line in filter_lines:
        writer.writerow([safe_text(line)])
    if report.figures:
        writer.writerow([])
        writer.writerow([_("Figure"), _("Value"), _("Note")])
        writer.writerows(_figure_rows(report))
    for table in report.tables:
        writer.writerow([])
        writer.writerow([safe_text(table.title)])
        writer.writerow([safe_text(column.label) for column in table.columns])
        for row in table.rows:
            writer.writerow([_cell(row.get(column.key), column.kind) for column in table.columns])
    return buffer.getvalue().encode("utf-8")


def _sheet_title(title, used):
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:28].strip() or "Sheet"
    candidate, number = cleaned, 2
    while candidate.lower() in used:
        candidate, number = f"{cleaned[:26]} {number}", number + 1
    used.add(candidate.lower())
    return candidate


def _fit_columns(sheet):
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 200)), start=1):
        width = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))


def to_xlsx(report, filter_lines=()):
    workbook = Workbook()
    used = set()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"), used)
    summary.append([safe_text(report.title)])
    summary["A1"].font = Font(bold=True, size=14)
    for line in filter_lines:
        summary.append([safe_text(line)])
    if report.figures:
        summary.append([])
        summary.append([_("Figure"), _("Value"), _("Note")])
        for cell in summary[summary.max_row]:
            cell.font = Font(bold=True)
        for row in _figure_rows(report):
            summary.append(row)
    _fit_columns(summary)
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([safe_text(column.label) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(row.get(column.key), column.kind) for column in table.columns])
        for index, column in enumerate(table.columns, start=1):
            if column.kind == DATE:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        _fit_columns(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(report, export_format, filter_lines=(), request=None):
    """An attachment download of `report` as .csv or .xlsx."""
    if export_format == "xlsx":
        content, content_type = to_xlsx(report, filter_lines), XLSX_TYPE
    else:
        content, content_type = to_csv(report, filter_lines, csv_delimiter(request)), "text/csv; charset=utf-8"
    result = HttpResponse(content, content_type=content_type)
    result["Content-Disposition"] = f'attachment; filename="{filename(report, export_format)}"'
    result["Cache-Control"] = "no-store"
    return result
