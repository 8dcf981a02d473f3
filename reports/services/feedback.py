"""Participant feedback: who may answer, answering (and changing the answer), asking by e-mail."""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Prefetch, Value
from django.db.models.functions import Cast, Concat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError
from academy.models import OutboxEmail
from academy.services.messaging import deliver
from courses.models import Registration, RegistrationStatus
from reports.models import Feedback, SurveyAnswer

from . import surveys
from .base import EXCLUDED_SESSION_STATUSES
from .labels import course_titles

logger = logging.getLogger(__name__)

#: Sessions that ended longer ago than this get no request (e.g. when the feature is switched on).
REQUEST_WINDOW = timedelta(days=14)
#: One beat run queues at most this many e-mails; the next run continues.
REQUEST_BATCH = 500
TEXT_LIMITS = {"most_useful": 2000, "comments": 4000}  # = surveys.TEXT_LIMITS


def request_key(registration_id):
    return f"feedback-request:{registration_id}"


def _local_date(moment):
    return timezone.localtime(moment).date()


def feedback_open(registration, now):
    """Feedback opens on the last day of a session (so it can be given at the closing) and stays open."""
    session = registration.session
    return _local_date(now) >= _local_date(session.ends_at)


def answerable(user, now=None):
    """The user's registrations that can take feedback: confirmed, of sessions that were held."""
    now = now or timezone.now()
    today_ends = timezone.make_aware(
        datetime.combine(_local_date(now) + timedelta(days=1), time.min), timezone.get_default_timezone()
    )
    return (
        Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED, session__ends_at__lt=today_ends)
        .exclude(session__status__in=EXCLUDED_SESSION_STATUSES)
        .select_related("session__course", "feedback")
        .order_by("-session__ends_at", "-pk")
    )


def my_feedback(user, now=None):
    """(awaiting, answered): what the "My feedback" page lists, in one query."""
    now = now or timezone.now()
    awaiting, answered = [], []
    registrations = list(answerable(user, now))
    titles = course_titles({registration.session.course.translation_key for registration in registrations})
    for registration in registrations:
        session = registration.session
        registration.session_title = session.title or titles.get(session.course.translation_key, "")
        feedback = getattr(registration, "feedback", None)
        if feedback is None:
            awaiting.append(registration)
        else:
            registration.feedback_editable = feedback.is_editable(now)
            answered.append(registration)
    return awaiting, answered


def registration_for_feedback(user, registration_id):
    """The user's own registration, or a not-found error (others' registrations are not revealed)."""
    registration = (
        Registration.objects.filter(pk=registration_id, user=user).select_related("session__course").first()
        if user.is_authenticated
        else None
    )
    if registration is None:
        raise NotFoundError(_("Registration not found."))
    return registration


def feedback_with_answers(registration):
    """The registration's feedback with its answers to the academy's own questions, or None."""
    return (
        Feedback.objects.filter(registration=registration)
        .prefetch_related(Prefetch("answers", queryset=SurveyAnswer.objects.select_related("question")))
        .first()
    )


def check_can_answer(registration, now):
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("Only confirmed participants can give feedback."), code="not_participant")
    if registration.session.status in EXCLUDED_SESSION_STATUSES:
        raise DomainError(_("This session did not take place."), code="session_not_held")
    if not feedback_open(registration, now):
        raise DomainError(_("Feedback opens on the last day of the session."), code="too_early")


def submit_feedback(
    user,
    registration_id,
    *,
    content_score=None,
    trainer_score=None,
    organisation_score=None,
    most_useful=None,
    comments=None,
    answers=None,
    now=None,
):
    """Save the user's answer to the survey of one registration; change it within 7 days.

    The standard questions come as keyword arguments, the academy's own ones in `answers`
    ({question id: value}, see `surveys.clean_answers`). Returns (feedback, created)."""
    now = now or timezone.now()
    registration = registration_for_feedback(user, registration_id)
    check_can_answer(registration, now)
    existing = Feedback.objects.filter(registration=registration).first()
    survey = surveys.survey_of(registration, existing)
    standard = {
        "content_score": content_score,
        "trainer_score": trainer_score,
        "organisation_score": organisation_score,
        "most_useful": most_useful,
        "comments": comments,
    }
    columns, own_answers = surveys.clean_answers(survey, standard, answers if answers is not None else {})
    values = {**columns, "survey": survey, "updated_at": now}
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().filter(registration=registration).first()
        created = False
        if feedback is None:
            try:
                with transaction.atomic():
                    feedback = Feedback.objects.create(registration=registration, submitted_at=now, **values)
                    created = True
            except IntegrityError:  # answered at the same moment from another tab or device
                feedback = Feedback.objects.select_for_update().get(registration=registration)
        if not created:
            if not feedback.is_editable(now):
                raise DomainError(
                    _("Feedback can be changed for 7 days after it is first sent; this time is over."), code="locked"
                )
            if feedback.survey_id not in (None, survey.pk):  # the survey answered changed meanwhile
                raise DomainError(_("The survey changed meanwhile: open the form again."), code="stale")
            for name, value in values.items():
                setattr(feedback, name, value)
            feedback.save(update_fields=list(values))
        surveys.save_answers(feedback, survey, own_answers)
    return feedback, created


def feedback_url(registration_id, language):
    """Absolute link to the feedback form in the participant's language."""
    try:
        with translation.override(language):
            path = reverse("feedback_form", args=[registration_id])
    except NoReverseMatch:  # the public feedback pages are not mounted in this URLconf
        path = f"/{language}/my/feedback/{registration_id}/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def due_requests(now=None):
    """Registrations whose feedback request e-mail is due: sessions that ended recently, no answer, no e-mail yet."""
    now = now or timezone.now()
    already_asked = OutboxEmail.objects.filter(
        key=Concat(Value("feedback-request:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    )
    return (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            session__ends_at__lte=now,
            session__ends_at__gt=now - REQUEST_WINDOW,
            feedback__isnull=True,
        )
        .exclude(session__status__in=EXCLUDED_SESSION_STATUSES)
        .exclude(Exists(already_asked))
        .select_related("user__profile", "session__course")
        .order_by("session__ends_at", "pk")
    )


def queue_feedback_requests(now=None, limit=REQUEST_BATCH):
    """Queue one feedback request e-mail per due registration. Safe to run twice: the key is unique."""
    queued = 0
    for registration in due_requests(now)[:limit]:
        profile = getattr(registration.user, "profile", None)
        language = (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            session_title = registration.session.display_title
        _email, created = deliver(
            key=request_key(registration.pk),
            user=registration.user,
            template="reports_feedback_request",
            context={
                "name": profile.full_name if profile else "",
                "session_title": session_title,
                "session_date": timezone.localtime(registration.session.starts_at).date(),
                "url": feedback_url(registration.pk, language),
                "days": REQUEST_WINDOW.days,
            },
            language=language,
        )
        queued += created
    return queued
