"""Demo data of "who is due, where": Batken District shows every status and two municipalities with no one trained;
`seed_demo` twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from academy.models import District
from certificates.models import ExternalTraining
from reports.services import qualification

pytestmark = pytest.mark.django_db


def batken_district():
    return qualification.build(
        qualification.Place(district=District.objects.get(code="batken_district")), today=timezone.localdate()
    )


def test_the_demo_district_and_a_second_run(db):
    call_command("seed_demo", stdout=StringIO())
    result = batken_district()
    totals = result.totals
    assert totals["up_to_date"] >= 1 and totals["due_soon"] >= 1 and totals["overdue"] >= 1, totals
    assert totals["no_one_trained"] >= 2, [row["code"] for row in result.municipalities if row["no_one_trained"]]
    trainings = ExternalTraining.objects.count()

    call_command("seed_demo", stdout=StringIO())
    assert ExternalTraining.objects.count() == trainings
    assert batken_district().totals == totals
