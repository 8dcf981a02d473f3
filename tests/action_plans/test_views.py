"""The responsible person's phone page (signed link), the trainer's page, the API, the admin report."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from academy.errors import DomainError
from courses.models import ActionPlanItem, ActionPlanReport
from courses.services import action_plans as service
from tests import factories

from .conftest import make_item
from .test_services import item_data, png

pytestmark = pytest.mark.django_db


def link(participant, session, language="ky"):
    return f"/{language}/action-plan/{service.make_token(participant, session, 6)}/"


# The responsible person's page ------------------------------------------------------------------------------------


def test_follow_up_page_lists_the_person_items_only(
    client, session, item, participant, other_participant, django_assert_max_num_queries
):
    other = make_item(session, other_participant, what="Башка адамдын пункту")
    with django_assert_max_num_queries(12):
        response = client.get(link(participant, session))
    assert response.status_code == 200
    assert item.what in response.content.decode()
    assert other.what not in response.content.decode()


def test_follow_up_report_with_a_photo(client, session, item, participant):
    response = client.post(
        link(participant, session), {"item": item.pk, "status": "done", "comment": "Бүттү", "file": png()}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    report = ActionPlanReport.objects.get()
    assert (report.round, report.reported_by, report.comment) == (6, participant, "Бүттү")


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_bad_links_show_a_translated_message_and_change_nothing(client, session, item, participant, language):
    bad = f"/{language}/action-plan/not-a-token/"
    response = client.post(bad, {"item": item.pk, "status": "done"})
    assert response.status_code == 404
    text = response.content.decode()
    expected = {
        "ky": "шилтеме жараксыз",
        "ru": "Ссылка недействительна",
        "en": "This link is not valid",
    }[language]
    assert expected in text
    item.refresh_from_db()
    assert item.status == "not_reported" and not ActionPlanReport.objects.exists()


def test_expired_link(client, session, item, participant):
    token_url = link(participant, session)
    with time_machine.travel(factories.bishkek(2027, 3, 15), tick=False):
        response = client.post(token_url, {"item": item.pk, "status": "done"})
    assert response.status_code == 410
    assert not ActionPlanReport.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ky", "Бул окуу жокко чыгарылган"), ("ru", "Это обучение отменено"), ("en", "This training was cancelled")],
)
def test_a_cancelled_session_takes_no_reports(client, session, item, participant, trainer, language, expected):
    url = link(participant, session, language)
    session.status = "cancelled"
    session.save(update_fields=["status"])
    response = client.post(url, {"item": item.pk, "status": "done"})
    assert response.status_code == 410
    assert expected in response.content.decode()
    with pytest.raises(DomainError):
        service.report_item(trainer, item, status="done", round="6")  # nor through the trainer's page or the API
    item.refresh_from_db()
    assert item.status == "not_reported" and not ActionPlanReport.objects.exists()


def test_follow_up_page_refuses_someone_elses_item_and_bad_input(client, session, item, participant, other_participant):
    other = make_item(session, other_participant)
    for data in (
        {"item": other.pk, "status": "done"},
        {"item": "x", "status": "done"},
        {"item": item.pk, "status": "finished"},
    ):
        response = client.post(link(participant, session, "ru"), data)
        assert response.status_code == 400
    assert not ActionPlanReport.objects.exists()
    assert not ActionPlanItem.objects.exclude(status="not_reported").exists()


# The trainer's page -----------------------------------------------------------------------------------------------


def test_trainer_page_and_add(client, session, item, orphan_item, trainer, django_assert_max_num_queries):
    client.force_login(trainer)
    url = reverse("action_plan_session", args=[session.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    assert "no one to ask" in response.content.decode() or "эч ким" in response.content.decode().lower()
    for index in range(5):
        make_item(session, None, what=f"Пункт {index}")
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
    response = client.post(url, item_data())
    assert response.status_code == 302
    response = client.post(url, item_data(due_date="2020-01-01"))
    assert response.status_code == 400
    assert ActionPlanItem.objects.filter(session=session).count() == 8


def test_trainer_reports_edits_and_deletes(client, session, orphan_item, trainer):
    client.force_login(trainer)
    client.post(reverse("action_plan_item_report", args=[orphan_item.pk]), {"status": "in_progress", "round": "6"})
    orphan_item.refresh_from_db()
    assert orphan_item.status == "in_progress"
    response = client.post(reverse("action_plan_item_edit", args=[orphan_item.pk]), item_data(what="Өзгөртүлдү"))
    assert response.status_code == 302
    client.post(reverse("action_plan_item_delete", args=[orphan_item.pk]))
    assert not ActionPlanItem.objects.filter(pk=orphan_item.pk).exists()


def test_trainer_pages_refuse_others(client, session, item, other_trainer, participant):
    for user in (other_trainer, participant):
        client.force_login(user)
        assert client.get(reverse("action_plan_session", args=[session.pk])).status_code == 403
        assert client.post(reverse("action_plan_item_delete", args=[item.pk])).status_code == 403
    assert ActionPlanItem.objects.filter(pk=item.pk).exists()
    client.logout()
    assert client.get(reverse("action_plan_session", args=[session.pk])).status_code == 302


def test_report_file_for_managers_and_the_responsible_person(client, item, participant, trainer, other_participant):
    report = service.report_item(participant, item, status="done", round="6", file=png())
    url = reverse("action_plan_report_file", args=[report.pk])
    for user, expected in ((participant, 200), (trainer, 200), (other_participant, 403)):
        client.force_login(user)
        assert client.get(url).status_code == expected


# API -------------------------------------------------------------------------------------------------------------


def test_api_permissions_and_input(session, item, trainer, other_trainer):
    api = APIClient()
    url = f"/api/v1/sessions/{session.pk}/action-plan/"
    assert api.get(url).status_code == 401
    api.force_authenticate(other_trainer)
    assert api.get(url).status_code == 403
    assert api.post(url, item_data(), format="json").status_code == 403
    api.force_authenticate(trainer)
    response = api.get(url)
    assert response.status_code == 200 and response.json()[0]["id"] == item.pk
    response = api.post(url, item_data(), format="json")
    assert response.status_code == 201 and response.json()["no_one_to_ask"] is True
    response = api.post(url, item_data(due_date="2026-01-01"), format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400 and "due_date" in response.json()["errors"]
    assert api.get("/api/v1/sessions/999999/action-plan/").status_code == 404
    report_url = f"{url}{item.pk}/report/"
    response = api.post(report_url, {"status": "done", "round": "6", "comment": "ok"})
    assert response.status_code == 201
    assert api.post(report_url, {"status": "done", "round": "5"}).status_code == 400
    assert api.post(f"{url}999999/report/", {"status": "done", "round": "6"}).status_code == 404
    item.refresh_from_db()
    assert item.status == "done"


def test_api_report_by_the_responsible_person_own_items_only(
    session, item, orphan_item, participant, other_participant, other_registration, django_assert_max_num_queries
):
    """The responsible person reports their own item through the API; someone else's item, or another person's:
    403, nothing written; no such item: 404 only for those who manage the session."""
    others_item = make_item(session, other_participant, what="Башка адамдын пункту")
    api = APIClient()
    url = f"/api/v1/sessions/{session.pk}/action-plan/"
    assert api.post(f"{url}{item.pk}/report/", {"status": "done", "round": "6"}).status_code == 401
    api.force_authenticate(participant)
    with django_assert_max_num_queries(12):
        response = api.post(
            f"{url}{item.pk}/report/", {"status": "done", "round": "6", "comment": "Бүттү", "file": png()}
        )
    assert response.status_code == 201 and response.json()["has_file"] is True
    report = ActionPlanReport.objects.get(item=item)
    assert report.reported_by == participant and report.comment == "Бүттү"
    for target in (others_item, orphan_item):
        assert api.post(f"{url}{target.pk}/report/", {"status": "done", "round": "6"}).status_code == 403
    assert api.post(f"{url}999999/report/", {"status": "done", "round": "6"}).status_code == 403
    assert api.get(url).status_code == 403  # the list stays for trainers and admins
    # The item under another session's address is not theirs to report there.
    other = factories.make_session(session.course, starts_at=factories.bishkek(2026, 5, 1), trainers=[])
    assert (
        api.post(
            f"/api/v1/sessions/{other.pk}/action-plan/{item.pk}/report/", {"status": "done", "round": "6"}
        ).status_code
        == 403
    )
    api.force_authenticate(other_participant)
    assert api.post(f"{url}{item.pk}/report/", {"status": "dropped", "round": "6"}).status_code == 403
    assert ActionPlanReport.objects.count() == 1
    item.refresh_from_db()
    assert item.status == "done"


# Admin report ----------------------------------------------------------------------------------------------------


def test_report_shares(session, participant, trainer, django_assert_max_num_queries):
    from reports.services import action_plans as report_service
    from reports.services.base import ReportFilters

    project = factories.FundingProjectFactory()
    session.funding_project = project
    session.save()
    for index, status in enumerate(["done", "done", "in_progress", "dropped"]):
        make_item(session, None, code="kyshtut" if index < 2 else "suu_bashy", status=status)
    with django_assert_max_num_queries(8):
        data = report_service.figures(ReportFilters())
    assert data["totals"]["total"] == 4 and data["totals"]["share_done"] == 50.0
    by_place = {row["municipality_id"]: row["share_done"] for row in data["municipalities"]}
    assert by_place[factories.municipality("kyshtut").pk] == 100.0
    assert by_place[factories.municipality("suu_bashy").pk] == 0.0
    assert data["funding_projects"][0]["share_done"] == 50.0
    assert data["sessions"][0]["total"] == 4 and data["courses"][0]["done"] == 2


def test_admin_report_page_and_xlsx(client, session, trainer):
    make_item(session, None, status="done")
    admin = factories.academy_admin()
    client.force_login(admin)
    url = reverse("reports_admin:action_plans")
    assert client.get(url).status_code == 200
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) >= 5
    client.force_login(factories.participant())
    assert client.get(url).status_code in (302, 403)
