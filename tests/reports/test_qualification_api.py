"""GET /api/v1/reports/qualification/: allowed and denied, bad input, bounded queries."""

import pytest
import time_machine

from academy.models import District, Municipality, MunicipalityOfficer, Region
from tests import factories
from tests.reports.qualification_world import build_world, external, person

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/qualification/"


@pytest.fixture
def world(course):
    with time_machine.travel(factories.bishkek(2026, 12, 1, 10), tick=False):
        yield build_world(course)


def ids(**codes):
    models = {"oblast": Region, "district": District, "municipality": Municipality}
    return {key: models[key].objects.get(code=code).pk for key, code in codes.items()}


def test_admin_gets_the_district(api_client, world, admin_user):
    api_client.force_authenticate(admin_user)
    response = api_client.get(URL, ids(oblast="batken", district="batken_district"))
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2026-12-01"
    assert data["place"]["district"]["code"] == "batken_district" and data["place"]["municipality"] is None
    assert data["totals"]["overdue"] == 2 and data["totals"]["no_one_trained"] == 1
    assert data["people"]["count"] == 3 and data["people"]["page"] == 1
    assert [row["status"] for row in data["people"]["results"]] == ["overdue", "overdue", "due_soon"]
    assert data["people"]["results"][2]["due_by"] == "2026-12-20"
    assert {row["code"]: row["no_one_trained"] for row in data["municipalities"]}["ak_sai"] is True


def test_status_filter_and_pages(api_client, world, admin_user):
    api_client.force_authenticate(admin_user)
    data = api_client.get(URL, {**ids(district="batken_district"), "status": "due_soon"}).json()
    assert [row["name"] for row in data["people"]["results"]] == ["Бакыт Бекова"]
    data = api_client.get(URL, {**ids(district="batken_district"), "page": 2}).json()
    assert data["people"]["results"] == [] and data["people"]["count"] == 3


@pytest.mark.parametrize(
    "params, field",
    [
        ({"oblast": "x"}, "oblast"),
        ({"district": "999999"}, "district"),
        ({"municipality": "1e3"}, "municipality"),
        ({"oblast": "99999999999999999999999"}, "oblast"),
        ({"status": "up_to_date"}, "status"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_input_is_a_400_with_a_message(api_client, world, admin_user, params, field):
    api_client.force_authenticate(admin_user)
    response = api_client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"] and body["errors"][field][0]


def test_places_that_do_not_nest_are_refused(api_client, world, admin_user):
    api_client.force_authenticate(admin_user)
    response = api_client.get(URL, ids(oblast="chui", district="batken_district"))
    assert response.status_code == 400 and "district" in response.json()["errors"]
    response = api_client.get(URL, ids(district="batken_district", municipality="alamudun"))
    assert response.status_code == 400 and "municipality" in response.json()["errors"]
    response = api_client.get(URL, ids(oblast="chui", municipality="kyshtut"))
    assert response.status_code == 400 and "municipality" in response.json()["errors"]


def test_messages_are_translated(api_client, world, admin_user):
    api_client.force_authenticate(admin_user)
    response = api_client.get(URL, ids(oblast="chui", district="batken_district"), HTTP_ACCEPT_LANGUAGE="ru")
    english = api_client.get(URL, ids(oblast="chui", district="batken_district"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["district"] != english.json()["errors"]["district"]


def test_anonymous_trainers_and_participants_are_refused(api_client, world, trainer):
    assert api_client.get(URL).status_code in (401, 403)
    for user in (trainer, world.a):
        api_client.force_authenticate(user)
        response = api_client.get(URL)
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "code", "errors"}


def test_a_municipality_officer_sees_only_their_municipality(api_client, world):
    officer = factories.participant()
    MunicipalityOfficer.objects.create(user=officer, municipality=Municipality.objects.get(code="kyshtut"))
    api_client.force_authenticate(officer)
    data = api_client.get(URL).json()
    assert [row["code"] for row in data["municipalities"]] == ["kyshtut"]
    assert [row["name"] for row in data["people"]["results"]] == ["Бакыт Бекова"]
    assert api_client.get(URL, ids(district="batken_district")).json()["totals"]["people"] == 2
    # another municipality, even in the same district, is not one of the officer's choices
    response = api_client.get(URL, ids(municipality="suu_bashy"))
    assert response.status_code == 400 and "municipality" in response.json()["errors"]
    assert api_client.get(URL, ids(oblast="chui")).status_code == 400


def test_query_count_is_bounded(api_client, world, admin_user, django_assert_max_num_queries):
    api_client.force_authenticate(admin_user)
    for size in (2, 20):
        for index in range(size):
            external(person(f"Адам {size}-{index}", "ak_sai"), world.a.external_trainings.get().ends_on, 5)
        with django_assert_max_num_queries(12):
            assert api_client.get(URL, ids(oblast="batken")).status_code == 200


def test_the_schema_documents_the_operation(api_client, admin_user):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    operation = response.json()["paths"][URL]["get"]
    assert {"200", "400", "403"} <= set(operation["responses"])
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"oblast", "district", "municipality"}
