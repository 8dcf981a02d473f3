"""Issue #15 item 4: an import never enrols the wrong person; disagreements are resolved row by row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Registration
from courses.services import imports
from courses.services.import_matching import names_agree
from tests import factories

from .test_admin import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Аты-жөнү", "Телефон", "Эл. почта"]
MAPPING = {0: "full_name", 1: "phone", 2: "email"}


def table(*rows):
    return imports.Table(headers=HEADERS, rows=[(number, list(row)) for number, row in enumerate(rows, start=2)])


@pytest.fixture
def stranger(make_participant):
    user = make_participant(phone="+996700111222", full_name="Асанова Гүлнара")
    user.email = "gulnara@example.org"
    user.save()
    return user


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("Жумабаев Айбек", "Aibek Zhumabaev", True),  # Latin transliteration, word order
        ("Төлөгөнов Өмүрбек", "ТОЛОГОНОВ омурбек", True),  # Kyrgyz letters typed as Russian ones, case
        ("Алёна Ёлкина", "Елкина Алена", True),  # ё/е
        ("Жумабаев Айбек Токтосунович", "Айбек Жумабаев", True),  # patronymic on one side only
        ("Aйбек Жумабаев", "Айбек Жумабаев", True),  # a Latin "A" look-alike inside a Cyrillic name
        ("Жумабаев Айбек", "Жумабаев Азамат", False),
        ("Айбек", "Жумабаев Айбек", False),
        ("Иванов Иван", "Асанова Гүлнара", False),
    ],
)
def test_names_agree(first, second, agree):
    assert names_agree(first, second) is agree


def check(session, admin_user, *rows, resolutions=None, dry_run=True):
    report = imports.run_import(
        session, table(*rows), MAPPING, actor=admin_user, dry_run=dry_run, resolutions=resolutions
    )
    return report.rows[0]


def test_new_email_with_a_strangers_phone_is_a_conflict_not_a_match(session, admin_user, stranger):
    row = check(session, admin_user, ["Иванов Иван", "0700 111 222", "ivan@example.org"])
    assert row.action == "conflict" and row.user is None
    assert row.account_name == "Асанова Гүлнара"  # the account's own name, not the row's
    report = imports.run_import(
        session, table(["Иванов Иван", "0700 111 222", "ivan@example.org"]), MAPPING, actor=admin_user
    )
    assert report.conflicts == 1 and not Registration.objects.exists()  # unresolved: never imported


def test_phone_alone_with_another_name_is_a_conflict(session, admin_user, stranger):
    row = check(session, admin_user, ["Иванов Иван", "0700111222", ""])
    assert row.action == "conflict" and "another name" in row.conflict


def test_phone_alone_with_the_same_name_matches(session, admin_user, stranger):
    row = check(session, admin_user, ["Гулнара Асанова", "0700111222", ""])
    assert row.action == "match" and row.user == stranger and row.account_name == "Асанова Гүлнара"


def test_email_with_another_name_is_a_conflict(session, admin_user, stranger):
    row = check(session, admin_user, ["Иванов Иван", "", "gulnara@example.org"])
    assert row.action == "conflict" and row.candidate == stranger


def test_email_with_the_same_name_matches(session, admin_user, stranger):
    assert check(session, admin_user, ["Gulnara Asanova", "", "GULNARA@example.org"]).user == stranger


@pytest.mark.parametrize("choice", ["existing", "new", "skip"])
def test_conflicts_are_resolved_row_by_row(session, admin_user, stranger, choice, django_capture_on_commit_callbacks):
    row = ["Иванов Иван", "0700 111 222", "ivan@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.run_import(session, table(row), MAPPING, actor=admin_user, resolutions={2: choice})
    registrations = Registration.objects.select_related("user__profile")
    if choice == "existing":
        assert [registration.user for registration in registrations] == [stranger]
    elif choice == "new":
        (registration,) = registrations
        assert registration.user.email == "ivan@example.org" and registration.user.profile.phone == ""
        assert registration.user.profile.full_name == "Иванов Иван"
    else:
        assert not registrations.exists() and report.rows[0].action == "skip"


def test_new_person_is_refused_when_the_email_belongs_to_the_account(session, admin_user, stranger):
    row = check(session, admin_user, ["Иванов Иван", "", "gulnara@example.org"], resolutions={2: "new"})
    assert row.errors and row.action == "conflict"


def upload(client, session, rows):
    url = f"/admin/registrations/session/{session.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("list.xlsx", xlsx_bytes([HEADERS, *rows]))})
    assert response.status_code == 302
    return response["Location"]


FIELDS = {"column_0": "full_name", "column_1": "phone", "column_2": "email"}


def test_admin_resolves_a_conflict_in_the_import_screen(
    client, session, admin_user, stranger, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    mapping_url = upload(client, session, [["Иванов Иван", "0700 111 222", "ivan@example.org"]])
    body = client.post(mapping_url, {**FIELDS, "step": "check"}).content.decode()
    assert "Асанова Гүлнара" in body and 'name="resolve_2"' in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mapping_url, {**FIELDS, "step": "confirm", "resolve_2": "existing"})
    assert Registration.objects.get().user == stranger


def test_unresolved_conflict_is_not_imported_through_the_screen(client, session, admin_user, stranger):
    client.force_login(admin_user)
    mapping_url = upload(client, session, [["Иванов Иван", "0700 111 222", "ivan@example.org"]])
    client.post(mapping_url, {**FIELDS, "step": "confirm", "resolve_2": "¹"})
    assert not Registration.objects.exists()


@pytest.mark.parametrize("who", ["participant", "anonymous"])
def test_participants_and_anonymous_cannot_resolve(client, session, admin_user, stranger, who):
    client.force_login(admin_user)
    mapping_url = upload(client, session, [["Иванов Иван", "0700 111 222", "ivan@example.org"]])
    client.logout()
    if who == "participant":
        client.force_login(factories.participant())
    response = client.post(mapping_url, {**FIELDS, "step": "confirm", "resolve_2": "existing"})
    assert response.status_code in (302, 403)
    assert not Registration.objects.exists()
