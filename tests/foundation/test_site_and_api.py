import pytest
import yaml

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "html_lang"), [("ky", "ky"), ("ru", "ru"), ("en", "en")])
def test_home_page_renders_in_each_language(client, homes, language, html_lang):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{html_lang}">' in body
    # The language switcher links to the same page in every language.
    for code in ("ky", "ru", "en"):
        assert f'href="/{code}/"' in body


def test_bare_root_redirects_to_kyrgyz(client, homes):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ky/"


def test_pages_use_no_external_assets(client, homes):
    body = client.get("/ky/").content.decode()
    assert "http://" not in body.replace('http://testserver', '')
    assert "https://" not in body


def test_unknown_page_gets_a_friendly_404(client, homes):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("language", "title"), [("ky", "Кирүүгө уруксат жок"), ("ru", "Доступ запрещён"), ("en", "Access denied")]
)
def test_a_forbidden_page_is_the_sites_own_in_the_visitors_language(client, homes, participant, language, title):
    client.force_login(participant)
    response = client.get(f"/{language}/trainer/")  # a participant on the trainers' dashboard
    assert response.status_code == 403
    body = response.content.decode()
    assert f'<html lang="{language}">' in body and 'name="viewport"' in body  # a phone page, not Django's bare one
    assert title in body


def test_a_forbidden_page_says_why_when_the_view_knows(rf, homes, participant):
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from academy.views import permission_denied

    request = rf.get("/ru/trainer/")
    request.user = participant
    with translation.override("ru"):
        response = permission_denied(request, PermissionDenied("Только тренеры этой сессии."))
    assert response.status_code == 403
    assert "Только тренеры этой сессии." in response.content.decode()


def test_api_schema_is_valid_openapi(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "/api/v1/auth/signup/" in schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_api_docs_are_served_without_internet(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn" not in body.lower()


def test_token_for_email_and_password(api_client, participant):
    response = api_client.post("/api/v1/auth/token/", {"email": participant.email, "password": "pass-Word-123"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == participant.email


def test_token_with_a_wrong_password_is_refused_in_the_common_error_shape(api_client, participant):
    response = api_client.post("/api/v1/auth/token/", {"email": participant.email, "password": "nope"}, format="json")
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}


def test_signup_api_creates_a_participant(api_client):
    response = api_client.post(
        "/api/v1/auth/signup/",
        {
            "email": "deputy@example.org",
            "password": "Strong-pass-2026",
            "consent": True,
            "full_name": "Бакыт Жоробаев",
            "gender": "male",
            "year_of_birth": 1979,
            "organization_kind": "local_council",
            "organization_name": "Суу-Башы айылдык кеңеши",
            "phone": "+996 700 111 222",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "deputy@example.org"
    assert body["profile"]["phone"] == "+996700111222"
    assert body["profile"]["consent_version"] == "2026-01"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"consent": False}, "consent"),
        ({"phone": "12"}, "phone"),
        ({"year_of_birth": 1800}, "year_of_birth"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_signup_api_bad_input_gets_a_field_error(api_client, payload, field):
    from academy.models import User

    base = {"email": "x@example.org", "password": "Strong-pass-2026", "consent": True, "full_name": "Асан Үсөнов"}
    response = api_client.post("/api/v1/auth/signup/", {**base, **payload}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert not User.objects.exists()


def test_reference_data_api(api_client):
    regions = api_client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert any(region["name"] == "Баткенская область" for region in regions)
    municipalities = api_client.get("/api/v1/municipalities/?district__region=" + str(
        next(region["id"] for region in regions if region["code"] == "batken")
    )).json()
    assert municipalities["count"] >= 5


def test_database_outage_gets_a_clean_503(client, monkeypatch):
    from django.db import OperationalError

    import academy.accounts.views as views

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "render", broken)
    response = client.get("/ru/accounts/signup/")
    assert response.status_code == 503
    assert b"Traceback" not in response.content


def test_the_admin_starts_in_russian_and_keeps_a_personal_choice(client, admin_user, settings):
    settings.ACADEMY_ADMIN_DEFAULT_LANGUAGE = "ru"
    client.force_login(admin_user)
    assert '<html lang="ru"' in client.get("/admin/").content.decode()
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    assert '<html lang="en"' in client.get("/admin/").content.decode()


def test_the_api_answers_in_the_callers_language(client):
    unknown = "/api/v1/certificates/verify/NO-SUCH-CODE/"
    assert "Content-Language" in client.get(unknown, HTTP_ACCEPT_LANGUAGE="ru").headers
    assert client.get(unknown, HTTP_ACCEPT_LANGUAGE="ru").headers["Content-Language"] == "ru"
    assert client.get(unknown).headers["Content-Language"] == "ky"
