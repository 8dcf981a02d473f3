"""Completion of a session by the course rule, assignments (БАП) and trainers' overrides.

The rule (`CoursePage.min_attendance_percent`, `requires_assignment`): a confirmed registration
is completed when it attended (present or late) at least the minimum share of the session's
slots (its days, or its agenda blocks), and, when the course requires one, has an accepted
assignment. The latest `CompletionOverride` of a registration wins over the rule.

`Registration.completed_at` is set (to the moment completion was first reached) while the
registration is completed, and None otherwise; `Registration.attendance_percent` is the share
attended, rounded down. Certificates read `completed_at`.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.base_url import site_base_url
from academy.errors import DomainError, PermissionDeniedError
from academy.roles import is_academy_admin
from academy.services.tasks import enqueue_or_run
from academy.transactions import on_commit_once
from courses.models import (
    AssignmentSubmission,
    Attendance,
    CompletionOverride,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from courses.permissions import can_manage_session
from courses.services import attendance as attendance_service
from courses.services.uploads import validate_upload


@dataclass
class CompletionResult:
    registration_id: int
    completed: bool
    attendance_percent: int | None
    attended: int
    total: int
    min_percent: int
    assignment_required: bool
    assignment_accepted: bool
    override: CompletionOverride | None = None
    completed_at: object = None
    changed: bool = False

    @property
    def attendance_met(self):
        return self.total > 0 and self.attended * 100 >= self.min_percent * self.total

    @property
    def rule_met(self):
        return self.attendance_met and (self.assignment_accepted or not self.assignment_required)

    @property
    def missing(self):
        """What the rule still misses, in words."""
        reasons = []
        if not self.attendance_met:
            reasons.append(
                _("attendance %(percent)s%% is below the required %(minimum)s%%")
                % {"percent": self.attendance_percent or 0, "minimum": self.min_percent}
            )
        if self.assignment_required and not self.assignment_accepted:
            reasons.append(_("the assignment is not accepted yet"))
        return reasons


@dataclass
class FinaliseResult:
    completed: int
    participants: int
    session_completed: bool
    results: dict = field(default_factory=dict)


def _percent(attended, total):
    return (attended * 100) // total if total else 0


def annotate_deciders(registrations):
    """Registrations that carry whether they have an override and an accepted assignment (two EXISTS in their own
    query), so that evaluating them skips those two reads: a check-in evaluates one person, most with neither."""
    return registrations.annotate(
        has_completion_override=Exists(CompletionOverride.objects.filter(registration_id=OuterRef("pk"))),
        has_accepted_assignment=Exists(AssignmentSubmission.objects.filter(registration_id=OuterRef("pk")).accepted()),
    )


def _known(registrations, attribute):
    return all(getattr(registration, attribute, None) is not None for registration in registrations)


def _evaluate(session, registrations, now, save=True, with_deciders=True, agenda_items=None):
    """Evaluate a list of registrations of one session in a bounded number of queries; save what changed."""
    course = session.course
    if not attendance_service.uses_blocks(session):
        agenda_items = []
    elif agenda_items is None:
        agenda_items = list(session.agenda_items.all())
    slots = attendance_service.session_slots(session, agenda_items)
    slot_lookups = {slot.lookup for slot in slots}
    ids = [registration.pk for registration in registrations]
    attended = {}
    for registration_id, day, item_id in (
        Attendance.objects.filter(registration_id__in=ids)
        .attended()
        .values_list("registration_id", "day", "agenda_item_id")
    ):
        if (day, item_id) in slot_lookups:
            attended[registration_id] = attended.get(registration_id, 0) + 1
    accepted = set()
    if course.requires_assignment and _known(registrations, "has_accepted_assignment"):
        accepted = {registration.pk for registration in registrations if registration.has_accepted_assignment}
    elif course.requires_assignment:
        accepted = set(
            AssignmentSubmission.objects.filter(registration_id__in=ids)
            .accepted()
            .values_list("registration_id", flat=True)
        )
    overrides = {}
    decided = ids
    if _known(registrations, "has_completion_override"):
        decided = [registration.pk for registration in registrations if registration.has_completion_override]
    if decided:
        decisions = CompletionOverride.objects.filter(registration_id__in=decided)
        if with_deciders:
            decisions = decisions.select_related("decided_by__profile")
        for override in decisions.latest_first():
            overrides.setdefault(override.registration_id, override)

    now = now or timezone.now()
    results, changed = {}, []
    for registration in registrations:
        count = attended.get(registration.pk, 0)
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        result = CompletionResult(
            registration_id=registration.pk,
            completed=False,
            attendance_percent=_percent(count, len(slots)) if (confirmed or count) else None,
            attended=count,
            total=len(slots),
            min_percent=course.min_attendance_percent,
            assignment_required=course.requires_assignment,
            assignment_accepted=registration.pk in accepted,
            override=overrides.get(registration.pk) if confirmed else None,
        )
        if confirmed:
            result.completed = result.override.completed if result.override else result.rule_met
        completed_at = (registration.completed_at or now) if result.completed else None
        if completed_at != registration.completed_at or result.attendance_percent != registration.attendance_percent:
            registration.completed_at = completed_at
            registration.attendance_percent = result.attendance_percent
            changed.append(registration)
            result.changed = True
        result.completed_at = registration.completed_at
        results[registration.pk] = result
    if changed and save:
        if len(changed) == 1:  # a check-in or a mark: a plain UPDATE costs a fraction of bulk_update's CASE
            Registration.objects.filter(pk=changed[0].pk).update(
                completed_at=changed[0].completed_at, attendance_percent=changed[0].attendance_percent
            )
        else:
            Registration.objects.bulk_update(changed, ["completed_at", "attendance_percent"])
    return results


def evaluate_completion(registration, now=None, save=True, with_deciders=True, agenda_items=None):
    """Evaluate one registration by the course rule (or the latest override); returns a CompletionResult.

    `with_deciders=False` leaves the override's author unread, for callers that never show it (check-in);
    `agenda_items` are the session's, when the caller has read them already."""
    return _evaluate(
        registration.session, [registration], now, save=save, with_deciders=with_deciders, agenda_items=agenda_items
    )[registration.pk]


