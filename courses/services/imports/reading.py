"""Reading an uploaded list (.xlsx, .csv): bounded in rows and columns, the header row found under titles.

A CSV saved by Excel in Windows-1251 lost the Kyrgyz letters: such a file is refused with a clear message.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from academy.errors import DomainError
from courses.services.imports.mapping import guess_mapping

MAX_ROWS = 2000
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 10
MAX_EMPTY_RUN = 1000  # stop reading after this many empty rows in a row (sheets formatted to the bottom)
EXTENSIONS = (".xlsx", ".xlsm", ".csv")


@dataclass
class Table:
    headers: list
    rows: list  # [(spreadsheet row number, [cell text, ...]), ...]
    filename: str = ""

    def samples(self, index, count=3):
        values = [cells[index] for _number, cells in self.rows if index < len(cells) and cells[index]]
        return values[:count]


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _open_workbook(path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign file
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from error


def sheet_names(path, filename=None):
    """The sheets of an .xlsx workbook, in order; [] for a CSV (one table, nothing to choose)."""
    if Path(filename or str(path)).suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _xlsx_rows(path, sheet_name=None):
    workbook = _open_workbook(path)
    try:
        if sheet_name and sheet_name not in workbook.sheetnames:
            raise DomainError(_("The workbook has no sheet “%(name)s”.") % {"name": sheet_name[:60]}, field="sheet")
        sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            yield number, [_cell_text(value) for value in row]
    except DomainError:
        raise
    except Exception as error:
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from error
    finally:
        workbook.close()


def _detect_encoding(sample):
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            if encoding == "utf-8-sig" and error.start >= len(sample) - 3:
                return encoding  # a character cut at the end of the sample
    return "cp1251"  # Excel's "CSV" on Russian Windows


# Excel's plain "CSV" on Windows is Windows-1251, which has no ө, ү, ң (nor Ө, Ү, Ң): Excel writes "?"
# instead, and "Т?л?г?нов ?м?рбек" would print on a certificate. A "?" between Cyrillic letters, or
# starting a Cyrillic word, is such a lost letter (a real question mark ends a word). A Windows-1251 file
# with only Russian letters loses nothing and is read as Windows-1251.
LOST_LETTER = re.compile(r"[А-ЯЁа-яёӨөҮүҢң]\?+[А-ЯЁа-яёӨөҮүҢң]|(?:^|[\s(\"«])\?+[А-ЯЁа-яёӨөҮүҢң]{2,}")


def _refuse_lost_letters(number, cells):
    for value in cells:
        if LOST_LETTER.search(value):
            raise DomainError(
                _(
                    "Row %(number)s has “?” instead of letters (“%(value)s”): the file was saved in an encoding "
                    "without the Kyrgyz letters ө, ү, ң. In Excel choose File → Save as → “CSV UTF-8” "
                    "(or save it as an .xlsx workbook) and upload it again."
                )
                % {"number": number, "value": value[:60]},
                field="file",
                code="lost_letters",
            )


def _csv_rows(path):
    with open(path, "rb") as raw:
        sample = raw.read(64 * 1024)
    encoding = _detect_encoding(sample)
    if encoding == "utf-16" and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "cp1251"
    text_sample = sample.decode(encoding, errors="replace")[:8192]
    try:
        dialect = csv.Sniffer().sniff(text_sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first_line = text_sample.splitlines()[0] if text_sample else ""
        delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for number, row in enumerate(reader, start=1):
                cells = [_cell_text(value) for value in row[:MAX_COLUMNS]]
                _refuse_lost_letters(number, cells)
                yield number, cells
    except csv.Error as error:
        raise DomainError(_("The file could not be read as a CSV table."), field="file") from error


def read_table(path, filename=None, *, max_rows=MAX_ROWS, sheet=None):
    """Read `sheet` (the first by default) or the CSV: find the header row, then up to `max_rows` non-empty
    data rows. Columns after the last one with a header or a value are dropped (a sheet formatted far to
    the right reports 60 columns where 9 hold the list)."""
    filename = filename or str(path)
    extension = Path(filename).suffix.lower()
    if extension not in EXTENSIONS:
        raise DomainError(_("Upload the list as an .xlsx or .csv file."), field="file", code="bad_file_type")
    rows = _xlsx_rows(path, sheet) if extension in (".xlsx", ".xlsm") else _csv_rows(path)
    head = []
    for number, cells in rows:
        if any(cells):
            head.append((number, cells))
            if len(head) >= HEADER_SCAN_ROWS:
                break
    if not head:
        raise DomainError(_("The file is empty."), field="file", code="empty")
    # The header is the row that names the most known columns (lists often start with a title line).
    scored = [(len(guess_mapping(cells)), -position) for position, (_number, cells) in enumerate(head)]
    best = max(range(len(head)), key=lambda position: scored[position])
    header_number, headers = head[best]
    width = max([len(headers)] + [len(cells) for _number, cells in head[best + 1 :]])
    data = [(number, cells) for number, cells in head[best + 1 :]]
    empty_run = 0
    for number, cells in rows:
        if not any(cells):
            empty_run += 1
            if empty_run > MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        data.append((number, cells))
        width = max(width, len(cells))
        if len(data) > max_rows:
            raise DomainError(
                _("The list has more than %(count)s rows; please split it into several files.") % {"count": max_rows},
                field="file",
                code="too_many_rows",
            )
    used = [index for _number, cells in [(0, headers), *data] for index, value in enumerate(cells) if value]
    width = min(width, max(used) + 1)
    headers = list(headers[:width]) + [""] * (width - len(headers))
    headers = [header or _("Column %(number)s") % {"number": index + 1} for index, header in enumerate(headers)]
    data = [(number, list(cells[:width]) + [""] * (width - len(cells))) for number, cells in data]
    if not data:
        raise DomainError(_("The file has a header but no participants."), field="file", code="empty")
    return Table(headers=headers, rows=data, filename=Path(filename).name)


def first_list_sheet(path, filename=None):
    """The first sheet that reads as a list (None for a CSV); a title or contents sheet before it is passed
    over. Raises the first sheet's error when none does."""
    names = sheet_names(path, filename) or [None]
    first_error = None
    for name in names:
        try:
            read_table(path, filename, sheet=name)
            return name
        except DomainError as error:
            first_error = first_error or error
    raise first_error
