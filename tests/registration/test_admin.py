from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from courses.models import Registration
from courses.services import registration as service
from tests import factories

from .conftest import make_session

pytestmark = pytest.mark.django_db


def roster_url(session):
    return f"/admin/registrations/session/{session.pk}/"


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("participant", "/admin/login/"), ("trainer", 200), ("other_trainer", "/admin/"), ("admin_user", 200)],
)
def test_roster_access(client, request, session, participant, role, expected):
    """Refusals in the Wagtail admin are redirects: to the login (no admin access) or the dashboard (not yours)."""
    service.register(session, participant)
    client.force_login(request.getfixturevalue(role))
    response = client.get(roster_url(session))
    if expected == 200:
        assert response.status_code == 200
        assert participant.profile.full_name in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"].split("?")[0].endswith(expected)


def test_anonymous_is_sent_to_the_admin_login(client, session):
    response = client.get(roster_url(session))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_index_shows_trainers_only_their_sessions(client, session, course, trainer, other_trainer, admin_user):
    other = make_session(
        course, starts_at=factories.bishkek(2026, 12, 20), trainers=[other_trainer], title="Naryn cohort"
    )
    session.title = "Batken cohort"
    session.save()
    client.force_login(trainer)
    body = client.get("/admin/registrations/").content.decode()
    assert "Batken cohort" in body and "Naryn cohort" not in body
    client.force_login(admin_user)
    body = client.get("/admin/registrations/").content.decode()
    assert "Batken cohort" in body and "Naryn cohort" in body
    assert other.pk


def test_menu_item_for_staff_only(client, trainer, participant, homes):
    client.force_login(trainer)
    assert "/admin/registrations/" in client.get("/admin/").content.decode()


def test_bulk_approve_by_the_trainer(client, approval_session, make_participant, trainer):
    registrations = [service.register(approval_session, make_participant()) for _ in range(3)]
    client.force_login(trainer)
    response = client.post(
        roster_url(approval_session),
        {"action": "approve", "registration": [registration.pk for registration in registrations], "note": ""},
    )
    assert response.status_code == 302
    assert list(approval_session.registrations.order_by("created_at", "pk").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_bulk_reject_and_cancel(client, approval_session, make_participant, admin_user):
    first, second = (service.register(approval_session, make_participant()) for _ in range(2))
    client.force_login(admin_user)
    client.post(roster_url(approval_session), {"action": "reject", "registration": [first.pk], "note": "Quota"})
    first.refresh_from_db()
    assert (first.status, first.decision_note) == ("rejected", "Quota")
    client.post(roster_url(approval_session), {"action": "cancel", "registration": [second.pk]})
    second.refresh_from_db()
    assert second.status == "cancelled"


def test_a_trainer_must_give_a_reason_to_cancel_in_the_admin(client, session, participant, trainer):
    registration = service.register(session, participant)
    client.force_login(trainer)
    response = client.post(roster_url(session), {"action": "cancel", "registration": [registration.pk]}, follow=True)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_bulk_actions_refuse_ids_of_other_sessions_and_other_trainers(
    client, session, approval_session, make_participant, trainer, other_trainer
):
    elsewhere = service.register(session, make_participant())
    pending = service.register(approval_session, make_participant())
    client.force_login(trainer)
    client.post(roster_url(approval_session), {"action": "cancel", "registration": [elsewhere.pk], "note": "x"})
    elsewhere.refresh_from_db()
    assert elsewhere.status == "confirmed"
    client.force_login(other_trainer)
    response = client.post(roster_url(approval_session), {"action": "approve", "registration": [pending.pk]})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_roster_page_runs_a_bounded_number_of_queries(client, session, admin_user, django_assert_max_num_queries):
    session.capacity = 500
    session.save()
    for _ in range(1000 // 10):
        user = factories.participant(profile__organization=factories.OrganizationFactory())
        Registration.objects.create(session=session, user=user, status="confirmed")
    client.force_login(admin_user)
    client.get(roster_url(session))
    with django_assert_max_num_queries(40):
        response = client.get(roster_url(session))
    assert response.status_code == 200


def test_index_runs_a_bounded_number_of_queries(client, course, admin_user, django_assert_max_num_queries, clock):
    from datetime import timedelta

    for day in range(60):
        factories.make_session(course, starts_at=factories.bishkek(2026, 12, 2) + timedelta(days=day))
    client.force_login(admin_user)
    client.get("/admin/registrations/")
    with django_assert_max_num_queries(40):
        assert client.get("/admin/registrations/?when=all").status_code == 200


@pytest.mark.parametrize(("role", "expected"), [("trainer", 200), ("other_trainer", 302), ("admin_user", 200)])
def test_roster_export(client, request, session, participant, role, expected):
    service.register(session, participant)
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"/admin/registrations/session/{session.pk}/export.xlsx")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(BytesIO(response.content)).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert participant.profile.full_name in values
        assert participant.email in values


@pytest.mark.parametrize(
    ("role", "expected"), [("trainer", "/admin/"), ("other_trainer", "/admin/"), ("participant", "/admin/login/")]
)
def test_only_admins_import(client, request, session, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"/admin/registrations/session/{session.pk}/import/")
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith(expected)
    response = client.post(
        f"/admin/registrations/session/{session.pk}/import/", {"file": SimpleUploadedFile("l.csv", b"a;b")}
    )
    assert response.status_code == 302


def test_import_upload_mapping_check_and_confirm(client, session, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    content = xlsx_bytes(
        [
            ["Тренингдин катышуучулары"],
            ["Аты-жөнү", "Кызматы", "Телефон", "Эл. почта"],
            ["Айбек Асанов", "Адис", "0700 123 456", "aibek@example.org"],
            ["Жок", "", "", ""],
        ]
    )
    url = f"/admin/registrations/session/{session.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("list.xlsx", content)})
    assert response.status_code == 302
    mapping_url = response["Location"]
    page = client.get(mapping_url).content.decode()
    assert '<option value="full_name" selected>' in page
    assert '<option value="email" selected>' in page
    fields = {"column_0": "full_name", "column_1": "position", "column_2": "phone", "column_3": "email"}
    check = client.post(mapping_url, {**fields, "step": "check"})
    body = check.content.decode()
    assert "nothing saved yet" in body.lower() or "Check" in body
    assert "e-mail address or a Kyrgyz phone number" in body
    assert not Registration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(mapping_url, {**fields, "step": "confirm"})
    assert done.status_code == 200
    assert Registration.objects.get().user.email == "aibek@example.org"
    # The upload is gone once imported: the same token cannot import twice.
    again = client.post(mapping_url, {**fields, "step": "confirm"})
    assert again.status_code == 302
    assert Registration.objects.count() == 1


def test_upload_errors_are_shown_on_the_form(client, session, admin_user, settings):
    client.force_login(admin_user)
    url = f"/admin/registrations/session/{session.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("list.xls", b"old")})
    assert response.status_code == 200 and ".xlsx or .csv" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("list.xlsx", b"not a workbook")})
    assert response.status_code == 200 and "could not be read" in response.content.decode()
    settings.ACADEMY_MAX_UPLOAD_BYTES = 5
    response = client.post(url, {"file": SimpleUploadedFile("list.csv", "ФИО;Email\n".encode())})
    assert response.status_code == 200 and "too large" in response.content.decode()
    assert client.post(url, {}).status_code == 200


def test_someone_elses_import_token_is_refused(client, session, admin_user):
    client.force_login(admin_user)
    response = client.get(f"/admin/registrations/session/{session.pk}/import/forged-token/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/registrations/session/{session.pk}/import/")
