import csv
from datetime import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from academy.errors import DomainError, PermissionDeniedError
from academy.models import OutboxEmail, Profile, User
from courses.models import Registration
from courses.services import imports
from courses.services.imports import applying
from tests import factories

pytestmark = pytest.mark.django_db

HEADERS_KY = ["№", "Аты-жөнү", "Кызматы", "Айыл аймагы", "Телефон", "Email", "Жынысы", "Туулган жылы"]


def write_xlsx(path, rows, title="Баткен облусу: тренингдин катышуучуларынын тизмеси"):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, rows, encoding="utf-8-sig", delimiter=";"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


@pytest.fixture
def known(make_participant):
    # Matched by phone only because the names agree (issue #15: a phone alone is not enough).
    return make_participant(phone="+996559000001", full_name="Маматов Бакыт")


@pytest.fixture
def list_file(tmp_path, known):
    return write_xlsx(
        tmp_path / "batken.xlsx",
        [
            HEADERS_KY,
            [
                1,
                "Айжамал Турдубаева",
                "Айыл өкмөтүнүн башчысы",
                "Кыштут а/а",
                "0700 11 22 33",
                "aijamal@example.org",
                "Ж",
                1980,
            ],
            [2, "Бакыт Маматов", "Депутат", "Самаркандек", "0559 000 001", "", "Э", datetime(1975, 5, 4)],
            [3, "Гүлнара Ташиева", "Адис", "", "", "", "ж", ""],
            [4, "Эрлан Абдыжапаров", "Адис", "", "+996 777 123 456", "erlan@example.org", "М", "1990"],
            [5, "Айжамал Турдубаева", "", "", "", "AIJAMAL@example.org", "", ""],
            [6, "Нурбек Жолдошев", "Адис", "Жок жер", "12345", "nurbek@example.org", "белгисиз", "1800"],
        ],
    )


def test_headers_in_kyrgyz_and_russian_are_recognised():
    assert imports.guess_mapping(HEADERS_KY) == {
        1: "full_name",
        2: "position",
        3: "municipality",
        4: "phone",
        5: "email",
        6: "gender",
        7: "year_of_birth",
    }
    russian = ["ФИО", "Должность", "Телефон", "E-mail", "Пол", "Год рождения", "Место работы", "Аймак"]
    assert imports.guess_mapping(russian) == {
        0: "full_name",
        1: "position",
        2: "phone",
        3: "email",
        4: "gender",
        5: "year_of_birth",
        6: "organization",
        7: "municipality",
    }
    assert imports.guess_mapping(["Фамилия", "Имя", "Отчество", "Тел."]) == {
        0: "last_name",
        1: "first_name",
        2: "middle_name",
        3: "phone",
    }


def test_the_header_row_is_found_below_a_title(list_file):
    table = imports.read_table(list_file, "batken.xlsx")
    assert table.headers[:2] == ["№", "Аты-жөнү"]
    assert [number for number, _cells in table.rows] == [3, 4, 5, 6, 7, 8]
    assert table.rows[1][1][7] == "1975-05-04"


def test_dry_run_checks_every_row_and_saves_nothing(session, list_file, admin_user, known):
    users_before = User.objects.count()
    table = imports.read_table(list_file, "batken.xlsx")
    report = imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user, dry_run=True)
    assert User.objects.count() == users_before
    assert not Registration.objects.exists()
    rows = {row.number: row for row in report.rows}
    assert rows[3].action == "create" and rows[3].status == "confirmed"
    assert rows[4].action == "match" and rows[4].user == known
    assert rows[5].errors and "e-mail address or a Kyrgyz phone" in rows[5].errors[0]
    assert rows[6].action == "create"
    assert rows[7].errors and "row 3" in rows[7].errors[0]
    assert rows[8].action == "create"
    assert len(rows[8].warnings) == 4  # municipality, phone, gender, year of birth
    assert report.summary() == {
        "rows": 6,
        "created": 3,
        "created_phone_only": 0,
        "matched": 1,
        "already_registered": 0,
        "confirmed": 3,
        "waitlisted": 1,
        "conflicts": 0,
        "errors": 2,
    }


