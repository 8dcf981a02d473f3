"""Real responses of every API operation, checked against the OpenAPI document /api/schema/ serves.

The document itself must be valid OpenAPI (openapi-spec-validator). Then every request below is made
through the real stack, and each response must match the operation it hit: its status documented, its
content type documented, its JSON body valid against the documented schema (openapi-schema-validator, the
OpenAPI 3.1 dialect, formats asserted, no undocumented property).

The requests:
- every API row of the permission matrix (tests/hardening/test_permission_matrix.py), as each of its six
  people: successes, refusals (403) and rule violations (400);
- for every operation: a wrong token (401 or 403), ids that name nothing (404), unreadable or empty JSON (400),
  a value no query parameter accepts (400), a page past the end (404), a request without its CSRF token (403),
  an Accept nothing matches (406), a body in a media type nobody reads (415);
- every operation at an address too long for gunicorn (414, answered by the server itself);
- the throttled operations until they answer 429.

There is no list of exceptions: the operations are read from the served document, and the test fails for an
operation no request reached with a success, for one that documents errors of which no request provoked any,
and for an error status the document names that no operation answered. A new endpoint therefore needs a
matrix row (test_every_api_operation_has_a_matrix_row asks for it anyway), or an entry in EXTRA below for an
outcome the matrix does not reach.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections import defaultdict
from urllib.parse import urlencode, urlparse

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import get_resolver
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from tests import factories
from tests.hardening import test_permission_matrix
from tests.hardening.matrix_world import PARTICIPANT_EMAIL
from tests.hardening.test_permission_matrix import MATRIX, ROLES, Row, _call, body_of, build_url

world = test_permission_matrix.world  # the matrix's fixture: the same small academy

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
PAGING = {"page", "page_size"}
NO_SUCH_ID = "2147483647"
NO_SUCH_CODE = "NOSUCHCODE0000000000"
BAD_QUERY_VALUE = "¹"  # str.isdigit() says yes, int() says no: refused by every id filter


def _strict(node):
    """Every object schema with properties refuses properties it does not name (a drift of the schema)."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict(value) for key, value in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        node["unevaluatedProperties"] = False
    return node


class Contract:
    """The served document: which operation a request is, and whether a response matches it."""

    def __init__(self, document):
        self.document = document
        self.operations = {}
        patterns = []
        for template, item in document["paths"].items():
            for method in METHODS:
                if method in item:
                    self.operations[(method, template)] = item[method]
            regex = "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}/]+\}", template))
            patterns.append((template, re.compile(f"^{regex}$")))
        # Literal segments win over parameters: /certificates/issuer/ is not /certificates/{id}/.
        self.patterns = sorted(patterns, key=lambda pattern: (pattern[0].count("{"), -len(pattern[0])))
        self.components = {"schemas": _strict(document.get("components", {}).get("schemas", {}))}
        self.seen = defaultdict(set)
        self.failures = []
        self.checked = 0

    def operation_of(self, method, path):
        for template, regex in self.patterns:
            if regex.match(path) and (method, template) in self.operations:
                return (method, template)
        return None

    def check(self, method, url, response, accept=""):
        """`accept`: the request's Accept header. A request that accepts none of the documented media types (the
        browsable API's text/html) is checked for its status only: its page is for people, not the contract."""
        self.checked += 1
        key = self.operation_of(method, urlparse(url).path)
        status = str(response.status_code)
        where = f"{method.upper()} {url} -> {status}"
        if key is None:
            self.failures.append(f"{where}: no operation of the schema has this address")
            return
        responses = self.operations[key]["responses"]
        documented = responses.get(status) or responses.get("default")
        if documented is None:
            self.failures.append(f"{where}: status not documented (documented: {', '.join(responses)})")
            return
        self.seen[key].add(status)
        body = body_of(response)
        media_type = response.get("Content-Type", "").split(";")[0].strip()
        content = documented.get("content")
        if accept and not any(kind in accept for kind in ("*/*", "json", *(content or {}))):
            return
        if not content:
            if body:
                self.failures.append(f"{where}: a {media_type} body, but the schema documents none")
            return
        if media_type not in content:
            self.failures.append(f"{where}: content type {media_type!r} not documented ({', '.join(content)})")
            return
        schema = content[media_type].get("schema", {})
        if media_type.endswith("json"):
            try:
                instance = json.loads(body)
            except ValueError:
                self.failures.append(f"{where}: {media_type} that is not JSON: {body[:200]!r}")
                return
            validator = OAS31Validator({**schema, "components": self.components}, format_checker=oas31_format_checker)
            for error in sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))[:3]:
                place = "/".join(str(part) for part in error.absolute_path) or "(body)"
                self.failures.append(f"{where}: {place}: {error.message[:300]}")
        elif schema.get("type") == "string" and not body:
            self.failures.append(f"{where}: an empty {media_type} body")


