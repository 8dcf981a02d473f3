"""Contest messages through the outbox (academy.services.messaging.deliver), in each person's channel and language.

Submitters hear when their entry is received, returned for changes (with the editors' comment), accepted (published
on the portal, on to the jury) and when the results are announced; jury members when scoring opens (the first
entry of their round is accepted). Each message has a key naming the event, so running a task twice sends nothing
more; an entry sent again after changes is "received" again under the key of that sending.
"""

from django.utils import translation
from wagtail.models import TaskState

from academy.services.messaging import deliver, language_of
from cms.models import ContestPage, ContestRound, ContestSubmission, SubmissionStatus

TEMPLATE = "contest_submission"


def _language(user, fallback):
    # The recipient's own choice first; the locale a task was queued with is often the editor's admin language.
    profile = getattr(user, "profile", None)
    return (getattr(profile, "preferred_language", "") or "") or fallback or language_of(user)


def _submitter_language(submission, locale):
    """A submitter without a preference reads the language they wrote their entry in."""
    page_language = submission.practice.locale.language_code if submission.practice_id else ""
    return _language(submission.submitted_by, page_language or locale)


def _submission(submission_id):
    # An entry deleted before its task ran has no one left to tell.
    return (
        ContestSubmission.objects.select_related("practice__locale", "round", "submitted_by__profile")
        .filter(pk=submission_id)
        .first()
    )


def _contest_url(language, subpage=None, args=()):
    page = (
        ContestPage.objects.live().filter(locale__language_code=language).first() or ContestPage.objects.live().first()
    )
    if page is None:
        return ""
    return page.full_url + (page.reverse_subpage(subpage, args=args) if subpage else "")


def _name(user):
    profile = getattr(user, "profile", None)
    return (getattr(profile, "full_name", "") or user.get_full_name() or "").strip()


def _comment(submission):
    state = (
        TaskState.objects.filter(
            workflow_state__object_id=str(submission.practice_id),
            workflow_state__base_content_type__app_label="wagtailcore",
            status=TaskState.STATUS_REJECTED,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    return state


def _send(submission, event, key, locale, **extra):
    user = submission.submitted_by
    if user is None:
        return False
    language = _submitter_language(submission, locale)
    with translation.override(language):
        context = {
            "event": event,
            "name": _name(user),
            "title": submission.practice.title,
            "round_title": submission.round.title,
            "url": _contest_url(language, "edit_submission", [submission.pk]),
            **extra,
        }
    _row, created = deliver(user=user, key=key, template=TEMPLATE, context=context, language=language)
    return created


def submission_received(submission_id, locale):
    submission = _submission(submission_id)
    if submission is None:
        return False
    if submission.submitted_at is None:
        return False
    stamp = int(submission.submitted_at.timestamp())
    return _send(submission, "received", f"contest-received:{submission.pk}:{stamp}", locale)


def submission_returned(submission_id, locale):
    submission = _submission(submission_id)
    if submission is None:
        return False
    state = _comment(submission)
    if submission.status != SubmissionStatus.RETURNED or state is None:
        return False
    return _send(
        submission, "returned", f"contest-returned:{submission.pk}:{state.pk}", locale, comment=state.comment or ""
    )


def submission_accepted(submission_id, locale):
    submission = _submission(submission_id)
    if submission is None:
        return False
    if submission.status == SubmissionStatus.DRAFT or submission.status == SubmissionStatus.RETURNED:
        return False
    with translation.override(_submitter_language(submission, locale)):
        page_url = submission.practice.full_url or ""
    return _send(submission, "accepted", f"contest-accepted:{submission.pk}", locale, page_url=page_url)


def results_announced(round_id, locale):
    """Every submitter of the round whose entry reached the jury: their place, winners told they won."""
    contest_round = ContestRound.objects.filter(pk=round_id).first()
    if contest_round is None or not contest_round.results_published:
        return 0
    sent = 0
    for submission in ContestSubmission.objects.filter(
        round=contest_round, status__in=[SubmissionStatus.SCORED, SubmissionStatus.WINNER]
    ).select_related("practice__locale", "round", "submitted_by__profile"):
        language = _submitter_language(submission, locale)
        sent += _send(
            submission,
            "results",
            f"contest-results:{round_id}:{submission.pk}",
            locale,
            rank=submission.rank,
            winner=submission.status == SubmissionStatus.WINNER,
            results_url=_contest_url(language, "results", [contest_round.year]),
        )
    return sent


def scoring_open(round_id, locale):
    """Each juror of the round, once: there are accepted entries to score."""
    contest_round = ContestRound.objects.filter(pk=round_id).first()
    if contest_round is None or contest_round.results_published:
        return 0
    sent = 0
    for juror in contest_round.jury.select_related("profile"):
        # A juror's own choice, else Kyrgyz: the locale here is the admin's who accepted the entry.
        language = language_of(juror)
        with translation.override(language):
            context = {
                "event": "scoring_open",
                "name": _name(juror),
                "round_title": contest_round.title,
                "url": _admin_url(),
            }
        _row, created = deliver(
            user=juror,
            key=f"contest-scoring:{round_id}:{juror.pk}",
            template=TEMPLATE,
            context=context,
            language=language,
        )
        sent += created
    return sent


def _admin_url():
    from django.conf import settings
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("contest_jury")