def test_import_registers_people_invites_new_ones_and_is_idempotent(
    session, list_file, admin_user, known, django_capture_on_commit_callbacks, mailoutbox
):
    table = imports.read_table(list_file, "batken.xlsx")
    mapping = imports.guess_mapping(table.headers)
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.run_import(session, table, mapping, actor=admin_user)
    assert report.errors == 2
    new_user = User.objects.get(email="aijamal@example.org")
    assert not new_user.has_usable_password()
    assert new_user.groups.filter(name="Participants").exists()
    profile = new_user.profile
    assert (profile.full_name, profile.gender, profile.year_of_birth, profile.phone) == (
        "Айжамал Турдубаева",
        "female",
        1980,
        "+996700112233",
    )
    assert profile.municipality.code == "kyshtut"
    assert profile.consent_given_at is None
    assert list(session.registrations.order_by("created_at", "pk").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    assert set(session.registrations.values_list("source", flat=True)) == {"import"}
    invitations = OutboxEmail.objects.filter(key__startswith="invitation:")
    assert invitations.count() == 3
    invitation = [message for message in mailoutbox if message.to == ["aijamal@example.org"]]
    assert len(invitation) == 1
    assert "/ky/accounts/reset/" in invitation[0].body
    # The known participant gets the usual confirmation, not an invitation.
    assert OutboxEmail.objects.filter(to=known.email, key__startswith="registration-confirmed:").count() == 1

    counts = (User.objects.count(), Profile.objects.count(), Registration.objects.count(), OutboxEmail.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        again = imports.run_import(session, imports.read_table(list_file, "batken.xlsx"), mapping, actor=admin_user)
    assert (
        User.objects.count(),
        Profile.objects.count(),
        Registration.objects.count(),
        OutboxEmail.objects.count(),
    ) == counts
    assert again.already == 4 and again.created == 0


def test_the_invitation_link_lets_the_person_choose_a_password(
    client, session, list_file, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    table = imports.read_table(list_file, "batken.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user)
    message = next(message for message in mailoutbox if message.to == ["erlan@example.org"])
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line).strip()
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"new_password1": "Batken-2026-kyshtut", "new_password2": "Batken-2026-kyshtut"})
    assert response.status_code == 302
    assert User.objects.get(email="erlan@example.org").check_password("Batken-2026-kyshtut")


def test_a_bad_row_never_aborts_the_good_ones(session, tmp_path, admin_user, monkeypatch):
    path = write_xlsx(
        tmp_path / "list.xlsx",
        [["ФИО", "Email"], ["Один", "one@example.org"], ["Два", "two@example.org"], ["Три", "three@example.org"]],
        title=None,
    )
    original = applying._create_person

    def explode_on_two(values, *args):
        if values["email"] == "two@example.org":
            raise DomainError("boom")
        return original(values, *args)

    monkeypatch.setattr(applying, "_create_person", explode_on_two)
    table = imports.read_table(path, "list.xlsx")
    report = imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user)
    assert report.created == 2 and report.errors == 1
    assert set(User.objects.filter(email__endswith="@example.org").values_list("email", flat=True)) >= {
        "one@example.org",
        "three@example.org",
    }
    assert not User.objects.filter(email="two@example.org").exists()


def test_russian_csv_in_windows_1251(session, tmp_path, admin_user):
    path = write_csv(
        tmp_path / "список.csv",
        [
            ["ФИО", "Должность", "Телефон", "Email", "Пол", "Год рождения"],
            ["Ольга Федорова", "Специалист", "0555123456", "olga@example.org", "жен", "1988"],
        ],
        encoding="cp1251",
    )
    table = imports.read_table(path, "список.csv")
    assert table.headers[0] == "ФИО"
    report = imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user)
    assert report.created == 1
    assert User.objects.get(email="olga@example.org").profile.position == "Специалист"


