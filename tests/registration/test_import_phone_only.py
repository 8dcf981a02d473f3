"""Imports create phone-only people (issue #16): a row with a Kyrgyz mobile number and no e-mail makes an account
with that number, once; the person is invited by SMS and can be given a printed first sign-in slip."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import Workbook

from academy.models import OutboxMessage, Profile, User
from courses.models import Registration
from courses.services import imports
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
    session, phone_list, admin_user, sms_gateway, django_capture_on_commit_callbacks  # noqa: F811
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
