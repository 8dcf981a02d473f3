from io import StringIO

import pytest
from django.core.management import call_command

from academy.models import User

pytestmark = pytest.mark.django_db


def test_ensure_admin_uses_the_password_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("ACADEMY_ADMIN_PASSWORD", "Admin-pass-2026")
    call_command("ensure_admin", stdout=StringIO())
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser
    assert admin.check_password("Admin-pass-2026")
    assert client.login(username="admin@example.org", password="Admin-pass-2026")
    response = client.get("/admin/")
    assert response.status_code == 200
    # Staff read the admin in Russian unless they choose English.
    assert "Панель" in response.content.decode() or "Главная" in response.content.decode()


def test_ensure_admin_generates_and_prints_a_password_once(monkeypatch, capsys):
    import io

    monkeypatch.delenv("ACADEMY_ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    printed = out.getvalue()
    password = printed.split("shown only this once: ")[1].split()[0]
    assert User.objects.get(email="admin@example.org").check_password(password)
    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert "shown only this once" not in again.getvalue()
    assert User.objects.filter(email="admin@example.org").count() == 1


@pytest.mark.parametrize("language", ["ru", "en"])
def test_admin_is_usable_in_russian_and_english(client, admin_user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language
    profile.save()
    client.force_login(admin_user)
    body = client.get("/admin/").content.decode()
    assert f'lang="{language}"' in body


def test_participants_cannot_enter_the_admin(client, participant):
    client.force_login(participant)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
