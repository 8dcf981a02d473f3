"""Contest messages: the submitter hears when the entry is received, returned (with the editors' comment),
accepted and when the results are announced; jurors when scoring opens. Through the outbox, once per event (each
task run twice sends nothing more), in the person's language, queued only after the change commits."""

import pytest

from academy.models import OutboxEmail
from cms.contest import notifications, tasks
from cms.models import SubmissionStatus
from cms.services import contest, contest_jury
from tests.cms import contest_helpers
from tests.cms.contest_helpers import accepted_entry, editor, entry

pytestmark = pytest.mark.django_db

contest_page, contest_round, mayor = contest_helpers.contest_page, contest_helpers.contest_round, contest_helpers.mayor


def mails(prefix):
    return list(OutboxEmail.objects.filter(key__startswith=prefix).order_by("pk"))


def reject(submission, comment):
    from cms.models import PracticePage

    page = PracticePage.objects.get(pk=submission.practice_id)
    state = page.current_workflow_task_state
    state.task.specific.on_action(state, editor(), "reject", comment=comment)


def test_received_returned_with_the_comment_and_accepted_each_once(
    contest_page, contest_round, mayor, django_capture_on_commit_callbacks
):
    data = {**entry(title="Суу түтүгү"), "year": 2025}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = contest.create_submission(contest_round, mayor, data, submit=True)
    assert not mails("contest-")  # nothing before the commit
    for callback in callbacks:
        callback()
    (received,) = mails(f"contest-received:{submission.pk}:")
    assert received.to == mayor.email and "Суу түтүгү" in received.subject
    assert "кабыл алынды" in received.subject  # Kyrgyz, the mayor's language
    assert f"/contest/my/{submission.pk}/" in received.body_text

    with django_capture_on_commit_callbacks(execute=True):
        reject(submission, "Натыйжаларды сан менен жазыңыз.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    (returned,) = mails(f"contest-returned:{submission.pk}:")
    assert "Натыйжаларды сан менен жазыңыз." in returned.body_text

    for run in (tasks.submission_received, tasks.submission_returned):  # a task run twice sends nothing more
        run(submission.pk, "ky")
        run(submission.pk, "ky")
    assert len(mails("contest-")) == 2


def test_accepted_entry_tells_the_submitter_and_the_jury_once_in_their_language(
    contest_page, mayor, django_capture_on_commit_callbacks
):
    jurors = [contest_helpers.juror(), contest_helpers.juror()]
    jurors[1].profile.preferred_language = "ru"
    jurors[1].profile.save()
    contest_round = contest_helpers.make_round(jury=jurors)
    with django_capture_on_commit_callbacks(execute=True):
        submission = accepted_entry(contest_round, mayor, "Жайыт")
    with django_capture_on_commit_callbacks(execute=True):
        second = accepted_entry(contest_round, mayor, "Арык")
    assert submission.status == SubmissionStatus.ACCEPTED
    assert len(mails("contest-accepted:")) == 2
    scoring = mails(f"contest-scoring:{contest_round.pk}:")
    assert sorted(mail.to for mail in scoring) == sorted(juror.email for juror in jurors)  # once, not per entry
    russian = next(mail for mail in scoring if mail.to == jurors[1].email)
    assert russian.subject.startswith("Оценивание открыто")
    for _twice in range(2):
        tasks.submission_accepted(second.pk, "ky")
        tasks.scoring_open(contest_round.pk, "ky")
    assert len(mails("contest-")) == 2 + 2 + 2  # received x2, accepted x2, scoring x2


def test_results_are_announced_to_each_scored_entry_once(contest_page, mayor, django_capture_on_commit_callbacks):
    jurors = [contest_helpers.juror()]
    contest_round = contest_helpers.make_round(jury=jurors)
    submission = accepted_entry(contest_round, mayor, "Мектеп")
    criteria = list(contest_round.criteria.all())
    contest_jury.record_scores(submission, jurors[0], {criterion.pk: 3 for criterion in criteria})
    with django_capture_on_commit_callbacks(execute=True):
        contest_jury.publish_results(contest_round, editor("Academy admins"))
    (announced,) = mails(f"contest-results:{contest_round.pk}:")
    assert announced.to == mayor.email and f"/contest/results/{contest_round.year}/" in announced.body_text
    tasks.results_announced(contest_round.pk, "ky")
    tasks.results_announced(contest_round.pk, "ky")
    assert len(mails("contest-results:")) == 1


def test_nothing_is_sent_for_a_state_the_entry_is_not_in(contest_page, contest_round, mayor):
    data = {**entry(title="Долбоор"), "year": 2025}
    draft = contest.create_submission(contest_round, mayor, data, submit=False)
    assert notifications.submission_received(draft.pk, "ky") is False
    assert notifications.submission_returned(draft.pk, "ky") is False
    assert notifications.submission_accepted(draft.pk, "ky") is False
    assert notifications.results_announced(contest_round.pk, "ky") == 0
    assert not mails("contest-")


def test_a_submitter_without_a_preference_hears_in_the_language_of_the_entry_not_the_editors(
    contest_page, contest_round, mayor, django_capture_on_commit_callbacks
):
    mayor.profile.preferred_language = ""
    mayor.profile.save()
    data = {**entry(title="Көпүрө"), "year": 2025}
    submission = contest.create_submission(contest_round, mayor, data, submit=True)
    # The editor works in the Russian admin: the task is queued with "ru", the Kyrgyz entry's author reads Kyrgyz.
    reject(submission, "Сүрөт кошуңуз.")
    notifications.submission_returned(submission.pk, "ru")
    (returned,) = mails(f"contest-returned:{submission.pk}:")
    assert "Көпүрө" in returned.subject and "Сүрөт кошуңуз." in returned.body_text
    assert returned.subject.startswith("Сынактагы өтүнмөңүздү оңдоо керек"), returned.subject


def test_a_task_for_a_deleted_entry_or_round_sends_nothing(contest_round, mayor):
    assert notifications.submission_received(987654, "ky") is False
    assert notifications.submission_accepted(987654, "ky") is False
    assert notifications.results_announced(987654, "ky") == 0
    assert notifications.scoring_open(987654, "ky") == 0
