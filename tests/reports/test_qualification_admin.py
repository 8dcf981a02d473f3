"""The admin screen of "who is due, where": allowed and denied, filters, bad input, map, .xlsx, queries."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from academy.models import District, Municipality, MunicipalityOfficer, Region
from reports import charts
from reports.services import qualification
from reports.services.qualification.tables import map_chart
from tests import factories
from tests.reports.qualification_world import TODAY, build_world, external, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course):
    with time_machine.travel(factories.bishkek(2026, 12, 1, 10), tick=False):
        yield build_world(course)


@pytest.fixture
def url():
    return reverse("reports_admin:qualification")


def district_id():
    return District.objects.get(code="batken_district").pk


def test_admin_sees_figures_table_and_map(client, admin_user, world, url):
    client.force_login(admin_user)
    response = client.get(url, {"district": district_id()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Бакыт Бекова" in html and "Чынара Чоробаева" in html and "Асель Алиева" not in html
    assert "<svg" in html and "report-map--districts" in html
    assert response.context["result"].totals["overdue"] == 2
    assert "Who is due for training" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_export_is_an_xlsx_with_every_person(client, admin_user, world, url):
    hostile = person('=HYPERLINK("http://x")', "kyshtut")
    client.force_login(admin_user)
    response = client.get(url, {"district": district_id(), "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    people = workbook.worksheets[1]
    names = [row[0] for row in people.iter_rows(min_row=2, values_only=True)]
    assert "Бакыт Бекова" in names and '\'=HYPERLINK("http://x")' in names
    assert all(cell.data_type != "f" for row in people.iter_rows() for cell in row)
    municipalities = workbook.worksheets[2]
    assert municipalities.max_row == 1 + 4
    assert hostile.pk


@pytest.mark.parametrize(
    "params",
    [{"oblast": "x"}, {"district": "0"}, {"status": "up_to_date"}, {"page": "-1"}],
)
def test_bad_filters_show_a_message_not_an_error(client, admin_user, world, url, params):
    client.force_login(admin_user)
    response = client.get(url, params)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "Correct the filters" in response.content.decode()


def test_non_nesting_places_are_refused(client, admin_user, world, url):
    client.force_login(admin_user)
    chui = Region.objects.get(code="chui").pk
    response = client.get(url, {"oblast": chui, "district": district_id()})
    assert response.context["result"] is None
    assert "not in the chosen oblast" in response.content.decode()


def test_trainers_participants_and_anonymous_are_refused(client, trainer, world, url):
    assert client.get(url).status_code == 302  # to the sign-in page
    for user in (trainer, world.a):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403)


def test_an_officer_sees_their_municipality_only(client, world, url):
    officer = factories.participant()
    officer.user_permissions.add(*_admin_access())
    MunicipalityOfficer.objects.create(user=officer, municipality=Municipality.objects.get(code="kyshtut"))
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert [row["code"] for row in response.context["result"].municipalities] == ["kyshtut"]
    assert "Чынара Чоробаева" not in response.content.decode()
    other = client.get(url, {"municipality": Municipality.objects.get(code="suu_bashy").pk})
    assert other.context["result"] is None


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="access_admin")


def test_query_count_is_bounded(client, admin_user, world, url, django_assert_max_num_queries):
    client.force_login(admin_user)
    client.get(url)
    for size in (2, 20):
        for index in range(size):
            external(person(f"Адам {size}-{index}", "ak_sai"), TODAY, 3)
        with django_assert_max_num_queries(40):
            assert client.get(url, {"oblast": Region.objects.get(code="batken").pk}).status_code == 200


def test_the_map_draws_districts_of_the_oblast_and_every_municipality(world):
    result = qualification.build(qualification.Place(region=Region.objects.get(code="batken")), today=TODAY)
    svg = str(charts.render(map_chart(result)))
    assert svg.startswith("<svg") and svg.count("<path") >= 3  # the three rural districts of Batken
    assert svg.count("<circle") >= len(result.municipalities)
    assert "Ак-Сай" in svg or Municipality.objects.get(code="ak_sai").name in svg
    country = str(charts.render(map_chart(qualification.build(today=TODAY))))
    assert country.count("<path") > 30


def test_map_text_is_escaped(world):
    chart = map_chart(
        qualification.build(qualification.Place(district=District.objects.get(code="batken_district")), today=TODAY)
    )
    chart.items["municipalities"][0]["label"] = "<script>alert(1)</script>"
    assert "<script>" not in str(charts.render(chart))
