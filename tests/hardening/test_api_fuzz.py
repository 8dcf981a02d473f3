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
    for result in schema.get_all_operations():
        operation = result.ok()
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
