"""Import of participant lists (.xlsx, .csv) into a session.

Organisers keep lists in spreadsheets with headers in Kyrgyz or Russian ("Аты-жөнү", "ФИО",
"Телефон", "Кызматы", "Айыл аймагы"...). The import runs in steps: read the file (bounded in
size and rows), guess the column mapping from the headers, check every row (a dry run shows
the errors row by row), then import. People are matched by e-mail or phone, or created
without a password and invited; each is registered through the registration service, so
capacity is respected and extra people are waitlisted. A bad row never stops the good ones,
and importing the same file again creates nothing new.

The package follows those steps: `mapping` (columns to fields), `reading` (files), `uploads` (files kept
between the screens), `rows` (cleaning a row), `people` (rows to accounts), `applying` (the import) and
`report` (counts and CSV). Callers use the names re-exported here.
"""

from courses.services.import_matching import RESOLUTIONS
from courses.services.imports.applying import run_import
from courses.services.imports.mapping import (
    FIELD_NAMES,
    FIELDS,
    check_mapping,
    field_choices,
    guess_mapping,
    normalize_text,
    parse_mapping_spec,
    read_uploaded_preview,
)
from courses.services.imports.people import check_rows
from courses.services.imports.reading import (
    EXTENSIONS,
    MAX_ROWS,
    Table,
    first_list_sheet,
    read_table,
    sheet_names,
)
from courses.services.imports.report import ImportReport, write_csv_report
from courses.services.imports.rows import RowResult
from courses.services.imports.uploads import check_upload, delete_upload, remove_old_uploads, save_upload, upload_path

__all__ = [
    "EXTENSIONS",
    "FIELDS",
    "FIELD_NAMES",
    "MAX_ROWS",
    "RESOLUTIONS",
    "ImportReport",
    "RowResult",
    "Table",
    "check_mapping",
    "check_rows",
    "check_upload",
    "delete_upload",
    "field_choices",
    "first_list_sheet",
    "guess_mapping",
    "normalize_text",
    "parse_mapping_spec",
    "read_table",
    "read_uploaded_preview",
    "remove_old_uploads",
    "run_import",
    "save_upload",
    "sheet_names",
    "upload_path",
    "write_csv_report",
]
