"""Import of external trainings from .xlsx/.csv: mapping guessed from Kyrgyz/Russian headers, dry run, then import;
bad rows (hours ≤ 0, unknown people, duplicates) change nothing, and importing again adds nothing."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from academy.errors import DomainError, PermissionDeniedError
from certificates.models import ExternalTraining
from certificates.services import external_import, external_trainings
from courses.services.imports import Table
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
HEADERS = ["ФИО", "Эл. почта", "Телефон", "Окуунун аталышы", "Уюштуруучу", "Башталган күнү", "Аяктаган күнү", "Саат"]


@pytest.fixture
def people(db):
    return factories.participant(), factories.participant()


def table(rows, headers=HEADERS):
    return Table(headers=list(headers), rows=[(number, list(cells)) for number, cells in enumerate(rows, start=2)])


def rows_for(first, second):
    return [
        ["Айгүл", first.email, "", "Муниципалдык бюджет", "ӨСИ", "10.03.2025", "12.03.2025", "24"],
        ["Бакыт", "", second.profile.phone, "Жер маселелери", "ЖӨБ союзу", "2024-05-01", "2024-05-03", "16,0"],
        ["Айгүл", first.email, "", "Гендердик бюджет", "", "01.02.2024", "", "0"],
        ["Белгисиз", "nobody@example.org", "", "Тренинг", "", "01.02.2024", "02.02.2024", "8"],
        ["Айгүл", first.email, "", "МУНИЦИПАЛДЫК  бюджет", "ӨСИ", "10.03.2025", "12.03.2025", "24"],
        ["Бакыт", "", second.profile.phone, "Келечек", "", "01.01.2030", "02.01.2030", "8"],
    ]


def test_the_mapping_is_guessed_from_kyrgyz_and_russian_headers():
    mapping = external_import.guess_mapping(HEADERS)
    assert mapping == {
        0: "full_name",
        1: "email",
        2: "phone",
        3: "title",
        4: "provider",
        5: "starts_on",
        6: "ends_on",
        7: "hours",
    }
    russian = ["Email", "Название обучения", "Организатор", "Дата начала", "Дата окончания", "Количество часов"]
    assert set(external_import.guess_mapping(russian).values()) == {
        "email", "title", "provider", "starts_on", "ends_on", "hours"
    }


def test_a_mapping_without_identity_or_hours_is_refused():
    with pytest.raises(DomainError) as error:
        external_import.check_mapping({3: "title", 7: "hours", 6: "ends_on"}, HEADERS)
    assert error.value.code == "no_identity"
    with pytest.raises(DomainError) as error:
        external_import.check_mapping({1: "email", 3: "title"}, HEADERS)
    assert error.value.code == "missing_fields"
    with pytest.raises(DomainError):
        external_import.check_mapping({1: "email", 3: "title", 4: "title"}, HEADERS)
    with pytest.raises(DomainError):
        external_import.check_mapping({"99": "email"}, HEADERS)


def test_dry_run_checks_every_row_and_writes_nothing(people, admin_user):
    first, second = people
    mapping = external_import.guess_mapping(HEADERS)
    report = external_import.run_import(table(rows_for(first, second)), mapping, actor=admin_user, dry_run=True, today=TODAY)
    assert not ExternalTraining.objects.exists()
    actions = [(row.number, row.action, bool(row.errors)) for row in report.rows]
    assert actions == [
        (2, "add", False),
        (3, "add", False),
        (4, "", True),  # hours 0
        (5, "", True),  # nobody with this e-mail
        (6, "", True),  # repeats row 2
        (7, "", True),  # in the future
    ]
    messages = {row.number: row.errors for row in report.rows}
    assert messages[4] == ["Academic hours must be more than zero."]
    assert "No account with the e-mail or phone “nobody@example.org”" in messages[5][0]
    assert messages[6] == ["Repeats row 2 (same person, title and dates): nothing is added."]
    assert "end date is in the future" in messages[7][0]
    assert report.summary() == {"rows": 6, "added": 2, "already": 0, "errors": 4}


def test_import_adds_the_good_rows_and_again_adds_nothing(people, admin_user, django_assert_max_num_queries):
    first, second = people
    mapping = external_import.guess_mapping(HEADERS)
    report = external_import.run_import(table(rows_for(first, second)), mapping, actor=admin_user, today=TODAY)
    assert report.added == 2 and report.errors == 4
    trainings = {(training.user, training.title, training.hours, training.source) for training in ExternalTraining.objects.all()}
    assert trainings == {(first, "Муниципалдык бюджет", 24, "import"), (second, "Жер маселелери", 16, "import")}

    with django_assert_max_num_queries(6):
        again = external_import.run_import(table(rows_for(first, second)), mapping, actor=admin_user, dry_run=True, today=TODAY)
    assert again.added == 0 and again.already == 3  # rows 2 and 3, and row 6 that repeats row 2
    assert "already has “Муниципалдык бюджет”" in again.rows[0].note
    external_import.run_import(table(rows_for(first, second)), mapping, actor=admin_user, today=TODAY)
    assert ExternalTraining.objects.count() == 2


def test_a_training_already_added_in_the_admin_is_not_added_again(people, admin_user):
    first, second = people
    external_trainings.add_training(
        first, by=admin_user, title="Муниципалдык бюджет", starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 12), hours=24, today=TODAY
    )
    report = external_import.run_import(table(rows_for(first, second)[:1]), external_import.guess_mapping(HEADERS), actor=admin_user, today=TODAY)
    assert report.already == 1 and ExternalTraining.objects.count() == 1


def test_only_academy_admins_import(people, trainer):
    first, second = people
    with pytest.raises(PermissionDeniedError):
        external_import.run_import(table(rows_for(first, second)), external_import.guess_mapping(HEADERS), actor=trainer)
    assert not ExternalTraining.objects.exists()


# Through the admin screens, from real files ------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    return client


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Сырткы окуулар, 2024–2025"])  # a title line above the header
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_admin_uploads_checks_and_imports_an_xlsx(admin_client, people):
    first, second = people
    rows = rows_for(first, second)[:2]
    rows[0][5] = datetime(2025, 3, 10)  # a real date cell
    rows[0][6] = datetime(2025, 3, 12)
    upload = SimpleUploadedFile("trainings.xlsx", xlsx(rows))
    response = admin_client.post(reverse("qualification_admin:import"), {"file": upload})
    assert response.status_code == 302
    mapping_url = response["Location"]
    page = admin_client.get(mapping_url).content.decode()
    assert "Окуунун аталышы" in page and 'value="hours" selected' in page

    columns = {f"column_{index}": name for index, name in external_import.guess_mapping(HEADERS).items()}
    check = admin_client.post(mapping_url, {**columns, "step": "check"})
    assert check.status_code == 200 and "To add: 2" in check.content.decode()
    assert not ExternalTraining.objects.exists()

    done = admin_client.post(mapping_url, {**columns, "step": "confirm"})
    assert done.status_code == 200
    assert ExternalTraining.objects.count() == 2
    assert admin_client.get(mapping_url).status_code == 302  # the upload is gone


def test_admin_upload_of_a_bad_file_says_why(admin_client):
    response = admin_client.post(reverse("qualification_admin:import"), {"file": SimpleUploadedFile("list.txt", b"hello")})
    assert response.status_code == 200 and "Upload the list as an .xlsx or .csv file." in response.content.decode()


def test_admin_mapping_without_hours_is_an_error_not_a_500(admin_client, people):
    first, second = people
    csv_text = "Email;Название обучения;Дата окончания\n" + f"{first.email};Бюджет;12.03.2025\n"
    upload = SimpleUploadedFile("list.csv", csv_text.encode("utf-8"))
    mapping_url = admin_client.post(reverse("qualification_admin:import"), {"file": upload})["Location"]
    response = admin_client.post(mapping_url, {"column_0": "email", "column_1": "title", "column_2": "ends_on", "step": "check"})
    assert response.status_code == 200
    assert "Map a column to each of: Academic hours." in response.content.decode()
    assert not ExternalTraining.objects.exists()
