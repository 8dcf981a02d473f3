"""The outcome report's admin page, .xlsx, donor PDF and API: who may see them, and bad input."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from courses.models import ActionPlanItem
from tests.pdf_academy import NAMES, set_academy_names
from tests.pdf_checks import font_problems, info_xmp_mismatches, metadata, open_pdf

from .test_outcomes import outcome_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/outcomes/"


def page():
    return reverse("reports_admin:outcomes")


def test_admins_see_every_level_and_the_sessions(client, outcome_world):  # noqa: F811
    w = outcome_world
    client.force_login(w.admin)
    response = client.get(page(), {"funding_project": w.p1.pk, "from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.figure("people").value == 4
    assert report.figure("improved_share").value == 50.0
    assert report.figure("action_done_share").value == 25.0
    assert report.figure("cost_per_participant_hour").value == 854.18
    assert [len(figures) for _title, figures in report.levels] == [6, 6, 6, 6, 4]
    assert len(report.table("sessions").rows) == 2
    assert "01.01.2026" in response.context["period_line"]


def test_the_page_without_a_project_asks_for_one(client, outcome_world):  # noqa: F811
    client.force_login(outcome_world.admin)
    response = client.get(page())
    assert response.status_code == 200 and response.context["report"] is None
    response = client.get(page(), {"funding_project": "x", "from": "2026-05-01", "to": "2026-01-01"})
    assert response.status_code == 200 and response.context["report"] is None
    assert set(response.context["form"].errors) == {"funding_project", "to"}


def test_the_xlsx_has_the_figures_and_every_session_as_safe_text(client, outcome_world):  # noqa: F811
    w = outcome_world
    w.s1.title = '=HYPERLINK("http://evil")'
    w.s1.save()
    client.force_login(w.admin)
    response = client.get(page(), {"funding_project": w.p1.pk, "export": "xlsx"})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]
    workbook = load_workbook(io.BytesIO(response.content))
    summary = [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]
    values = {row[0]: row[1] for row in summary if row and len(row) > 1}
    assert values["People trained"] == 4 and values["Share done"] == 25.0
    sessions = [[cell.value for cell in row] for row in workbook.worksheets[1].iter_rows()]
    titles = [row[1] for row in sessions[1:]]
    assert '\'=HYPERLINK("http://evil")' in titles
    assert all(not str(cell).startswith("=") for row in sessions for cell in row if cell is not None)


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_donor_pdf_in_the_request_language(client, outcome_world, language):  # noqa: F811
    set_academy_names()
    client.force_login(outcome_world.admin)
    # The admin speaks Russian or English; the donor PDF also comes in Kyrgyz (`lang`).
    response = client.get(page(), {"funding_project": outcome_world.p1.pk, "output": "pdf", "lang": language})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    info, xmp, _raw = metadata(response.content)
    with translation.override(language):
        title = translation.gettext("Outcome report")
        level = translation.gettext("Learning (level 2)")
    assert info["Title"].startswith(f"{title}: ")
    assert info["Author"] == NAMES[f"name_{language}"]
    assert info_xmp_mismatches(info, xmp) == []
    assert font_problems(response.content) == []
    with open_pdf(response.content) as pdf:
        assert len(pdf.pages) >= 1
    if language != "en":
        assert title != "Outcome report" and level != "Learning (level 2)"  # translated


def test_a_project_with_many_sessions_fits_its_first_rows_in_the_pdf(outcome_world):  # noqa: F811
    from reports.outcomes.pdf import PDF_SESSION_ROWS, outcome_pdf
    from reports.services.base import ReportFilters
    from reports.services.outcomes import report as outcomes_report

    report = outcomes_report.report(ReportFilters(funding_project_id=outcome_world.p1.pk))
    row = report.table("sessions").rows[0]
    report.table("sessions").rows = [row] * (PDF_SESSION_ROWS + 5)
    content = outcome_pdf(report, "2026")
    with open_pdf(content) as pdf:
        text = b"".join(page.Contents.read_bytes() for page in pdf.pages if "/Contents" in page)
    assert content.startswith(b"%PDF") and text


def test_the_pdf_without_a_language_speaks_the_admins_language(client, outcome_world):  # noqa: F811
    set_academy_names()
    client.force_login(outcome_world.admin)
    response = client.get(page(), {"funding_project": outcome_world.p1.pk, "output": "pdf", "lang": "xx"})
    assert response.status_code == 200
    info, _xmp, _raw = metadata(response.content)
    language = response.wsgi_request.LANGUAGE_CODE[:2]
    assert info["Author"] == NAMES[f"name_{language}"]


def test_trainers_participants_and_anonymous_cannot_open_the_page(client, outcome_world):  # noqa: F811
    w = outcome_world
    query = {"funding_project": w.p1.pk, "export": "xlsx"}
    response = client.get(page(), query)
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    for user in (w.trainer, w.a):
        client.force_login(user)
        response = client.get(page(), query)
        assert response.status_code == 302
        assert "spreadsheet" not in response.get("Content-Type", "")


# The API ------------------------------------------------------------------------------------------------------


def test_api_gives_admins_every_level(api_client, outcome_world):  # noqa: F811
    w = outcome_world
    api_client.force_authenticate(w.admin)
    response = api_client.get(API, {"funding_project": w.p1.pk, "from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["funding_project"]["id"] == w.p1.pk and data["date_from"] == "2026-01-01"
    assert data["reach"]["people"] == 4 and data["reach"]["women_share"] == 33.3
    assert data["satisfaction"]["average"] == 4.17
    assert data["learning"]["gain_percentage_points"] == 25.0
    assert data["action_plan"] == {
        "items": 4,
        "not_reported": 1,
        "in_progress": 1,
        "done": 1,
        "dropped": 1,
        "done_share": 25.0,
    }
    assert data["cost"]["total"] == "44000.50" and data["cost"]["per_participant_hour"] == "854.18"
    assert {row["id"] for row in data["sessions"]} == {w.s1.pk, w.s3.pk}


def test_api_trainers_and_participants_403_anonymous_401(api_client, outcome_world):  # noqa: F811
    w = outcome_world
    response = api_client.get(API, {"funding_project": w.p1.pk})
    assert response.status_code == 401 and "WWW-Authenticate" in response
    for user in (w.trainer, w.a):
        api_client.force_authenticate(user)
        response = api_client.get(API, {"funding_project": w.p1.pk})
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "code", "errors"}


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({}, {"funding_project"}),
        ({"funding_project": "x"}, {"funding_project"}),
        ({"funding_project": "99999999999999999999999"}, {"funding_project"}),
        ({"funding_project": "987654"}, {"funding_project"}),
        ({"funding_project": "P1", "from": "2026-13-01"}, {"from"}),
        ({"funding_project": "P1", "from": "2026-05-01", "to": "2026-01-01"}, {"to"}),
        ({"funding_project": "P1", "to": "yesterday"}, {"to"}),
    ],
)
def test_api_rejects_bad_input_with_translated_messages(api_client, outcome_world, query, fields):  # noqa: F811
    query = {key: (outcome_world.p1.pk if value == "P1" else value) for key, value in query.items()}
    api_client.force_authenticate(outcome_world.admin)
    response = api_client.get(API, query, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == fields
    message = " ".join(errors[field][0] for field in fields)
    assert any("\u0400" <= char <= "\u04ff" for char in message), message  # Russian, not English


def test_api_query_count_is_bounded(api_client, outcome_world, grow, django_assert_max_num_queries):  # noqa: F811
    api_client.force_authenticate(outcome_world.admin)
    for size in (2, 20):
        grow(size)
        for session in outcome_world.course.sessions.all()[:size]:
            ActionPlanItem.objects.create(session=session, what="X", responsible_name="Y", due_date="2027-01-01")
        with django_assert_max_num_queries(28):
            assert api_client.get(API, {"funding_project": outcome_world.p1.pk}).status_code == 200
