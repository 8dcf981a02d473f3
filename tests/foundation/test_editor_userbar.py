"""The Wagtail userbar: on CMS pages for those who may edit them, nowhere else (issue #14 §3)."""

import pytest
from django.urls import reverse

USERBAR = "wagtail-userbar"


@pytest.mark.django_db
def test_an_editor_gets_the_userbar_on_a_cms_page(client, admin_user, course_index):
    client.force_login(admin_user)
    assert USERBAR in client.get(course_index.url).content.decode()


@pytest.mark.django_db
def test_a_trainer_with_admin_access_gets_no_userbar_on_a_cms_page_he_may_not_edit(client, trainer, course_index):
    assert trainer.has_perm("wagtailadmin.access_admin")
    assert not course_index.permissions_for_user(trainer).can_edit()
    client.force_login(trainer)
    assert USERBAR not in client.get(course_index.url).content.decode()


@pytest.mark.django_db
def test_no_userbar_on_views_that_are_not_cms_pages_even_for_an_editor(client, admin_user, trainer, course_index):
    for user in (admin_user, trainer):
        client.force_login(user)
        response = client.get(reverse("trainer_dashboard"))
        assert response.status_code in (200, 403)
        assert USERBAR not in response.content.decode()


@pytest.mark.django_db
def test_a_visitor_gets_no_userbar(client, course_index):
    assert USERBAR not in client.get(course_index.url).content.decode()