def evaluate_session(session, now=None, registration_ids=None, save=True):
    """Evaluate every registration of a session that is, or was, in play. Returns {registration id: result}.

    With save=False nothing is written (for pages that only show the result)."""
    registrations = session.registrations.filter(
        Q(status=RegistrationStatus.CONFIRMED) | Q(completed_at__isnull=False) | Q(attendance_percent__isnull=False)
    )
    if registration_ids is not None:
        registrations = registrations.filter(pk__in=registration_ids)
    registrations = list(registrations)
    for registration in registrations:
        registration.session = session
    return _evaluate(session, registrations, now, save=save)


def reevaluate_after_commit(session):
    """Re-evaluate a started session's completion once the change that touches it commits.

    Called when its dates, its agenda or its course's rule change: attendance percentages depend on
    the slots, so a stale figure would decide a certificate. One task per session per transaction,
    however many agenda rows an admin form saves; sessions not yet started have nothing to evaluate.
    A finalised (completed) session keeps its results, on which certificates may stand: finalising
    it again re-evaluates it on purpose.
    """
    if session.pk is None or session.starts_at > timezone.now():
        return
    if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
        return
    from courses.tasks.attendance import evaluate_session_completion

    on_commit_once(
        ("reevaluate-completion", session.pk), partial(enqueue_or_run, evaluate_session_completion, session.pk)
    )


def _ensure_manager(session, by, message):
    if not can_manage_session(by, session):
        raise PermissionDeniedError(message)


def override_completion(registration, *, completed, reason, by, now=None):
    """A trainer's decision against (or for) the rule, kept with who, when and why. The latest one wins."""
    _ensure_manager(
        registration.session,
        by,
        _("Only the trainers of this session and academy admins can change a completion result."),
    )
    if completed not in (True, False):
        raise DomainError(_("Say whether the participant completed the session."), field="completed")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the override."), field="reason")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("Only a confirmed registration can have a completion result."), field="registration")
    with transaction.atomic():
        override = CompletionOverride.objects.create(
            registration=registration, completed=completed, reason=reason[:2000], decided_by=by
        )
        result = evaluate_completion(registration, now=now)
    result.override = override
    return result


def finalise_session(session, *, by, now=None):
    """Evaluate every participant; once the session has ended, mark the session completed."""
    _ensure_manager(session, by, _("Only the trainers of this session and academy admins can finalise it."))
    if session.status in (SessionStatus.CANCELLED, SessionStatus.DRAFT):
        raise DomainError(_("Only a published session that was not cancelled can be finalised."))
    now = now or timezone.now()
    with transaction.atomic():
        results = evaluate_session(session, now=now)
        ended = session.ends_at <= now
        if ended and session.status != SessionStatus.COMPLETED:
            session.status = SessionStatus.COMPLETED
            session.save(update_fields=["status", "updated_at"])
    confirmed = [result for result in results.values() if result.attendance_percent is not None]
    return FinaliseResult(
        completed=sum(1 for result in results.values() if result.completed),
        participants=len(confirmed),
        session_completed=session.status == SessionStatus.COMPLETED,
        results=results,
    )


