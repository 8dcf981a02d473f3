"""Costs (issue 19.4): budget lines per session, totals per course and funding project, cost per participant
and per participant-hour; the admin page, its .xlsx, the API, the session form and bad input.

Hand count on the report world (tests/reports/conftest.py, clock 1 Dec 2026):

* S1 (`course`, 16 h, held, P1): 3 participants (A, B, C) → 48 participant-hours;
  venue 15,000 + 5,000.50, trainers' fees 12,000, per diem 9,000 → 41,000.50 KGS;
  13,666.83 per participant, 854.18 per participant-hour.
* S2 (`course2`, 8 h, held, P2): 2 participants, no costs entered.
* S3 (`course`, ahead, P1): materials 3,000; not held, so no participants and no ratios.
* The draft and the cancelled session have costs that must never count.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import CostKind, SessionCost
from reports.services import costs
from reports.services.base import ReportFilters
from tests.catalogue.conftest import make_venue
from tests.catalogue.test_admin import session_form

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/costs/"


def cost(session, kind, amount, note=""):
    return SessionCost.objects.create(session=session, kind=kind, amount=Decimal(amount), note=note)


@pytest.fixture
def budgets(world):
    cost(world.s1, CostKind.VENUE, "15000")
    cost(world.s1, CostKind.VENUE, "5000.50", "second day")
    cost(world.s1, CostKind.TRAINER_FEES, "12000")
    cost(world.s1, CostKind.PER_DIEM, "9000")
    cost(world.s3, CostKind.MATERIALS, "3000")
    cost(world.draft, CostKind.VENUE, "99999")
    cost(world.cancelled, CostKind.VENUE, "88888")
    return world


def test_figures_per_session_course_and_funding_project_match_the_hand_count(budgets):
    w = budgets
    data = costs.figures(ReportFilters())
    sessions = {row["id"]: row for row in data["sessions"]}
    assert set(sessions) == {w.s1.pk, w.s2.pk, w.s3.pk}
    s1 = sessions[w.s1.pk]
    assert s1["total"] == Decimal("41000.50")
    assert s1["by_kind"]["venue"] == Decimal("20000.50")
    assert s1["by_kind"]["materials"] == 0
    assert (s1["participants"], s1["participant_hours"]) == (3, 48)
    assert s1["cost_per_participant"] == Decimal("13666.83")
    assert s1["cost_per_participant_hour"] == Decimal("854.18")
    s2 = sessions[w.s2.pk]
    assert s2["total"] is None and s2["cost_per_participant"] is None
    assert (s2["participants"], s2["participant_hours"]) == (2, 16)
    s3 = sessions[w.s3.pk]
    assert s3["total"] == Decimal("3000") and s3["participants"] == 0 and s3["cost_per_participant"] is None

    totals = data["totals"]
    assert totals["total"] == Decimal("44000.50")
    assert (totals["sessions_with_costs"], totals["sessions_without_costs"]) == (2, 1)
    # Ratios only over held sessions with costs: S1.
    assert (totals["participants"], totals["participant_hours"]) == (3, 48)
    assert totals["cost_per_participant"] == Decimal("13666.83")
    assert totals["cost_per_participant_hour"] == Decimal("854.18")

    projects = {row["funding_project_id"]: row for row in data["funding_projects"]}
    assert projects[w.p1.pk]["total"] == Decimal("44000.50")
    assert projects[w.p1.pk]["cost_per_participant_hour"] == Decimal("854.18")
    assert projects[w.p2.pk]["total"] is None  # no costs entered, not zero
    assert projects[w.p2.pk]["sessions_without_costs"] == 1
    courses = {row["course"]: row for row in data["courses"]}
    assert courses["Жергиликтүү бюджет"]["total"] is None


def test_filters_by_funding_project_and_period(budgets):
    w = budgets
    only_p2 = costs.figures(ReportFilters(funding_project_id=w.p2.pk))
    assert [row["id"] for row in only_p2["sessions"]] == [w.s2.pk]
    assert only_p2["totals"]["total"] is None
    from datetime import date

    march = costs.figures(ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    assert [row["id"] for row in march["sessions"]] == [w.s1.pk]
    assert march["totals"]["total"] == Decimal("41000.50")


def test_no_costs_at_all_reads_no_costs_entered_never_zero(world):
    report = costs.report(ReportFilters())
    assert report.figure("total").value == "no costs entered"
    assert report.figure("cost_per_participant").value is None
    rows = report.table("sessions").rows
    assert {row["total"] for row in rows} == {"no costs entered"}


def test_query_count_is_bounded(budgets, grow, django_assert_max_num_queries):
    for size in (2, 20):
        grow(size)
        for session in budgets.course.sessions.all()[:size]:
            cost(session, CostKind.TRAVEL, "4500")
        # Five queries, plus on PostgreSQL the savepoint, its release and work_mem (with_report_memory).
        with django_assert_max_num_queries(8):
            costs.figures(ReportFilters(funding_project_id=budgets.p1.pk))


# The admin page and its export --------------------------------------------------------------------------


def test_admins_open_the_page_and_the_xlsx_opens(client, budgets):
    client.force_login(budgets.admin)
    response = client.get(reverse("reports_admin:costs"), {"funding_project": budgets.p1.pk})
    assert response.status_code == 200
    assert response.context["report"].figure("total").value == 44000.5
    response = client.get(reverse("reports_admin:costs"), {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[-1]  # by session
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    totals = [row[values[0].index("Total, KGS")] for row in values[1:]]
    assert 41000.5 in totals and "no costs entered" in totals


def test_trainers_participants_and_anonymous_cannot_open_the_page(client, budgets):
    url = reverse("reports_admin:costs")
    response = client.get(url)
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    for user in (budgets.trainer, budgets.a):
        client.force_login(user)
        response = client.get(url + "?export=xlsx")
        assert response.status_code == 302
        assert "spreadsheet" not in response.get("Content-Type", "")


def test_bad_filters_on_the_page_show_errors_not_500(client, budgets):
    client.force_login(budgets.admin)
    response = client.get(reverse("reports_admin:costs"), {"funding_project": "x"})
    assert response.status_code == 200
    assert response.context["report"] is None


# The API ---------------------------------------------------------------------------------------------------


def test_api_gives_admins_the_figures(api_client, budgets):
    api_client.force_authenticate(budgets.admin)
    response = api_client.get(API, {"funding_project": budgets.p1.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["currency"] == "KGS"
    assert data["totals"]["total"] == "44000.50"
    assert data["totals"]["cost_per_participant_hour"] == "854.18"
    assert data["funding_projects"][0]["by_kind"]["venue"] == "20000.50"
    s3 = next(row for row in data["sessions"] if row["id"] == budgets.s3.pk)
    assert s3["costs_entered"] is True and s3["cost_per_participant"] is None


def test_api_shows_sessions_without_costs_as_not_entered(api_client, budgets):
    api_client.force_authenticate(budgets.admin)
    data = api_client.get(API, {"funding_project": budgets.p2.pk}).json()
    assert data["totals"]["total"] is None
    assert data["sessions"][0]["costs_entered"] is False


def test_api_denies_trainers_participants_and_anonymous(api_client, budgets):
    assert api_client.get(API).status_code in (401, 403)
    for user in (budgets.trainer, budgets.a):
        api_client.force_authenticate(user)
        response = api_client.get(API)
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "code", "errors"}


def test_api_rejects_bad_filters(api_client, budgets):
    api_client.force_authenticate(budgets.admin)
    response = api_client.get(API, {"funding_project": "x", "date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert {"funding_project", "date_to"} <= set(response.json()["errors"])


def test_api_query_count_is_bounded(api_client, budgets, grow, django_assert_max_num_queries):
    api_client.force_authenticate(budgets.admin)
    for size in (2, 20):
        grow(size)
        with django_assert_max_num_queries(12):
            assert api_client.get(API, {"funding_project": budgets.p1.pk}).status_code == 200


# Entering costs --------------------------------------------------------------------------------------------

ADD = "/admin/snippets/courses/session/add/"


def with_costs(data, rows):
    data.update({"costs-TOTAL_FORMS": len(rows), "costs-INITIAL_FORMS": 0})
    for index, (kind, amount) in enumerate(rows):
        data.update(
            {
                f"costs-{index}-kind": kind,
                f"costs-{index}-amount": amount,
                f"costs-{index}-note": "",
                f"costs-{index}-id": "",
                f"costs-{index}-ORDER": index + 1,
                f"costs-{index}-DELETE": "",
            }
        )
    return data


def test_an_admin_enters_budget_lines_in_the_session_form(client, admin_user, course, clock):
    client.force_login(admin_user)
    data = with_costs(session_form(course, make_venue()), [("venue", "20000"), ("per_diem", "4500.50")])
    response = client.post(ADD, data)
    assert response.status_code == 302
    assert sorted(SessionCost.objects.values_list("kind", "amount")) == [
        ("per_diem", Decimal("4500.50")),
        ("venue", Decimal("20000.00")),
    ]


def test_a_negative_amount_is_refused_with_a_translated_error_and_nothing_saved(client, admin_user, course, clock):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ru"  # the admin answers in the user's language
    profile.save()
    client.force_login(admin_user)
    response = client.post(ADD, with_costs(session_form(course, make_venue()), [("venue", "-100")]))
    assert response.status_code == 200
    assert response.context["form"].formsets["costs"].forms[0].has_error("amount")
    assert "Убедитесь, что это значение больше либо равно 0." in response.content.decode()
    assert not SessionCost.objects.exists()
    assert not course.sessions.exists()


def test_the_model_and_the_database_refuse_negative_amounts(world):
    line = SessionCost(session=world.s1, kind=CostKind.VENUE, amount=Decimal("-1"))
    with pytest.raises(ValidationError):
        line.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_a_session_form_without_the_costs_section_keeps_the_lines(client, admin_user, course, clock):
    client.force_login(admin_user)
    response = client.post(ADD, with_costs(session_form(course, make_venue()), [("venue", "20000")]))
    assert response.status_code == 302
    session = course.sessions.get()
    data = session_form(course, make_venue(), title="Renamed")
    response = client.post(reverse("wagtailsnippets_courses_session:edit", args=[session.pk]), data)
    assert response.status_code == 302
    assert list(SessionCost.objects.values_list("amount", flat=True)) == [Decimal("20000.00")]


def test_a_trainer_editing_their_session_neither_sees_nor_changes_its_costs(client, admin_user, course, clock):
    from tests import factories

    client.force_login(admin_user)
    assert client.post(ADD, with_costs(session_form(course, make_venue()), [("venue", "20000")])).status_code == 302
    session = course.sessions.get()
    trainer = factories.trainer()
    session.trainers.add(trainer)
    session.save()
    edit = reverse("wagtailsnippets_courses_session:edit", args=[session.pk])
    assert 'name="costs-TOTAL_FORMS"' in client.get(edit).content.decode()

    client.force_login(trainer)
    page = client.get(edit)
    assert page.status_code == 200
    assert 'name="costs-TOTAL_FORMS"' not in page.content.decode()
    data = with_costs(session_form(course, make_venue(), title="Renamed"), [("venue", "1")])
    data["trainers"] = [trainer.pk]
    response = client.post(edit, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Renamed"
    assert list(SessionCost.objects.values_list("amount", flat=True)) == [Decimal("20000.00")]
