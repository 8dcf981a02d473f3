"""Report screens in the Wagtail admin: who may open what, what they see, and exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.services.registry import REPORTS

pytestmark = pytest.mark.django_db

REPORT_URLS = [f"reports_admin:{key}" for key in REPORTS]
ADMIN_ONLY_URLS = ["reports_admin:donor_summary", "reports_admin:participant_list"]


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _people(response):
    return response.context["report"].figure("people").value


@pytest.mark.parametrize("name", ["reports_admin:index", *REPORT_URLS, *ADMIN_ONLY_URLS])
def test_anonymous_and_participants_are_sent_to_the_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
    _login(client, world.a)
    response = client.get(reverse(name) + "?export=xlsx")
    assert response.status_code == 302
    assert "spreadsheet" not in response.get("Content-Type", "")


@pytest.mark.parametrize("name", ["reports_admin:index", *REPORT_URLS])
def test_trainers_and_admins_open_every_report(client, world, name):
    for user in (world.trainer, world.other_trainer, world.admin):
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 200, (user, name)


@pytest.mark.parametrize("name", ADMIN_ONLY_URLS)
def test_trainers_cannot_open_admin_only_screens(client, world, name):
    for user in (world.trainer, world.other_trainer):
        client.force_login(user)
        response = client.get(reverse(name) + "?export=xlsx")
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    client.force_login(world.admin)
    assert client.get(reverse(name)).status_code == 200


def test_each_trainer_sees_own_sessions_and_admin_sees_all(client, world):
    url = reverse("reports_admin:participants")
    assert _people(_login(client, world.trainer).get(url)) == 4
    assert _people(_login(client, world.other_trainer).get(url)) == 2
    assert _people(_login(client, world.admin).get(url)) == 5
    # A trainer cannot widen the scope by choosing another trainer.
    response = _login(client, world.trainer).get(url, {"trainer": world.other_trainer.pk})
    assert _people(response) == 0


def test_trainers_report_for_a_trainer_lists_only_them(client, world):
    response = _login(client, world.trainer).get(reverse("reports_admin:trainers"))
    rows = response.context["report"].table("trainers").rows
    assert [row["trainer_id"] for row in rows] == [world.trainer.pk]


@pytest.mark.parametrize("name", REPORT_URLS + ["reports_admin:donor_summary"])
def test_aggregate_reports_never_show_personal_data(client, world, name):
    client.force_login(world.admin)
    for suffix in ("", "?export=csv"):
        response = client.get(reverse(name) + suffix)
        body = response.content.decode()
        for someone in (world.a, world.b, world.c, world.d):
            assert someone.email not in body
            assert someone.profile.full_name not in body
            assert someone.profile.phone not in body


def test_report_page_shows_figures_charts_and_tables(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports_admin:reach"))
    body = response.content.decode()
    assert "<svg" in body and 'class="report-map"' in body
    assert "Kyshtut" in body or "Кыштут" in body
    assert "cdn" not in body.lower() or "cdn" not in "".join(
        line for line in body.splitlines() if "<script" in line or "<link" in line
    )
    assert response.context["report"].figure("municipalities").value == 3


def test_filters_apply_and_invalid_filters_show_errors_not_500(client, world):
    client.force_login(world.admin)
    url = reverse("reports_admin:participants")
    assert _people(client.get(url, {"region": world.batken.pk})) == 2
    response = client.get(url, {"region": "nope", "date_from": "2026-13-45"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert set(response.context["filterset"].form.errors) == {"region", "date_from"}
    response = client.get(url, {"date_from": "2026-06-01", "date_to": "2026-01-01", "export": "xlsx"})
    assert response.status_code == 200  # no file for invalid filters
    assert "date_to" in response.context["filterset"].form.errors
    response = client.get(url, {"region": world.naryn.pk, "district": world.a.profile.municipality.district_id})
    assert "district" in response.context["filterset"].form.errors


@pytest.mark.parametrize("key", list(REPORTS))
def test_every_report_exports_to_xlsx_and_csv(client, world, key):
    client.force_login(world.admin)
    url = reverse(f"reports_admin:{key}")
    response = client.get(url, {"export": "xlsx", "funding_project": world.p1.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) >= 2
    response = client.get(url, {"export": "csv", "sep": "comma"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0]


def test_exports_neutralise_formulas(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports_admin:feedback"), {"export": "csv", "sep": "comma"})
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports_admin:feedback"), {"export": "xlsx"}).content))
    values = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(str(value).startswith("'=HYPERLINK") for value in values)
    assert not any(str(value).startswith("=") for value in values)


def test_participants_export_figures_match(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports_admin:participants"), {"export": "xlsx"})
    summary = load_workbook(io.BytesIO(response.content)).worksheets[0]
    figures = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert figures["People trained"] == 5
    assert figures["Registrations"] == 6
    assert figures["Gender not given"] == 1


def test_participant_list_export_is_admin_only_and_has_personal_data(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("reports_admin:participant_list"))
    assert world.a.email not in page.content.decode()  # the screen itself lists nobody
    response = client.get(reverse("reports_admin:participant_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
    emails = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(emails) == sorted(
        [world.a.email, world.a.email, world.b.email, world.c.email, world.d.email, world.f.email]
    )
    assert world.e.email not in emails and world.g.email not in emails


def test_donor_summary_html_print_and_pdf(client, world):
    client.force_login(world.admin)
    url = reverse("reports_admin:donor_summary")
    params = {"funding_project": world.p1.pk, "date_from": "2026-01-01", "date_to": "2026-12-31"}
    response = client.get(url, params)
    assert response.status_code == 200
    assert response.context["report"].figure("people").value == 4  # S1 (A, B, C) and S3 (F)
    printable = client.get(url, {**params, "output": "print"})
    assert printable.status_code == 200
    body = printable.content.decode()
    assert world.p1.name_en in body or world.p1.name_ky in body
    assert "report-map" in body
    pdf = client.get(url, {**params, "output": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf.content)
    assert len(document) == 1  # one page per project and period
    text = document[0].get_textpage().get_text_range()
    assert "Баткен" in text or "Batken" in text


def test_menu_shows_reports_to_staff_only(client, world):
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    def labels(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        items = [item for item in admin_menu.menu_items_for_request(request) if item.name == "training-reports"]
        return [str(sub.label) for item in items for sub in item.menu.menu_items_for_request(request)]

    assert "Participant list" in labels(world.admin)
    assert "Participants" in labels(world.trainer)
    assert "Participant list" not in labels(world.trainer)
    assert labels(world.a) == []