# Assignments ---------------------------------------------------------------------------------


def can_view_submission(user, submission):
    """The owner, the session's trainers and academy admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    return submission.registration.user_id == user.pk or can_manage_session(user, submission.registration.session)


def submit_assignment(registration, uploaded_file, *, by):
    """Hand in the assignment file. Replaces an earlier file that nobody reviewed yet."""
    if not getattr(by, "is_authenticated", False) or (registration.user_id != by.pk and not is_academy_admin(by)):
        raise PermissionDeniedError(_("You can only hand in your own assignment."))
    course = registration.session.course
    if not course.requires_assignment:
        raise DomainError(_("This course has no assignment to hand in."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("Only participants with a confirmed registration can hand in the assignment."))
    if registration.submissions.accepted().exists():
        raise DomainError(_("Your assignment has already been accepted."))
    check = validate_upload(uploaded_file)
    with transaction.atomic():
        superseded = list(registration.submissions.awaiting_review())
        submission = AssignmentSubmission(
            registration=registration, original_name=check.name, content_type=check.content_type, size=check.size
        )
        uploaded_file.seek(0)
        submission.file.save(check.name, uploaded_file, save=False)
        stored_name, storage = submission.file.name, submission.file.storage
        try:
            submission.save()
            for old in superseded:
                old.delete()  # its file leaves the storage once this commits (courses/signals.py)
        except Exception:
            storage.delete(stored_name)
            raise
    return submission


def review_assignment(submission, *, decision, feedback="", by, now=None):
    """Accept the file, or return it with feedback; the participant is told by e-mail."""
    registration = submission.registration
    _ensure_manager(
        registration.session,
        by,
        _("Only the trainers of this session and academy admins can review its assignments."),
    )
    if decision not in ("accept", "return"):
        raise DomainError(_("Choose to accept the assignment or to return it."), field="decision")
    feedback = (feedback or "").strip()
    if decision == "return" and not feedback:
        raise DomainError(_("Tell the participant what to change."), field="feedback")
    now = now or timezone.now()
    status = AssignmentSubmission.Status.ACCEPTED if decision == "accept" else AssignmentSubmission.Status.RETURNED
    with transaction.atomic():
        updated = AssignmentSubmission.objects.filter(
            pk=submission.pk, status=AssignmentSubmission.Status.SUBMITTED
        ).update(status=status, feedback=feedback[:5000], reviewed_by=by, reviewed_at=now)
        if not updated:
            raise DomainError(_("This submission has already been reviewed."))
        submission.refresh_from_db()
        if status == AssignmentSubmission.Status.ACCEPTED:
            evaluate_completion(registration, now=now)
        transaction.on_commit(lambda: _enqueue_review_notice(submission.pk))
    return submission


def _enqueue_review_notice(submission_id):
    from academy.services.tasks import enqueue_or_run
    from courses.tasks.attendance import notify_assignment_reviewed

    enqueue_or_run(notify_assignment_reviewed, submission_id)


def send_review_notice(submission_id):
    """Queue the e-mail telling the participant the result of the review (once per submission)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from academy.services.messaging import deliver

    submission = (
        AssignmentSubmission.objects.select_related("registration__user__profile", "registration__session__course")
        .filter(pk=submission_id)
        .exclude(status=AssignmentSubmission.Status.SUBMITTED)
        .first()
    )
    if submission is None:
        return False
    user = submission.registration.user
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE
    session = submission.registration.session
    with translation.override(language):
        link = site_base_url() + reverse("attendance_my_assignment", args=[session.pk])
        course_title = session.title or session.course.localized.title
    accepted = submission.status == AssignmentSubmission.Status.ACCEPTED
    _email, created = deliver(
        key=f"assignment-reviewed:{submission.pk}",
        user=user,
        template="attendance_assignment_accepted" if accepted else "attendance_assignment_returned",
        context={
            "name": user.display_name,
            "course": course_title,
            "file_name": submission.original_name,
            "feedback": submission.feedback,
            "link": link,
        },
        language=language,
    )
    return created
