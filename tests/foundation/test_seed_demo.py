from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=False)


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"academy", "cms", "courses", "certificates", "reports", "wagtailcore", "wagtaildocs"}
    }


def test_seed_demo_fills_the_academy_and_is_idempotent(client):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    assert first["academy.User"] >= 30
    assert first["cms.HomePage"] == 3
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    for language in ("ky", "ru", "en"):
        assert client.get(f"/{language}/").status_code == 200
