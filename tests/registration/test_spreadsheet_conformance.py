"""Spreadsheets other programs read as we mean them (issue #20): phone numbers stay plain in CSV and text in
.xlsx (read back with python-calamine), every sheet of a workbook can be imported, only the columns a sheet
really uses are offered, and a repeated person is told by what."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from academy import spreadsheets
from courses.services import imports

pytestmark = pytest.mark.django_db

HEADERS = ["Аты-жөнү", "Телефон", "Email", "Кызматы"]


def test_a_phone_number_gets_no_apostrophe_in_csv_but_a_formula_does():
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer, delimiter=";")
    writer.writerow(["+996 555 12-34-56", "+996(700)123456", "+1+cmd|' /C calc'!A0", "=1+1", "-2"])
    [row] = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert row == ["+996 555 12-34-56", "+996(700)123456", "'+1+cmd|' /C calc'!A0", "'=1+1", "'-2"]


def test_a_phone_number_is_a_text_cell_in_xlsx(tmp_path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Тизме")
    sheet.append([spreadsheets.write_only_cell(sheet, "+996555123456"), spreadsheets.write_only_cell(sheet, 5)])
    workbook.save(tmp_path / "phones.xlsx")
    rows = CalamineWorkbook.from_path(str(tmp_path / "phones.xlsx")).get_sheet_by_name("Тизме").to_python()
    assert rows == [["+996555123456", 5]] and isinstance(rows[0][0], str)


@pytest.mark.parametrize(("language", "sep", "expected"), [("ky", None, ";"), ("ru", None, ";"), ("en", None, ",")])
def test_the_separator_follows_the_language_unless_chosen(rf, language, sep, expected):
    assert spreadsheets.csv_delimiter(rf.get("/"), language=language) == expected
    assert spreadsheets.csv_delimiter(rf.get("/", {"sep": "comma"}), language=language) == ","
    assert spreadsheets.csv_delimiter(rf.get("/", {"sep": "semicolon"}), language=language) == ";"
    assert spreadsheets.csv_delimiter(rf.get("/", {"sep": "tab"}), language=language) == expected  # unknown: default


def _workbook(path, sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.cell(row=1, column=60).number_format = "@"  # formatted far to the right, empty
        sheet.cell(row=30, column=45).value = None
    workbook.save(path)
    return path


@pytest.fixture
def two_sheets(tmp_path):
    return _workbook(
        tmp_path / "list.xlsx",
        {
            "Мазмуну": [["Тизме 2-баракта"]],
            "Катышуучулар": [HEADERS, ["Жыпар Осмонова", "0700 45 67 89", "jypar@example.org", "Башчы"]],
        },
    )


def test_every_sheet_can_be_read_and_only_used_columns_are_offered(two_sheets):
    assert imports.sheet_names(two_sheets, "list.xlsx") == ["Мазмуну", "Катышуучулар"]
    table = imports.read_table(two_sheets, "list.xlsx", sheet="Катышуучулар")
    assert table.headers == HEADERS and table.rows[0][1][0] == "Жыпар Осмонова"
    assert CalamineWorkbook.from_path(str(two_sheets)).sheet_names == ["Мазмуну", "Катышуучулар"]


def test_an_unknown_sheet_is_a_clear_error(two_sheets):
    from academy.errors import DomainError

    with pytest.raises(DomainError, match="no sheet"):
        imports.read_table(two_sheets, "list.xlsx", sheet="Жок")


def test_the_mapping_screen_offers_the_sheets_and_switches(client, admin_user, session, two_sheets):
    client.force_login(admin_user)
    with open(two_sheets, "rb") as handle:
        response = client.post(reverse("registrations_admin:import", args=[session.pk]), {"file": handle})
    assert response.status_code == 302
    mapping_url = response["Location"]
    page = client.get(mapping_url).content.decode()
    # The contents sheet before it holds no list: the first sheet with one is read, the other offered.
    assert 'name="sheet"' in page and "Мазмуну" in page and "Жыпар" in page
    switched = client.get(mapping_url, {"sheet": "Мазмуну"})
    assert switched.status_code == 200 and "Жыпар" in switched.content.decode()  # no list there: a message
    assert "Жыпар" in client.get(mapping_url).content.decode()
    assert client.get(mapping_url, {"sheet": "Жок"}).status_code == 200  # unknown: message, no change, no 500


def test_a_participant_cannot_open_the_mapping_screen(client, participant, session):
    client.force_login(participant)
    response = client.get(reverse("registrations_admin:import", args=[session.pk]))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (["Жыпар О.", "", "jypar@example.org", ""], "the same e-mail address"),
        (["Жыпар Осмонова", "0700 45 67 89", "", ""], "the same phone number"),
    ],
)
def test_the_repeated_person_message_says_what_is_the_same(tmp_path, session, admin_user, second, message):
    path = _workbook(
        tmp_path / "repeat.xlsx",
        {"Тизме": [HEADERS, ["Жыпар Осмонова", "0700 45 67 89", "jypar@example.org", ""], second]},
    )
    table = imports.read_table(path, path.name)
    report = imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user, dry_run=True)
    assert report.rows[1].errors == [f"The same person as in row 2: {message}."]
