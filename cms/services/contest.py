"""The yearly contest: who may submit, a submission's draft practice page and its review workflow, jury scores,
the ranking and the results.

A submission is a draft `PracticePage` under the practice index of the submitter's language, so an approved
entry is simply published on the portal. Editors review it with Wagtail's own workflow ("Contest moderation",
one group approval task for the editor groups): approve publishes the page, "request changes" returns it to
the municipality with the comment. The submission's `status` follows (cms/contest/signals.py).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, Locale, Page, TaskState, Workflow, WorkflowState, WorkflowTask

from cms.contest import enqueue
from cms.models import (
    ContestRound,
    ContestSubmission,
    PracticeIndexPage,
    PracticePage,
    SubmissionStatus,
)

WORKFLOW_NAME = "Contest moderation"
TASK_NAME = "Review by editors"
# Approving the last task publishes the page with the approver's rights: only groups that may publish pages
# review (Wagtail's "Editors" may edit but not publish, so they cannot approve).
REVIEWER_GROUPS = ("Academy admins", "Moderators")
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
SCORABLE = (SubmissionStatus.ACCEPTED, SubmissionStatus.SCORED)
PRACTICE_FIELDS = ("title", "summary", "year", "problem", "what_was_done", "partners")
CONTACT_FIELDS = ("contact_name", "contact_position", "contact_phone", "contact_email")


class ContestError(Exception):
    """A contest action that is not allowed now; the message is shown to the person as it is."""


def current_round():
    """The latest round (open or not): the one the contest page presents."""
    return ContestRound.objects.prefetch_related("criteria").first()


def published_rounds():
    return list(ContestRound.objects.filter(results_published_at__isnull=False))


def municipality_of(user):
    """The municipality the signed-in person speaks for (their profile's), or None."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    return getattr(profile, "municipality", None)


def contest_workflow():
    """Wagtail's workflow the contest uses: one group approval task for the editor groups (made once)."""
    from django.contrib.auth.models import Group

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
            task.groups.set(Group.objects.filter(name__in=REVIEWER_GROUPS))
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def submissions_of(municipality, *, contest_round=None):
    """A municipality's own submissions, newest first, with what the list shows."""
    queryset = ContestSubmission.objects.filter(municipality=municipality).select_related(
        "round", "practice", "municipality"
    )
    if contest_round is not None:
        queryset = queryset.filter(round=contest_round)
    return queryset


def submission_for(user, pk):
    """The submission `pk` when the person's municipality made it; else ContestError (the view answers 404)."""
    municipality = municipality_of(user)
    submission = ContestSubmission.objects.select_related("round", "practice", "municipality").filter(pk=pk).first()
    if municipality is None or submission is None or submission.municipality_id != municipality.pk:
        raise ContestError(_("There is no such submission of your municipality."))
    return submission


def return_comments(submissions):
    """{submission id: the editors' last comment} for returned submissions, in one query."""
    returned = {str(s.practice_id): s.pk for s in submissions if s.status == SubmissionStatus.RETURNED}
    if not returned:
        return {}
    states = (
        TaskState.objects.filter(
            workflow_state__object_id__in=list(returned),
            workflow_state__base_content_type__app_label="wagtailcore",
            status=TaskState.STATUS_REJECTED,
        )
        .order_by("finished_at")
        .values_list("workflow_state__object_id", "comment")
    )
    return {returned[object_id]: comment for object_id, comment in states}


def _check_can_submit(contest_round, user):
    municipality = municipality_of(user)
    if municipality is None:
        raise ContestError(
            _("Only a municipality can take part: add your municipality to your profile, then come back.")
        )
    if contest_round is None or not contest_round.is_open:
        raise ContestError(_("Submissions for this round are closed."))
    return municipality


def _practice_index(language):
    locale = Locale.objects.filter(language_code=language).first()
    index = PracticeIndexPage.objects.filter(locale=locale).first() or PracticeIndexPage.objects.first()
    if index is None:
        raise ContestError(_("The best-practice portal is not open yet; please try later."))
    return index


def _gallery(images):
    return [{"type": "photo", "value": {"image": image.pk, "caption": ""}} for image in images]


def _document_list(documents):
    return [{"type": "document", "value": {"document": document.pk, "title": ""}} for document in documents]


def _fill(page, data, images, documents):
    for name in (*PRACTICE_FIELDS, *CONTACT_FIELDS):
        if name in data:
            setattr(page, name, data[name])
    if "topics" in data:
        page.topics = list(data["topics"])
    if images:
        if page.image_id is None:
            page.image = images[0]
        page.photos = [*_raw(page.photos), *_gallery(images)]
    if documents:
        page.documents = [*_raw(page.documents), *_document_list(documents)]


def _raw(stream):
    # The blocks already there, in their stored form, so new uploads are added after them.
    return [{"type": block["type"], "value": block["value"]} for block in stream.raw_data] if stream else []


@transaction.atomic
def create_submission(contest_round, user, data, *, images=(), documents=(), submit=False, language="ky"):
    """A new entry of the person's municipality: its draft practice page, then (if `submit`) the review."""
    municipality = _check_can_submit(contest_round, user)
    index = _practice_index(language)
    page = PracticePage(
        slug=f"contest-{contest_round.year}-{municipality.code}-{get_random_string(6).lower()}"[:255],
        municipality=municipality,
        owner=user,
        live=False,
        text_language=language,
        locale=index.locale,
    )
    _fill(page, data, list(images), list(documents))
    # Read the index again: a stale tree position would add the page at a path already taken.
    Page.objects.get(pk=index.pk).add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    submission = ContestSubmission.objects.create(
        round=contest_round, practice=page, municipality=municipality, submitted_by=user
    )
    if submit:
        submit_for_review(submission, user)
    return submission


@transaction.atomic
def update_submission(submission, user, data, *, images=(), documents=(), submit=False):
    """Change a draft or returned entry (a new revision of its page); `submit` sends it (back) to the editors."""
    municipality = _check_can_submit(submission.round, user)
    if submission.municipality_id != municipality.pk:
        raise ContestError(_("There is no such submission of your municipality."))
    if submission.status not in EDITABLE:
        raise ContestError(_("This submission is with the editors or the jury and cannot be changed now."))
    page = submission.practice.get_latest_revision_as_object()
    _fill(page, data, list(images), list(documents))
    page.save_revision(user=user, log_action=True)
    if submit:
        submit_for_review(submission, user)
    return submission


def submit_for_review(submission, user):
    """Start the contest workflow on the entry's page, or resume it after the editors asked for changes."""
    if submission.status not in EDITABLE:
        raise ContestError(_("This submission is already with the editors."))
    page = PracticePage.objects.get(pk=submission.practice_id)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    elif state is None:
        contest_workflow().start(page, user)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at"])
    enqueue.after_commit("submission_received", submission.pk)


def workflow_finished(page_id, *, approved):
    """The editors approved (the page is now published) or returned an entry: its status follows."""
    status = SubmissionStatus.ACCEPTED if approved else SubmissionStatus.RETURNED
    finished = list(
        ContestSubmission.objects.filter(practice_id=page_id, status=SubmissionStatus.SUBMITTED).values_list(
            "pk", "round_id"
        )
    )
    ContestSubmission.objects.filter(pk__in=[pk for pk, _round in finished]).update(status=status)
    for pk, round_id in finished:  # the submitter hears; on the first accepted entry the jury hears scoring opens
        enqueue.after_commit("submission_accepted" if approved else "submission_returned", pk)
        if approved:
            enqueue.after_commit("scoring_open", round_id)


def store_uploads(user, title, photos=(), documents=()):
    """Checked uploads of the public form as Wagtail images and documents, titled after the practice."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    collection = Collection.get_first_root_node()
    images, files = [], []
    for number, upload in enumerate(photos, start=1):
        image = get_image_model()(
            title=f"{title} ({number})"[:255], file=upload, uploaded_by_user=user, collection=collection
        )
        image._set_image_file_metadata()
        image.save()
        images.append(image)
    for upload in documents:
        document = get_document_model()(
            title=upload.name[:255], file=upload, uploaded_by_user=user, collection=collection
        )
        document._set_document_file_metadata()
        document.save()
        files.append(document)
    return images, files
