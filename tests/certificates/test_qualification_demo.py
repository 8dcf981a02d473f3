"""The demo qualification records (certificates/demo/qualification.py): every cycle status, and a second run adds nothing."""

import pytest

from academy.models import User
from certificates.demo import qualification
from certificates.models import ExternalTraining
from certificates.services import hours_ledger
from tests import factories

pytestmark = pytest.mark.django_db

NOW = factories.bishkek(2026, 12, 1, 10)


def person(email, position):
    user = factories.participant(email=email)
    user.profile.position = position
    user.profile.save()
    return user


def test_demo_people_show_every_status_and_seeding_twice_adds_nothing(admin_user):
    User.objects.filter(pk=admin_user.pk).update(is_superuser=True)
    nurbek = person(qualification.NURBEK, "Айыл өкмөтүнүн башчысы")
    servant = person(qualification.UP_TO_DATE, "Финансы-экономикалык бөлүмдүн адиси")
    due, late = (person(email, "Социалдык маселелер боюнча адис") for email in qualification.CANDIDATES[:2])

    summary = qualification.seed({"now": NOW})
    assert summary.startswith("7 external trainings")
    today = NOW.date()
    statuses = {user: hours_ledger.record(user, today).state.status for user in (nurbek, servant, due, late)}
    assert statuses == {nurbek: "overdue", servant: "up_to_date", due: "due_soon", late: "overdue"}
    assert hours_ledger.record(due, today).state.days_left == 45

    count = ExternalTraining.objects.count()
    assert qualification.seed({"now": factories.bishkek(2027, 1, 15)}).startswith("0 external trainings")
    assert ExternalTraining.objects.count() == count == 7