def test_utf8_csv_with_commas(tmp_path):
    path = write_csv(tmp_path / "list.csv", [["Аты-жөнү", "Телефон"], ["Айбек Ж.", "0700000000"]], delimiter=",")
    table = imports.read_table(path, "list.csv")
    assert table.headers == ["Аты-жөнү", "Телефон"] and table.rows[0][1] == ["Айбек Ж.", "0700000000"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("list.xls", b"old excel", "bad_file_type"),
        ("list.xlsx", b"not a zip at all", None),
        ("list.csv", b"", "empty"),
        ("list.csv", "ФИО;Телефон\n".encode(), "empty"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DomainError) as error:
        imports.read_table(path, name)
    if code:
        assert error.value.code == code
    assert error.value.field == "file"


def test_too_many_rows_are_refused(tmp_path):
    path = write_csv(tmp_path / "big.csv", [["ФИО", "Email"]] + [[f"P {n}", f"p{n}@example.org"] for n in range(30)])
    with pytest.raises(DomainError) as error:
        imports.read_table(path, "big.csv", max_rows=20)
    assert error.value.code == "too_many_rows"


def test_too_large_uploads_are_refused(settings):
    settings.ACADEMY_MAX_UPLOAD_BYTES = 10
    with pytest.raises(DomainError) as error:
        imports.save_upload(SimpleUploadedFile("list.csv", b"x" * 11))
    assert error.value.code == "too_large"


def test_uploads_are_kept_privately_and_names_are_checked(settings):
    name = imports.save_upload(SimpleUploadedFile("List.CSV", "ФИО;Email\nА;a@example.org\n".encode()))
    path = imports.upload_path(name)
    assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    for bad in ("../../etc/passwd", "x.csv", name.replace(".csv", ".py")):
        with pytest.raises(DomainError):
            imports.upload_path(bad)
    imports.delete_upload(name)
    with pytest.raises(DomainError):
        imports.upload_path(name)


@pytest.mark.parametrize(
    ("mapping", "code"),
    [
        ({0: "full_name"}, "no_identity"),
        ({0: "email", 1: "email"}, None),
        ({9: "email"}, None),
        ({0: "password"}, None),
    ],
)
def test_bad_mappings_are_refused(mapping, code):
    with pytest.raises(DomainError) as error:
        imports.check_mapping(mapping, ["A", "B"])
    if code:
        assert error.value.code == code


def test_only_admins_import(session, list_file, trainer):
    table = imports.read_table(list_file, "batken.xlsx")
    with pytest.raises(PermissionDeniedError):
        imports.run_import(session, table, imports.guess_mapping(table.headers), actor=trainer)
    assert not Registration.objects.exists()


def test_no_import_into_a_cancelled_session(session, list_file, admin_user):
    session.status = "cancelled"
    session.save()
    table = imports.read_table(list_file, "batken.xlsx")
    with pytest.raises(DomainError):
        imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user)


def test_split_name_columns_are_joined(session, tmp_path, admin_user):
    path = write_xlsx(
        tmp_path / "l.xlsx", [["Фамилия", "Имя", "Email"], ["Асанов", "Тилек", "tilek@example.org"]], title=None
    )
    table = imports.read_table(path, "l.xlsx")
    imports.run_import(session, table, imports.guess_mapping(table.headers), actor=admin_user)
    assert User.objects.get(email="tilek@example.org").profile.full_name == "Асанов Тилек"


def test_the_management_command(session, list_file, known):
    out = StringIO()
    call_command("import_participants", str(list_file), "--session", str(session.pk), "--dry-run", stdout=out)
    assert "Dry run: 6 rows, 3 new accounts (0 phone-only), 1 existing" in out.getvalue()
    assert "row 5: ERROR" in out.getvalue()
    assert not Registration.objects.exists()
    out = StringIO()
    call_command("import_participants", str(list_file), "--session", str(session.pk), stdout=out)
    assert "Imported: 6 rows" in out.getvalue()
    assert Registration.objects.count() == 4
    out = StringIO()
    call_command("import_participants", str(list_file), "--session", str(session.pk), stdout=out)
    assert "4 already registered" in out.getvalue()
    assert Registration.objects.count() == 4


def test_the_command_takes_a_mapping(session, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["Кто", "Куда писать"], ["Ана Ли", "ana@example.org"]])
    out = StringIO()
    call_command(
        "import_participants", str(path), "--session", str(session.pk), "--mapping", "Кто=full_name;2=email", stdout=out
    )
    assert User.objects.get(email="ana@example.org").profile.full_name == "Ана Ли"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--session", "999999"], "No session"),
        (["--mapping", "Nope=email"], "No column"),
    ],
)
def test_command_errors(session, list_file, args, message):
    argv = [str(list_file), "--session", str(session.pk), *args]
    with pytest.raises(CommandError, match=message):
        call_command("import_participants", *argv)


def test_command_with_missing_file(session):
    with pytest.raises(CommandError):
        call_command("import_participants", "/nonexistent/list.xlsx", "--session", str(session.pk))


def test_a_phone_cannot_be_shared_by_two_accounts(make_participant):
    from django.db import IntegrityError, transaction

    make_participant(phone="+996555999999")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_participant(phone="+996555999999")  # one number signs in one account (phone accounts)
    assert factories  # the module is used by fixtures
