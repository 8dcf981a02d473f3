"""cms/demo/contest.py: one round with an entry in every state, through the site's own services; idempotent."""

import pytest
from django.utils import timezone

from cms.models import ContestPage, ContestRound, ContestSubmission, JuryScore, PracticePage, SubmissionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_round_has_an_entry_in_every_state_and_seeding_twice_changes_nothing(client):
    from academy import demo as academy_demo
    from cms.demo import contest, practices, site

    context = {"now": timezone.now(), "stdout": None}
    for module in (academy_demo, site, practices, contest):
        module.seed(context)
    contest_round = ContestRound.objects.get()
    statuses = sorted(ContestSubmission.objects.values_list("status", flat=True))
    assert set(statuses) == set(SubmissionStatus.values)
    assert statuses.count(SubmissionStatus.WINNER) == 3
    assert contest_round.results_published and not contest_round.is_open
    assert contest_round.jury.count() == 2 and contest_round.criteria.count() == 4
    returned = ContestSubmission.objects.get(status=SubmissionStatus.RETURNED)
    assert returned.practice.municipality.code == "bulolu"
    accepted = ContestSubmission.objects.filter(status__in=["accepted", "scored", "winner"])
    assert all(PracticePage.objects.get(pk=s.practice_id).live for s in accepted)
    counts = (ContestSubmission.objects.count(), JuryScore.objects.count(), PracticePage.objects.count())

    contest.seed(context)
    assert (ContestSubmission.objects.count(), JuryScore.objects.count(), PracticePage.objects.count()) == counts

    page = ContestPage.objects.get(locale=context["homes"]["ky"].locale)
    body = client.get(page.url + f"results/{contest_round.year}/").content.decode()
    assert "Кыштут" in body and body.count("winner-card") == 3
