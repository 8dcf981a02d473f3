"""Academy admins assign municipality officers in the admin; trainers and participants cannot."""

import pytest

from academy.models import MunicipalityOfficer
from tests import factories

pytestmark = pytest.mark.django_db

INDEX = "/admin/snippets/academy/municipalityofficer/"


def test_an_academy_admin_assigns_an_officer(client, db):
    admin = factories.academy_admin()
    person = factories.participant()
    client.force_login(admin)
    assert client.get(INDEX).status_code == 200
    response = client.post(
        INDEX + "add/",
        {"user": person.pk, "municipality": factories.municipality("kyshtut").pk, "role": "head"},
    )
    assert response.status_code == 302
    officer = MunicipalityOfficer.objects.get(user=person)
    assert officer.municipality.code == "kyshtut" and officer.role == "head"


def test_one_account_speaks_for_one_municipality(client, db):
    admin = factories.academy_admin()
    person = factories.participant()
    MunicipalityOfficer.objects.create(user=person, municipality=factories.municipality("kyshtut"))
    client.force_login(admin)
    response = client.post(
        INDEX + "add/", {"user": person.pk, "municipality": factories.municipality("suu_bashy").pk, "role": "hr"}
    )
    assert response.status_code == 200
    assert MunicipalityOfficer.objects.get(user=person).municipality.code == "kyshtut"


@pytest.mark.parametrize("make", [factories.trainer, factories.participant])
def test_trainers_and_participants_cannot_assign_officers(client, make, db):
    user, person = make(), factories.participant()
    client.force_login(user)
    client.post(INDEX + "add/", {"user": person.pk, "municipality": factories.municipality("kyshtut").pk, "role": "hr"})
    assert client.get(INDEX).status_code in (302, 403)
    assert not MunicipalityOfficer.objects.exists()
