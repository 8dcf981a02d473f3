"""Fuzz every operation of /api/schema/ with schemathesis, in-process through the WSGI app.

Bounded and reproducible: 15 derandomized examples per operation and generation mode, anonymous (valid
input) and as an admin with a token (valid and invalid input). No input may produce a 5xx, and every
documented response to valid input must match its schema and content type.

schemathesis's own pytest integration (`schema.parametrize()`) does not work with pytest 9, so the
operations are driven directly: each becomes a hypothesis test built from `operation.as_strategy()`.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests import factories

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ = hypothesis_settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


@pytest.fixture
def fuzz_world(course, participant, trainer, admin_user, clock):
    """A little of everything, so that generated ids sometimes hit real objects (ids 1, 2, ...)."""
    session = factories.make_session(course, trainers=[trainer], capacity=3)
    factories.make_agenda(session)
    from courses.models import Registration

    Registration.objects.create(session=session, user=participant, status="confirmed")
    return {"session": session, "admin": admin_user}


@pytest.fixture
def api_schema(db, fuzz_world):
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the test's connection, which holds the test's
    # transaction (PostgreSQL would lose every row of the fixture after the first request).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


REVOKE = "DELETE /api/v1/auth/token/"


def _explain(case, response):
    body = case.body if case.body is not None else ""
    return f"{case.method} {case.formatted_path} query={case.query} body={body!r} -> {response.status_code}"


def _fuzz_test(operation, mode, headers):
    validate = mode is GenerationMode.POSITIVE

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, _explain(case, response) + "\n" + response.text[:3000]
        if validate:
            case.validate_response(response, checks=CHECKS)

    return run


def fuzz(schema, headers=None, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
    """Run every operation of `schema` for each generation mode; collect failures instead of stopping at one."""
    failures, operations = [], 0
    # Revoking the caller's token goes last: the other operations still run signed in with it.
    ordered = sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: op.label == REVOKE)
    for operation in ordered:
        operations += 1
        for mode in modes:
            try:
                _fuzz_test(operation, mode, headers)()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                continue
            except (Exception, BaseExceptionGroup) as error:  # keep going: one report lists every failing operation
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    assert operations > 10, "the schema lost its operations"
    assert not failures, "\n\n".join(failures)


def test_api_never_fails_anonymous(api_schema):
    # Anonymous requests mostly stop at authentication, so invalid input is fuzzed as the admin below.
    fuzz(api_schema, modes=(GenerationMode.POSITIVE,))


def test_api_never_fails_as_admin_with_a_token(api_schema, fuzz_world):
    token, _created = Token.objects.get_or_create(user=fuzz_world["admin"])
    fuzz(api_schema, headers={"Authorization": f"Token {token.key}"})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/courses/16404872110978478637056/",
        "/api/v1/courses/16404872110978478637056/materials/",
        "/api/v1/sessions/99999999999999999999999/",
        "/api/v1/sessions/-5/",
        "/api/v1/no-such-endpoint/",
    ],
)
def test_out_of_range_or_unknown_api_addresses_are_a_json_404(api_client, db, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code", "errors"}


def test_a_number_too_large_in_a_filter_is_a_400_not_a_500(api_client, db):
    response = api_client.get("/api/v1/sessions/?course=16404872110978478637056")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"}


def test_an_out_of_range_id_on_a_page_is_a_404(client, homes):
    assert client.get("/ky/sessions/16404872110978478637056/").status_code == 404


# Shapes that used to answer 500 (issue 15): a body nested deeper than Python's recursion limit, and
# digits Python's str.isdigit() accepts but int() refuses ("¹"), in every id filter.

NESTED_BODY = "[" * 1000 + "]" * 1000
SUPERSCRIPT_ONE = "¹"
NOT_FILTERS = {"page", "page_size"}  # pagination: DRF answers an unreadable page with its own 404


def _operations(api_client, methods):
    schema = api_client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in methods:
                yield path, method, operation


def _path_ids(world):
    session = world["session"]
    registration = session.registrations.get()
    return {
        "id": session.pk,  # sessions/{id}/ (certificates/{id}/ names no certificate: a 404 before parsing)
        "session_id": session.pk,
        "registration_id": registration.pk,
        "course_id": session.course_id,
        "submission_id": 1,
        "kind": "post",  # sessions/{session_id}/tests/{kind}/open|close/
        "test_id": 1,  # tests/{test_id}/...: no such knowledge test
        "item_id": 1,  # sessions/{session_id}/action-plan/{item_id}/report/: no such item, refused before parsing
    }


def _write_operations(api_client, world):
    ids = _path_ids(world)
    operations = [
        (method, path.format(**ids))
        for path, method, operation in _operations(api_client, {"post", "put", "patch"})
        if "requestBody" in operation
    ]
    assert len(operations) > 15, "the schema lost its write operations"
    return operations


def test_a_deeply_nested_body_is_a_translated_400_on_every_write_operation(api_client, fuzz_world):
    token, _created = Token.objects.get_or_create(user=fuzz_world["admin"])
    refused = []
    for method, url in _write_operations(api_client, fuzz_world):
        for who, headers in (("anonymous", {}), ("admin", {"HTTP_AUTHORIZATION": f"Token {token.key}"})):
            response = getattr(api_client, method)(url, NESTED_BODY, content_type="application/json", **headers)
            where = f"{who} {method.upper()} {url} -> {response.status_code} {response.content[:200]!r}"
            # Refused before the body is read (not signed in, no such object, multipart only) or a parse error.
            assert response.status_code in (400, 401, 403, 404, 415), where
            if response.status_code == 400:
                assert response.json()["code"] == "parse_error", where
                refused.append((who, url))
    assert ("anonymous", "/api/v1/auth/token/") in refused
    assert ("anonymous", "/api/v1/auth/signup/") in refused
    assert len([who for who, _url in refused if who == "admin"]) >= 15


def test_the_nesting_limit_is_translated_and_a_body_within_it_is_read(api_client, participant):
    from academy.api.parsers import MAX_DEPTH

    api_client.force_login(participant)
    too_deep = '{"position": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
    response = api_client.patch("/api/v1/me/", too_deep, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "32" in response.json()["detail"] and "JSON" not in response.json()["detail"]
    # Just under Python's recursion limit: the decoder copes, the depth check still refuses it.
    almost = "[" * 900 + "]" * 900
    assert api_client.patch("/api/v1/me/", almost, content_type="application/json").json()["code"] == "parse_error"
    within = '{"position": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    response = api_client.patch("/api/v1/me/", within, content_type="application/json")
    assert response.status_code == 400 and "position" in response.json()["errors"]  # read, then refused as data


def test_broken_json_is_a_translated_400(api_client):
    response = api_client.post("/api/v1/auth/token/", '{"email": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_superscript_digits_in_any_query_parameter_are_never_a_500(api_client, fuzz_world):
    token, _created = Token.objects.get_or_create(user=fuzz_world["admin"])
    ids = _path_ids(fuzz_world)
    id_filters = []
    for path, _method, operation in _operations(api_client, {"get"}):
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] != "query" or name in NOT_FILTERS:
                continue
            for value in (SUPERSCRIPT_ONE, "²³", "99999999999999999999999"):
                url = path.format(**ids)
                response = api_client.get(url, {name: value}, HTTP_AUTHORIZATION=f"Token {token.key}")
                where = f"GET {url}?{name}={value} -> {response.status_code} {response.content[:200]!r}"
                assert response.status_code < 500, where
                is_id = parameter["schema"].get("type") in ("integer", "number") or name in ("oblast", "municipality")
                if is_id and value.isdigit() and value.isascii():  # a well-formed number may name nothing (404)
                    assert response.status_code in (400, 404), where
                elif is_id:
                    assert response.status_code == 400, where
                    assert name in response.json()["errors"], where
                    id_filters.append(name)
    assert {"oblast", "municipality", "course", "region", "district", "trainer"} <= set(id_filters)


@pytest.mark.parametrize("name", ["oblast", "municipality", "course", "has_seats", "month", "format", "language"])
@pytest.mark.parametrize("value", [SUPERSCRIPT_ONE, "99999999999999999999999"])
def test_superscript_digits_in_the_session_list_filters_are_a_form_error(client, fuzz_world, name, value):
    response = client.get("/en/sessions/", {name: value})
    assert response.status_code == 200
    assert name in response.context["filter"].errors


@pytest.mark.parametrize("name", ["region", "district", "funding_project", "trainer", "course"])
def test_superscript_digits_in_the_report_filters_are_a_form_error(client, fuzz_world, name):
    client.force_login(fuzz_world["admin"])
    for value in (SUPERSCRIPT_ONE, "99999999999999999999999"):
        response = client.get("/admin/training-reports/participants/", {name: value})
        assert response.status_code == 200
        assert name in response.context["filterset"].form.errors
