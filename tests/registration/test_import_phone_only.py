"""Imports create phone-only people (issue #16): a row with a Kyrgyz mobile number and no e-mail makes an account
with that number, once; the person is invited by SMS and can be given a printed first sign-in slip."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from academy.models import OutboxMessage, Profile, User
from courses.models import Registration
from courses.services import imports
from courses.services import registration as registration_service
from tests import factories
from tests.messaging.conftest import sms_gateway  # noqa: F401 (the SMS gateway stand-in on 127.0.0.1)

pytestmark = pytest.mark.django_db

HEADERS = ["Аты-жөнү", "Телефон", "Email", "Кызматы"]


def write_list(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADERS, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def run(session, path, admin_user, *, dry_run=False, resolutions=None):
    table = imports.read_table(path, path.name)
    return imports.run_import(
        session, table, imports.guess_mapping(table.headers), actor=admin_user, dry_run=dry_run, resolutions=resolutions
    )


@pytest.fixture
def phone_list(tmp_path):
    return write_list(
        tmp_path / "batken.xlsx",
        [
            ["Жыпар Осмонова", "0700 45 67 89", "", "Айыл өкмөтүнүн башчысы"],
            ["Алмаз Токтосунов", "+996 555 12 34 56", "almaz@example.org", "Депутат"],
            ["Канат Сыдыков", "03622 5 12 34", "", "Адис"],  # a Batken landline: no account can be made
            ["Гүлзат Асанова", "+7 701 123 45 67", "", "Адис"],  # a Kazakh number
        ],
    )


def test_the_dry_run_counts_phone_only_people_and_saves_nothing(session, phone_list, admin_user):
    users_before = User.objects.count()
    report = run(session, phone_list, admin_user, dry_run=True)
    assert User.objects.count() == users_before and not Registration.objects.exists()
    rows = {row.values["full_name"]: row for row in report.rows}
    assert rows["Жыпар Осмонова"].action == "create" and not rows["Жыпар Осмонова"].errors
    assert report.created == 2 and report.created_phone_only == 1
    assert report.summary()["created_phone_only"] == 1
    landline, foreign = rows["Канат Сыдыков"], rows["Гүлзат Асанова"]
    assert landline.action == "" and "needs a mobile number" in landline.errors[0] and "landline" in landline.errors[0]
    assert foreign.action == "" and "Kyrgyz phone number" in foreign.warnings[0]
    assert "e-mail address or a Kyrgyz phone" in foreign.errors[0]


def test_a_phone_only_row_makes_an_account_once_and_the_person_is_invited_by_sms(
    session,
    phone_list,
    admin_user,
    sms_gateway,  # noqa: F811 (the stand-in imported above)
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        report = run(session, phone_list, admin_user)
    assert report.created_phone_only == 1 and report.errors == 2
    profile = Profile.objects.select_related("user").get(phone="+996700456789")
    assert profile.user.email is None and not profile.user.has_usable_password()
    assert profile.full_name == "Жыпар Осмонова" and profile.position == "Айыл өкмөтүнүн башчысы"
    assert profile.user.groups.filter(name="Participants").exists()
    assert Registration.objects.get(user=profile.user, session=session).source == "import"

    invitation = OutboxMessage.objects.get(key=f"invitation:{profile.user.pk}:{session.pk}")
    assert (invitation.channel, invitation.to, invitation.status) == ("sms", "+996700456789", "sent")
    [request] = [r for r in sms_gateway.requests if "996700456789" in r["path"]]
    text = parse_qs(urlsplit(request["path"]).query)["mes"][0]
    assert "/accounts/reset/" in text  # the link to choose a password

    counts = (User.objects.count(), Registration.objects.count(), OutboxMessage.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        again = run(session, phone_list, admin_user)
    assert (User.objects.count(), Registration.objects.count(), OutboxMessage.objects.count()) == counts
    assert again.created == 0 and again.already == 2


def test_a_number_that_already_has_an_account_matches_it(session, tmp_path, admin_user):
    known = factories.participant(email=None, profile__phone="+996700456789", profile__full_name="Осмонова Жыпар")
    path = write_list(tmp_path / "list.xlsx", [["Жыпар Осмонова", "0700456789", "", ""]])
    report = run(session, path, admin_user)
    assert report.matched == 1 and report.created == 0
    assert Profile.objects.filter(phone="+996700456789").count() == 1
    assert Registration.objects.get(session=session).user == known


def test_the_same_number_twice_in_one_file_is_one_person(session, tmp_path, admin_user):
    path = write_list(
        tmp_path / "list.xlsx", [["Жыпар Осмонова", "0700456789", "", ""], ["Жыпар Осмонова", "+996700456789", "", ""]]
    )
    report = run(session, path, admin_user)
    assert report.created == 1
    assert "row 2" in report.rows[1].errors[0]
    assert User.objects.filter(profile__phone="+996700456789").count() == 1


def test_the_result_offers_first_sign_in_slips_for_phone_only_people(client, session, phone_list, admin_user):
    client.force_login(admin_user)
    run(session, phone_list, admin_user)
    slips = client.get(reverse("registration_signin_slips", args=[session.pk]) + "?print=1")
    assert slips.status_code == 200
    assert "Жыпар Осмонова" in slips.content.decode()


def test_a_new_number_is_taken_once_even_by_an_e_mail_row(session, tmp_path, admin_user):
    path = write_list(
        tmp_path / "list.xlsx",
        [
            ["Алмаз Токтосунов", "0555123456", "almaz@example.org", ""],
            ["Алмаз Токтосунов", "0555 12 34 56", "", ""],  # the number is Almaz: the same person
            ["Айбек Асанов", "+996555123456", "aibek@example.org", ""],  # another e-mail cannot take it too
        ],
    )
    report = run(session, path, admin_user)
    assert report.created == 1 and report.errors == 2
    assert report.rows[1].errors == ["The same person as in row 2: the same phone number."]
    assert report.rows[2].errors == ["The phone number is already in row 2: one number belongs to one person only."]
    assert Profile.objects.filter(phone="+996555123456").count() == 1


def test_the_landline_message_is_translated(session, phone_list, admin_user):
    with translation.override("ru"):
        rows = {row.values["full_name"]: row for row in run(session, phone_list, admin_user, dry_run=True).rows}
    assert rows["Канат Сыдыков"].errors[0].startswith("Новому человеку без адреса электронной почты нужен мобильный")


def test_the_dry_run_reads_a_long_list_in_a_bounded_number_of_queries(
    session, tmp_path, admin_user, django_assert_max_num_queries
):
    factories.participant(email=None, profile__phone="+996700000001", profile__full_name="Адам 1")
    rows = [
        [f"Адам {index}", f"+99670000{index:04d}", "" if index % 2 else f"p{index}@example.org", ""]
        for index in range(1, 61)
    ]
    path = write_list(tmp_path / "long.xlsx", rows)
    table = imports.read_table(path, path.name)
    mapping = imports.guess_mapping(table.headers)
    with django_assert_max_num_queries(8):
        report = imports.run_import(session, table, mapping, actor=admin_user, dry_run=True)
    assert report.matched == 1 and report.created == 59 and report.created_phone_only == 29


def upload_and_check(client, session, content):
    response = client.post(
        reverse("registrations_admin:import", args=[session.pk]), {"file": SimpleUploadedFile("list.xlsx", content)}
    )
    mapping_url = response["Location"]
    fields = {"column_0": "full_name", "column_1": "phone", "column_2": "email", "column_3": "position"}
    return mapping_url, fields, client.post(mapping_url, {**fields, "step": "check"})


def test_the_import_screens_show_and_serve_the_phone_only_people(
    client,
    session,
    phone_list,
    admin_user,
    sms_gateway,  # noqa: F811 (the stand-in imported above)
    django_capture_on_commit_callbacks,
):
    client.force_login(admin_user)
    mapping_url, fields, check = upload_and_check(client, session, phone_list.read_bytes())
    body = check.content.decode()
    assert "1 new person has a phone and no e-mail" in body and "needs a mobile number" in body
    assert not User.objects.filter(profile__phone="+996700456789").exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(mapping_url, {**fields, "step": "confirm"})
    person = User.objects.get(profile__phone="+996700456789")
    body = done.content.decode()
    slips_url = reverse("registration_signin_slips", args=[session.pk])
    assert "Жыпар Осмонова · +996700456789" in body
    assert f'{slips_url}?person={person.pk}&amp;print=1"' in body
    assert f'<input type="hidden" name="person" value="{person.pk}">' in body

    # The printed slips are those of the phone-only people, not of everyone without a password.
    printed = client.get(slips_url, {"person": person.pk, "print": 1}).content.decode()
    assert "Жыпар Осмонова" in printed and "Алмаз Токтосунов" not in printed
    assert "Алмаз Токтосунов" in client.get(slips_url, {"print": 1}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(slips_url, {"person": person.pk})
    assert sent.status_code == 302 and sent["Location"] == f"{slips_url}?person={person.pk}"
    [message] = OutboxMessage.objects.filter(key__startswith="first-signin:")
    assert (message.to, message.channel, message.status) == ("+996700456789", "sms", "sent")


def test_chosen_people_are_only_ever_the_sessions_own(client, session, course, admin_user, trainer, other_trainer):
    def added(target, phone):
        user = User.objects.create_user(email=None, password=None)
        Profile.objects.create(user=user, full_name=f"Адам {phone[-2:]}", phone=phone)
        registration_service.enrol(target, user, actor=admin_user, notify=False)
        return user

    mine, stranger = added(session, "+996700111101"), added(factories.make_session(course), "+996700111102")
    slips_url = reverse("registration_signin_slips", args=[session.pk])
    client.force_login(trainer)  # the session's trainer may, as before
    page = client.get(slips_url, {"person": [mine.pk, stranger.pk, "x", "¹"], "print": 1}).content.decode()
    assert "Адам 01" in page and "Адам 02" not in page
    assert "Адам 01" not in client.get(slips_url, {"person": "x", "print": 1}).content.decode()
    listing = client.get(slips_url, {"person": mine.pk}).content.decode()
    assert "Only the people just imported" in listing and f'name="person" value="{mine.pk}"' in listing
    assert f"?print=1&amp;person={mine.pk}" in listing
    client.force_login(other_trainer)  # another session's trainer may not, whoever is chosen
    assert client.get(slips_url, {"person": mine.pk}).status_code == 302
    assert client.post(slips_url, {"person": mine.pk}).status_code == 302
    assert not OutboxMessage.objects.exists()


def test_the_slips_of_many_people_take_a_bounded_number_of_queries(
    client, session, tmp_path, admin_user, django_assert_max_num_queries
):
    session.capacity = 100
    session.save()
    rows = [[f"Адам {index}", f"+99670000{index:04d}", "", ""] for index in range(1, 31)]
    report = run(session, write_list(tmp_path / "long.xlsx", rows), admin_user)
    assert report.created_phone_only == 30
    client.force_login(admin_user)
    slips_url = reverse("registration_signin_slips", args=[session.pk])
    with django_assert_max_num_queries(15):
        page = client.get(slips_url, {"person": report.phone_only_user_ids})
    assert page.content.decode().count("<td>Адам ") == 30


def test_the_command_counts_phone_only_people(session, phone_list):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("import_participants", str(phone_list), "--session", str(session.pk), "--dry-run", stdout=out)
    assert "Dry run: 4 rows, 2 new accounts (1 phone-only), 0 existing" in out.getvalue()
    assert "row 4: ERROR A new person without an e-mail address needs a mobile number" in out.getvalue()
    assert not User.objects.filter(profile__phone="+996700456789").exists()
