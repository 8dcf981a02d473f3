"""The password rules on the sign-up page are checked live, in the browser, as the person types."""

import pytest

from tests.e2e.conftest import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_password_rules_are_ticked_as_the_person_types(live_server, homes, page):
    page.goto(f"{live_server.url}/ky/accounts/signup/")
    length = page.locator("[data-password-rules] [data-rule='min-length']")
    numeric = page.locator("[data-password-rules] [data-rule='not-numeric']")
    expect(length).to_contain_text("Сырсөз кеминде 8 белгиден")
    page.fill("#id_password", "1234")
    expect(length).to_have_class("is-unmet")
    expect(numeric).to_have_class("is-unmet")
    page.fill("#id_password", "Кыштут-2026")
    expect(length).to_have_class("is-met")
    expect(numeric).to_have_class("is-met")
