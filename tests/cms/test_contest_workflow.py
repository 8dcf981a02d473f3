"""Review of contest entries in Wagtail's workflow, and who sees which entries.

An editor returns an entry with a comment or approves it (which publishes its practice page); the municipality
sees the comment, changes the entry and sends it again. A municipality sees only its own entries.
"""

import pytest
from django.urls import reverse

from cms.models import ContestSubmission, PracticePage, SubmissionStatus
from cms.services import contest
from tests.cms import contest_helpers
from tests.cms.contest_helpers import editor, entry

pytestmark = pytest.mark.django_db

contest_page, contest_round = contest_helpers.contest_page, contest_helpers.contest_round
mayor, colleague, neighbour = contest_helpers.mayor, contest_helpers.colleague, contest_helpers.neighbour


def send(client, page, user, **overrides):
    client.force_login(user)
    response = client.post(page.url + "submit/", entry(submit="1", **overrides))
    assert response.status_code == 302
    return ContestSubmission.objects.latest("pk")


def act(client, user, submission, action, comment=""):
    page = PracticePage.objects.get(pk=submission.practice_id)
    task_state = page.current_workflow_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment})


def test_an_entry_is_returned_with_a_comment_resent_and_approved_by_an_editor(
    client, contest_page, contest_round, mayor
):
    submission = send(client, contest_page, mayor)
    assert submission.status == SubmissionStatus.SUBMITTED
    reviewer = editor()

    response = act(client, reviewer, submission, "reject", "Сүрөттөрдү кошуңуз жана натыйжаларды сан менен жазыңыз.")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED

    client.force_login(mayor)
    listing = client.get(contest_page.url + "my/").content.decode()
    assert "Оңдоого кайтарылды" in listing and "натыйжаларды сан менен" in listing
    own = client.get(contest_page.url + f"my/{submission.pk}/")
    assert own.status_code == 200 and "натыйжаларды сан менен" in own.content.decode()
    response = client.post(
        contest_page.url + f"my/{submission.pk}/",
        entry(submit="1", what_was_done="Жамаат 120 000 сом чогултту, 3,2 км түтүк тартылды."),
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    page = PracticePage.objects.get(pk=submission.practice_id)
    assert submission.status == SubmissionStatus.SUBMITTED and page.workflow_in_progress
    assert not page.live

    response = act(client, reviewer, submission, "approve")
    assert response.status_code == 302
    submission.refresh_from_db()
    page.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert page.live and "3,2 км" in page.what_was_done
    assert client.get(page.url).status_code == 200


@pytest.mark.parametrize("who", ["submitter", "editor who may not publish", "juror"])
def test_only_editors_who_publish_can_approve(client, contest_page, contest_round, mayor, who):
    from tests.cms.contest_helpers import juror

    submission = send(client, contest_page, mayor)
    user = {"submitter": mayor, "editor who may not publish": editor("Editors"), "juror": juror()}[who]
    response = act(client, user, submission, "approve")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/?next=" + response.wsgi_request.path)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert not PracticePage.objects.get(pk=submission.practice_id).live


def test_an_entry_with_the_editors_cannot_be_changed_by_the_municipality(client, contest_page, contest_round, mayor):
    submission = send(client, contest_page, mayor)
    response = client.post(contest_page.url + f"my/{submission.pk}/", entry(submit="1", title="Башка аталыш"))
    assert response.status_code == 200 and "азыр аны өзгөртүүгө болбойт" in response.content.decode()
    page = PracticePage.objects.get(pk=submission.practice_id)
    assert page.get_latest_revision_as_object().title == "Кыштут: суу түтүгү"
    with pytest.raises(contest.ContestError):
        contest.update_submission(submission, mayor, {"title": "Башка"})


def test_a_municipality_sees_only_its_own_entries(client, contest_page, contest_round, mayor, colleague, neighbour):
    own = send(client, contest_page, mayor)
    other = send(client, contest_page, neighbour, title="Чет-Нура: мектеп")

    client.force_login(colleague)  # the same municipality as the mayor
    listing = client.get(contest_page.url + "my/").content.decode()
    assert "Кыштут: суу түтүгү" in listing and "Чет-Нура: мектеп" not in listing
    assert client.get(contest_page.url + f"my/{own.pk}/").status_code == 200

    client.force_login(neighbour)
    assert client.get(contest_page.url + f"my/{own.pk}/").status_code == 404
    assert client.post(contest_page.url + f"my/{own.pk}/", entry(save="1")).status_code == 404
    assert "Кыштут" not in client.get(contest_page.url + "my/").content.decode()
    assert client.get(contest_page.url + f"my/{other.pk}/").status_code == 200
    assert client.get(contest_page.url + "my/999999/").status_code == 404


def test_anonymous_visitors_and_people_without_a_municipality_see_no_entries(
    client, contest_page, contest_round, mayor
):
    from tests import factories

    send(client, contest_page, mayor)
    client.logout()
    response = client.get(contest_page.url + "my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(factories.participant())
    body = client.get(contest_page.url + "my/").content.decode()
    assert "Кыштут: суу түтүгү" not in body and "/accounts/profile/" in body


def test_my_submissions_runs_a_bounded_number_of_queries(
    client, contest_page, contest_round, mayor, django_assert_max_num_queries
):
    for number in range(3):
        send(client, contest_page, mayor, title=f"Тажрыйба {number}")
    client.force_login(mayor)
    client.get(contest_page.url + "my/")
    with django_assert_max_num_queries(30) as captured:
        client.get(contest_page.url + "my/")
    few = len(captured)
    for number in range(3, 9):
        send(client, contest_page, mayor, title=f"Тажрыйба {number}")
    client.force_login(mayor)
    with django_assert_max_num_queries(few):
        client.get(contest_page.url + "my/")


def test_a_draft_is_finished_later_with_more_photos_but_not_after_the_deadline(
    client, contest_page, contest_round, mayor
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.cms.contest_helpers import jpeg

    client.force_login(mayor)
    client.post(contest_page.url + "submit/", entry(save="1", photos=[jpeg("a.jpg")]))
    submission = ContestSubmission.objects.get()
    url = contest_page.url + f"my/{submission.pk}/"
    assert "Суу жетишпейт." in client.get(url).content.decode()  # the form shows the draft's text
    client.post(url, entry(save="1", photos=[jpeg("b.jpg")]))
    draft = PracticePage.objects.get(pk=submission.practice_id).get_latest_revision_as_object()
    assert len(draft.photos) == 2 and draft.image is not None

    contest_round.deadline = timezone.now() - timedelta(minutes=1)
    contest_round.save()
    response = client.post(url, entry(submit="1", title="Кечиккен"))
    assert response.status_code == 200 and "кабыл алуу жабылды" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    assert PracticePage.objects.get(pk=submission.practice_id).get_latest_revision_as_object().title != "Кечиккен"
