import pytest
from django.contrib.auth.models import Group

from academy.models import District, Municipality, Region
from academy.roles import ALL_GROUPS

pytestmark = pytest.mark.django_db


def test_seven_oblasts_and_two_cities_in_three_languages():
    oblasts = Region.objects.filter(kind="oblast")
    assert set(oblasts.values_list("code", flat=True)) == {
        "batken", "jalal_abad", "issyk_kul", "naryn", "osh", "talas", "chui"
    }
    assert set(Region.objects.filter(kind="city").values_list("code", flat=True)) == {"bishkek", "osh_city"}
    for region in Region.objects.all():
        assert region.name_ky and region.name_ru and region.name_en


def test_every_oblast_has_districts_and_municipalities():
    for region in Region.objects.filter(kind="oblast"):
        assert District.objects.filter(region=region).exists(), region.code
        assert Municipality.objects.filter(district__region=region).exists(), region.code


@pytest.mark.parametrize("code", ["kyshtut", "suu_bashy", "toguz_bulak", "sumbula", "ken_talaa"])
def test_batken_municipalities_named_in_the_seeds(code):
    municipality = Municipality.objects.select_related("district__region").get(code=code)
    assert municipality.district.region.code == "batken"
    assert municipality.name_ky and municipality.name_ru and municipality.name_en


def test_names_follow_the_active_language():
    from django.utils import translation

    batken = Region.objects.get(code="batken")
    with translation.override("ky"):
        assert batken.name == "Баткен облусу"
    with translation.override("ru"):
        assert batken.name == "Баткенская область"
    with translation.override("en"):
        assert batken.name == "Batken Region"


def test_the_three_groups_exist_and_staff_groups_reach_the_admin():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ALL_GROUPS)
    for name in ("Trainers", "Academy admins"):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name="Participants").permissions.filter(codename="access_admin").exists()
