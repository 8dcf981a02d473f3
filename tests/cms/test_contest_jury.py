"""The jury scores accepted entries per criterion; editors publish the results; the results page lists winners."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from cms.models import JuryScore, SubmissionStatus
from cms.services import contest_jury
from cms.services.contest import ContestError
from tests import factories
from tests.cms import contest_helpers
from tests.cms.contest_helpers import accepted_entry, editor, juror, make_round

pytestmark = pytest.mark.django_db

contest_page, mayor, neighbour = contest_helpers.contest_page, contest_helpers.mayor, contest_helpers.neighbour


@pytest.fixture
def jury(db):
    return [juror(), juror()]


@pytest.fixture
def scored_round(contest_page, jury):
    return make_round(jury=jury)


def criteria(contest_round):
    return list(contest_round.criteria.order_by("sort_order"))


def points(contest_round, *values):
    return {criterion.pk: value for criterion, value in zip(criteria(contest_round), values, strict=True)}


def score_url(submission):
    return reverse("contest_score", args=[submission.pk])


def form(contest_round, *values):
    return {
        f"criterion_{criterion.pk}": value for criterion, value in zip(criteria(contest_round), values, strict=True)
    }


def test_a_juror_scores_an_accepted_entry_in_the_admin(client, scored_round, jury, mayor):
    submission = accepted_entry(scored_round, mayor, "Кыштут: суу")
    assert submission.status == SubmissionStatus.ACCEPTED
    client.force_login(jury[0])
    index = client.get(reverse("contest_jury"))
    assert index.status_code == 200 and "Кыштут: суу" in index.content.decode()
    assert client.get(score_url(submission)).status_code == 200
    response = client.post(score_url(submission), form(scored_round, 8, 6, 4))
    assert response.status_code == 302
    assert sorted(JuryScore.objects.filter(juror=jury[0]).values_list("points", flat=True)) == [4, 6, 8]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED  # one juror of two
    client.force_login(jury[1])
    client.post(score_url(submission), form(scored_round, 10, 10, 5))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SCORED
    client.force_login(jury[0])
    client.post(score_url(submission), form(scored_round, 9, 6, 4))  # a juror may change their mind
    assert JuryScore.objects.filter(juror=jury[0]).count() == 3


@pytest.mark.parametrize("who", ["other juror", "editor", "municipality"])
def test_people_outside_the_rounds_jury_cannot_score(client, scored_round, mayor, who):
    submission = accepted_entry(scored_round, mayor, "Кыштут: суу")
    user = {"other juror": juror(), "editor": editor(), "municipality": mayor}[who]
    client.force_login(user)
    response = client.post(score_url(submission), form(scored_round, 8, 6, 4))
    assert response.status_code in (302, 403)
    assert not JuryScore.objects.exists()
    with pytest.raises(ContestError):
        contest_jury.record_scores(submission, user, points(scored_round, 8, 6, 4))


@pytest.mark.parametrize("values", [(11, 6, 4), (8, -1, 4), (8, 6, 6), (8, "", 4), (8, "many", 4)])
def test_points_outside_the_criterion_range_are_refused_in_the_admins_language(
    client, scored_round, jury, mayor, values
):
    submission = accepted_entry(scored_round, mayor, "Кыштут: суу")
    client.force_login(jury[0])
    response = client.post(score_url(submission), form(scored_round, *values))
    assert response.status_code == 200 and "help-critical" in response.content.decode()
    assert not JuryScore.objects.exists()


def test_the_service_refuses_bad_points_and_unaccepted_entries(scored_round, jury, mayor):
    from cms.services import contest

    submission = accepted_entry(scored_round, mayor, "Кыштут: суу")
    with pytest.raises(ContestError, match="0"):
        contest_jury.record_scores(submission, jury[0], points(scored_round, 8, 6, 6))
    with pytest.raises(ContestError):
        contest_jury.record_scores(submission, jury[0], {criteria(scored_round)[0].pk: 5})
    data = {**contest_helpers.entry(title="Долбоор"), "year": 2025}
    draft = contest.create_submission(scored_round, mayor, data)
    with pytest.raises(ContestError):
        contest_jury.record_scores(draft, jury[0], points(scored_round, 1, 1, 1))
    assert not JuryScore.objects.exists()


def test_ranking_by_weighted_totals_with_ties_explained(scored_round, jury, mayor, neighbour):
    other = factories.participant(profile__municipality=factories.municipality("kadamjai_town"))
    first = accepted_entry(scored_round, mayor, "A")
    second = accepted_entry(scored_round, neighbour, "B")
    third = accepted_entry(scored_round, other, "C")
    # Weights 3, 2, 1 and maxima 10, 10, 5: a total is 100·(3·a/10 + 2·b/10 + c/5)/6.
    # A (10, 5, 2): 73.33; B and C (6, 10, 4): 76.67 both, and equal on every criterion.
    for juror_ in jury:
        contest_jury.record_scores(first, juror_, points(scored_round, 10, 5, 2))
        contest_jury.record_scores(second, juror_, points(scored_round, 6, 10, 4))
        contest_jury.record_scores(third, juror_, points(scored_round, 6, 10, 4))
    rows = contest_jury.ranking(scored_round)
    assert [str(row.total) for row in rows] == ["76.67", "76.67", "73.33"]
    assert rows[0].rank == rows[1].rank == 1 and rows[2].rank == 3
    assert "shared" in rows[0].tie_note and "shared" in rows[1].tie_note and rows[2].tie_note == ""
    # B (7, 8, 4) and C (5, 10, 5): 75.00 both; B is stronger on the heaviest criterion, Results.
    for juror_ in jury:
        contest_jury.record_scores(second, juror_, points(scored_round, 7, 8, 4))
        contest_jury.record_scores(third, juror_, points(scored_round, 5, 10, 5))
    rows = contest_jury.ranking(scored_round)
    assert [(row.submission.pk, str(row.total), row.rank) for row in rows] == [
        (second.pk, "75.00", 1),
        (third.pk, "75.00", 2),
        (first.pk, "73.33", 3),
    ]
    assert "Results" in rows[0].tie_note and "Results" in rows[1].tie_note and rows[2].tie_note == ""


def test_publishing_results_marks_winners_and_opens_the_results_page_in_each_language(
    client, contest_page, scored_round, jury, mayor, neighbour
):
    other = factories.participant(profile__municipality=factories.municipality("kadamjai_town"))
    entries = [
        accepted_entry(scored_round, person, title) for person, title in ((mayor, "A"), (neighbour, "B"), (other, "C"))
    ]
    for juror_ in jury:
        for entry_, values in zip(entries, ((10, 9, 5), (8, 8, 4), (2, 3, 1)), strict=True):
            contest_jury.record_scores(entry_, juror_, points(scored_round, *values))
    results_url = contest_page.url + f"results/{scored_round.year}/"
    assert client.get(results_url).status_code == 404  # not published yet

    client.force_login(jury[0])
    response = client.post(reverse("contest_publish", args=[scored_round.pk]))
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    scored_round.refresh_from_db()
    assert not scored_round.results_published
    client.force_login(editor("Academy admins"))
    assert client.post(reverse("contest_publish", args=[scored_round.pk])).status_code == 302
    statuses = {entry_.pk: status for entry_, status in ((e, e.__class__.objects.get(pk=e.pk).status) for e in entries)}
    assert statuses == {entries[0].pk: "winner", entries[1].pk: "winner", entries[2].pk: "scored"}
    with pytest.raises(ContestError):
        contest_jury.record_scores(entries[0], jury[0], points(scored_round, 0, 0, 0))

    client.logout()
    for code, heading in (("ky", "Жыйынтыктар"), ("ru", "Итоги"), ("en", "Results")):
        page = contest_page.get_translation(Locale.objects.get(language_code=code))
        response = client.get(page.url + f"results/{scored_round.year}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert heading in body and getattr(scored_round, f"title_{code}") in body
        assert body.index(">A<") < body.index(">B<") and ">C<" not in body
        index = client.get(page.url).content.decode()
        assert f"results/{scored_round.year}/" in index


def test_publishing_needs_scores(scored_round, mayor):
    accepted_entry(scored_round, mayor, "A")
    with pytest.raises(ContestError):
        contest_jury.publish_results(scored_round, editor("Academy admins"))
    scored_round.refresh_from_db()
    assert not scored_round.results_published


def test_editors_keep_contest_rounds_and_pick_the_jury_among_the_jury_group(client, scored_round, jury, mayor):
    listing = reverse("wagtailsnippets_cms_contestround:list")
    edit = reverse("wagtailsnippets_cms_contestround:edit", args=[scored_round.pk])
    client.force_login(editor("Academy admins"))
    assert client.get(listing).status_code == 200
    body = client.get(edit).content.decode()
    # only Contest jury members are offered
    assert str(jury[0]) in body and str(jury[1]) in body and str(mayor) not in body
    assert client.get(reverse("wagtailsnippets_cms_contestround:add")).status_code == 200
    for outsider in (jury[0], mayor):
        client.force_login(outsider)
        response = client.get(edit)
        assert response.status_code in (302, 403) and "/admin/" in response.get("Location", "/admin/")