@pytest.fixture
def contract(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return Contract(response.json())


class Recorded:
    """A response with its body read inside the savepoint (a streamed file cannot be read twice)."""

    def __init__(self, response):
        self._response = response
        self.status_code = response.status_code
        self.content = body_of(response)
        self.streaming = False

    def get(self, name, default=None):
        return self._response.get(name, default)


def _client(world, role="anonymous", csrf=False):
    # A 500 is a finding of the test, not a crash; `csrf`: check CSRF tokens as for a browser.
    client = APIClient(raise_request_exception=False, enforce_csrf_checks=csrf)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _request(contract, world, row, role="anonymous", probe=None, csrf=False):
    """The row's request as `role` (changed by `probe`), checked against the schema, in a savepoint rolled back
    afterwards: every request meets the same world, and the objects a row makes for itself go with it.

    `probe(operation, template, url, data)` gives (url, data, more request options) or None to skip; it runs for rows
    whose address is an operation of the schema.
    """
    cache.clear()  # throttles start afresh
    client = _client(world, role, csrf)
    with transaction.atomic():
        url, data = build_url(row, world), _call(row.data, world)
        options = {"format": row.format} if row.format else {}
        options.update(row.headers)
        key = contract.operation_of(row.method, urlparse(url).path)
        if probe is not None:
            changed = probe(contract.operations[key], key[1], url, data) if key else None
            if changed is None:
                transaction.set_rollback(True)
                return None
            url, data, extra = changed
            if "content_type" in extra:  # a body given as it is, not encoded by the test client
                options.pop("format", None)
            options.update(extra)
        if data is not None:
            options["data"] = data
        response = Recorded(getattr(client, row.method)(url, **options))
        transaction.set_rollback(True)
    if url.startswith("/api/v1/") and urlparse(url).path != "/api/v1/":  # the browsable root is no operation
        contract.check(row.method, url, response, options.get("HTTP_ACCEPT", ""))
    return key


def _offered(world):
    """A place offered to the participant in the open session (a freed place of its waitlist)."""
    from datetime import timedelta

    from django.utils import timezone

    from courses.models import Registration, RegistrationStatus

    offered = Registration.objects.create(
        session=world.open_session,
        user=world.participant,
        status=RegistrationStatus.OFFERED,
        offer_expires_at=timezone.now() + timedelta(hours=24),
    )
    return (offered.pk,)


def _without_feedback(world):
    type(world.feedback).objects.filter(pk=world.feedback.pk).delete()
    return (world.reg_past.pk,)


def _online_session(world):
    """A session without a venue: its `venue` is null in the answers."""
    session = factories.make_session(world.course, starts_at=factories.bishkek(2027, 2, 1), format="online")
    session.online_url = "https://meet.example.org/academy"
    session.save()
    factories.make_agenda(session)
    return (session.pk,)


def _add_an_officer(world):
    """The head of Kyshtut's local government (a municipality officer) and one of their staff."""
    from academy.models import MunicipalityOfficer

    kyshtut = factories.municipality("kyshtut")
    officer = factories.participant(profile__municipality=kyshtut)
    MunicipalityOfficer.objects.create(user=officer, municipality=kyshtut, role="head")
    world.users["officer"] = officer
    world.extra["staff"] = factories.participant(profile__municipality=kyshtut)


def _awaiting_the_officer(world):
    """A self-registration of the officer's staff member that waits for the officer's approval."""
    from courses.services import registration

    session = factories.make_session(
        world.course, starts_at=factories.bishkek(2027, 2, 8), requires_municipality_approval=True
    )
    return (registration.register(session, world.extra["staff"]).pk,)


def _nomination(world):
    return {"session": world.open_session.pk, "user": world.extra["staff"].pk}


# Answers the matrix does not reach (it checks who may do what, not every outcome), as (row, role).
EXTRA = [
    (Row("api-registration-accept-offer", "", method="post", format="json", args=_offered), "participant"),
    (Row("api-registration-decline-offer", "", method="post", format="json", args=_offered), "participant"),
    (
        Row(
            "api-registration-feedback",
            "",
            method="post",
            format="json",
            args=_without_feedback,
            data={"content_score": 5, "trainer_score": 5, "organisation_score": 4},
        ),
        "participant",
    ),
    (Row("session-detail", "", args=_online_session), "admin"),
    # Nobody completed the live session yet: no override, a null `override`.
    (Row("api-registration-completion", "", args=lambda w: (w.reg_live.pk,)), "trainer"),
    # Already registered: a rule refuses it.
    (Row("api-session-register", "", method="post", format="json", args=lambda w: (w.live.pk,)), "participant"),
    # The session is not over: it cannot be finalised.
    (Row("api-session-finalise", "", method="post", format="json", args=lambda w: (w.upcoming.pk,)), "trainer"),
    # Municipality officers and the qualification report.
    (Row("api-municipality-staff", ""), "officer"),
    (Row("api-municipality-nominate", "", method="post", format="json", data=_nomination), "officer"),
    (Row("api-municipality-approvals", ""), "officer"),
    (Row("api-municipality-approve", "", method="post", format="json", args=_awaiting_the_officer), "officer"),
    (
        Row(
            "api-municipality-reject",
            "",
            method="post",
            format="json",
            args=_awaiting_the_officer,
            data={"note": "Жок"},
        ),
        "officer",
    ),
    (Row("api-reports-qualification", ""), "admin"),
    (Row("api-reports-qualification", ""), "officer"),
    # Costs (issue 19.4): admins only.
    (Row("api-reports-costs", ""), "admin"),
    (Row("api-reports-costs", ""), "trainer"),
]


def _run_the_matrix(contract, world):
    """Every row of the matrix as each of its six people; gives one row per operation for the probes."""
    routes = {name: route for name, route, _module in test_permission_matrix._walk(get_resolver())}
    examples = {}
    for row in MATRIX:
        if not routes.get(row.route, "").startswith("api/v1/"):  # a page, the admin, the schema itself
            continue
        for role in ROLES:
            key = _request(contract, world, row, role)
            if key:
                examples.setdefault(key, row)
    for row, role in EXTRA:
        if row.route not in routes:  # an endpoint not (or no longer) there: nothing of the schema to cover
            continue
        key = _request(contract, world, row, role)
        if key:
            examples.setdefault(key, row)
    return examples


def _wrong_token(operation, template, url, data):
    # A token that is no token: refused before anything else where the operation authenticates (401 or 403).
    return url, data, {"HTTP_AUTHORIZATION": "Token not-a-token"}


def _no_such_object(operation, template, url, data):
    names = [parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "path"]
    if not names:
        return None
    return template.format(**{name: NO_SUCH_CODE if name == "code" else NO_SUCH_ID for name in names}), data, {}


def _unreadable_json(operation, template, url, data):
    if "application/json" not in operation.get("requestBody", {}).get("content", {}):
        return None
    return url, '{"broken": ', {"content_type": "application/json"}


def _empty_body(operation, template, url, data):
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return url, "{}", {"content_type": "application/json"}
    if "multipart/form-data" in content:
        return url, {}, {"format": "multipart"}
    return None


def _unacceptable(operation, template, url, data):
    return url, data, {"HTTP_ACCEPT": "application/xml"}


def _unsupported_media_type(operation, template, url, data):
    if "requestBody" not in operation:
        return None
    return url, "<registration/>", {"content_type": "application/xml"}


def _as_it_is(operation, template, url, data):
    return url, data, {}


def _bad_query(name):
    def probe(operation, template, url, data):
        names = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
        if name not in names:
            return None
        value = "99999" if name == "page" else BAD_QUERY_VALUE
        return f"{url.split('?')[0]}?{urlencode({name: value})}", data, {}

    return probe


def _probe_every_operation(contract, world, examples):
    for key, row in examples.items():
        _request(contract, world, row, "anonymous", _wrong_token)
        for probe in (_no_such_object, _unreadable_json, _empty_body, _unacceptable, _unsupported_media_type):
            _request(contract, world, row, "admin", probe)
        if key[0] not in ("get", "head", "options"):  # a browser's request without its CSRF token
            _request(contract, world, row, "admin", _as_it_is, csrf=True)
        for parameter in contract.operations[key].get("parameters", []):
            if parameter["in"] == "query":
                _request(contract, world, row, "admin", _bad_query(parameter["name"]))


def _until_throttled(contract, method, url, make_request, limit=200):
    """Repeat a request (cache kept between them) until it answers 429; every answer is checked."""
    cache.clear()
    for _attempt in range(limit):
        with transaction.atomic():
            response = make_request()
            response = Recorded(response)
            transaction.set_rollback(True)
        contract.check(method, url, response)
        if response.status_code == 429:
            return
    contract.failures.append(f"{method.upper()} {url}: no 429 after {limit} requests")


def _provoke_the_limits(contract, world):
    client = _client(world)
    token_url = "/api/v1/auth/token/"
    wrong = {"email": PARTICIPANT_EMAIL, "password": "not-the-password"}
    _until_throttled(contract, "post", token_url, lambda: client.post(token_url, wrong, format="json"))

    signup_url = "/api/v1/auth/signup/"
    counter = iter(range(10_000))

    def signup():
        number = next(counter)
        form = {"email": f"deputy{number}@example.org", "password": "Strong-pass-2026", "consent": True}
        form.update(full_name="Бакыт Жоробаев", gender="male", year_of_birth=1979, organization_kind="local_council")
        form.update(organization_name="Суу-Башы айылдык кеңеши", phone=f"+996700{number:06d}")
        return client.post(signup_url, form, format="json")

    _until_throttled(contract, "post", signup_url, signup)

    verify_url = f"/api/v1/certificates/verify/{world.certificate.code}/"
    _until_throttled(contract, "get", verify_url, lambda: client.get(verify_url))


@pytest.fixture(scope="module")
def web_server():
    """gunicorn, the production server, on a free port: it refuses an address longer than its request line limit
    (4094 bytes) itself, before Django, so no database is needed behind it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "academy.wsgi"]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "academy.settings.test"}
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


class Raw:
    """An answer read with http.client, shaped like a test client's response for Contract.check."""

    def __init__(self, answer):
        self.status_code = answer.status
        self.content = answer.read()
        self.streaming = False
        self._headers = {name.lower(): value for name, value in answer.getheaders()}

    def get(self, name, default=None):
        return self._headers.get(name.lower(), default)


def _too_long_addresses(contract, world, examples, port):
    """Every operation at an address too long for the web server: its 414 must be the documented one."""
    for (method, _template), row in examples.items():
        with transaction.atomic():
            url = build_url(row, world)
            transaction.set_rollback(True)
        long_url = f"{url.split('?')[0]}?q={'a' * 5000}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(method.upper(), long_url)
            contract.check(method, long_url[:120] + "…", Raw(connection.getresponse()))
        finally:
            connection.close()


def test_the_schema_is_valid_openapi_3_1(contract):
    assert contract.document["openapi"].startswith("3.1")
    validate_spec(contract.document)


def test_the_schema_is_generated_without_warnings():
    """A warning of drf-spectacular is a guess it had to make (e.g. two components of one name, one of which
    is then described wrongly, or an enum named by a hash): the document must not rest on guesses."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, [
        *GENERATOR_STATS._warn_cache,
        *GENERATOR_STATS._error_cache,
    ]


def test_every_operation_answers_as_its_schema_says(contract, world, settings, web_server):
    # A throttle low enough to reach (the test settings raise it out of the way of other tests).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"verify": "5/min"}}
    _add_an_officer(world)
    examples = _run_the_matrix(contract, world)
    _probe_every_operation(contract, world, examples)
    _provoke_the_limits(contract, world)
    _too_long_addresses(contract, world, examples, web_server)

    assert len(contract.operations) > 50, "the schema lost its operations"
    unreached = [
        f"{method.upper()} {template}"
        for (method, template) in contract.operations
        if not any(status.startswith("2") for status in contract.seen[(method, template)])
    ]
    # Every operation that documents errors had some of them provoked; every kind of error somewhere.
    unprovoked = [
        f"{method.upper()} {template}"
        for (method, template), operation in contract.operations.items()
        if any(status >= "400" for status in operation["responses"])
        and not any(status >= "400" for status in contract.seen[(method, template)])
    ]
    documented_errors = {status for operation in contract.operations.values() for status in operation["responses"]}
    provoked = {status for statuses in contract.seen.values() for status in statuses}
    problems = [
        *contract.failures,
        *(f"{operation}: no request reached it with a success" for operation in unreached),
        *(f"{operation}: documents errors, but no request provoked one" for operation in unprovoked),
        *(f"{status}: documented, but no operation answered it" for status in sorted(documented_errors - provoked)),
    ]
    assert contract.checked > 400
    assert not problems, f"{len(problems)} differences between the API and its schema:\n" + "\n".join(problems)
