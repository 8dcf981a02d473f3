"""Adding, editing and deleting a session's action plan items; taking them from a participant's uploaded plan.

Only the session's trainers and academy admins may change a plan (courses.permissions.can_manage_session).
Input comes as raw values (form fields or JSON); every problem raises DomainError(field=...) with a translated
message before anything is written.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.models import Municipality
from courses.models import ActionPlanItem, ActionPlanSource, AssignmentSubmission
from courses.permissions import can_manage_session

MAX_WHAT = 2000
MAX_NAME = 200
#: An item due later than this after the session is almost certainly a typing error.
LATEST_DUE = timedelta(days=5 * 366)


def _check_manager(user, session):
    if not can_manage_session(user, session):
        raise PermissionDeniedError(
            _("Only the trainers of this session and academy admins can change its action plan.")
        )


def _id(value, field):
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > 2**63 - 1:
        raise DomainError(_("Enter a whole number."), field=field)
    return int(text)


def _text(data, field, limit, message):
    value = data.get(field)
    value = "" if value is None else str(value).strip()
    if not value:
        raise DomainError(message, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(count)s characters, please.") % {"count": limit}, field=field)
    return value


def _due_date(session, value):
    if isinstance(value, date):
        day = value
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            raise DomainError(_("Enter the date by which the item is to be done."), field="due_date")
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day is None:
            raise DomainError(_("Enter a date as YYYY-MM-DD."), field="due_date")
    starts_on = timezone.localdate(session.starts_at)
    if day < starts_on:
        raise DomainError(_("The due date cannot be before the session starts."), field="due_date")
    if day > starts_on + LATEST_DUE:
        raise DomainError(_("The due date is more than five years after the session."), field="due_date")
    return day


def session_people(session):
    """Who may be responsible for an item with an account: the session's registered people and its trainers."""
    return get_user_model().objects.filter(Q(registrations__session=session) | Q(trained_sessions=session)).distinct()


def _clean(session, data):
    cleaned = {
        "what": _text(data, "what", MAX_WHAT, _("Say what is to be done.")),
        "responsible_name": _text(data, "responsible_name", MAX_NAME, _("Name the person responsible.")),
        "due_date": _due_date(session, data.get("due_date")),
    }
    municipality_id = _id(data.get("municipality"), "municipality")
    cleaned["municipality"] = None
    if municipality_id is not None:
        cleaned["municipality"] = Municipality.objects.filter(pk=municipality_id).first()
        if cleaned["municipality"] is None:
            raise DomainError(_("No such municipality."), field="municipality")
    user_id = _id(data.get("responsible_user"), "responsible_user")
    cleaned["responsible_user"] = None
    if user_id is not None:
        cleaned["responsible_user"] = session_people(session).filter(pk=user_id).first()
        if cleaned["responsible_user"] is None:
            raise DomainError(
                _("The responsible person's account must be a participant or trainer of this session."),
                field="responsible_user",
            )
    return cleaned


def _submission(session, value):
    submission_id = _id(value, "submission")
    if submission_id is None:
        return None
    submission = (
        AssignmentSubmission.objects.select_related("registration__user__profile")
        .filter(pk=submission_id, registration__session=session)
        .first()
    )
    if submission is None:
        raise DomainError(_("No such plan was handed in for this session."), field="submission")
    return submission


def add_item(user, session, data):
    """A new item of the session's plan, entered by the trainer or taken from a participant's plan (`submission`)."""
    _check_manager(user, session)
    cleaned = _clean(session, data)
    submission = _submission(session, data.get("submission"))
    return ActionPlanItem.objects.create(
        session=session,
        source=ActionPlanSource.PARTICIPANT_PLAN if submission else ActionPlanSource.TRAINER,
        submission=submission,
        created_by=user,
        **cleaned,
    )


def edit_item(user, item, data):
    """Change what, where, who and by when; the reported status is kept (it changes only through reports)."""
    _check_manager(user, item.session)
    cleaned = _clean(item.session, data)
    with transaction.atomic():
        item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
        for name, value in cleaned.items():
            setattr(item, name, value)
        item.save(update_fields=[*cleaned])
    return item


def delete_item(user, item):
    _check_manager(user, item.session)
    item.delete()  # its reports' files go once this commits (courses/signals.py)


def manageable_item(user, item_id):
    """The item, when `user` manages its session: NotFoundError / PermissionDeniedError otherwise."""
    item = ActionPlanItem.objects.select_related("session__course").filter(pk=_id(item_id, "item") or 0).first()
    if item is None:
        raise NotFoundError(_("No such action plan item."))
    _check_manager(user, item.session)
    return item


def session_items(session):
    """The plan's items with what the pages show (one query)."""
    return (
        ActionPlanItem.objects.for_session(session)
        .select_related("municipality", "responsible_user__profile", "submission")
        .prefetch_related("reports")
        .order_by("due_date", "pk")
    )


def import_candidates(user, session):
    """The plans participants handed in for the session (newest first), to take items from."""
    _check_manager(user, session)
    return (
        AssignmentSubmission.objects.for_session(session)
        .select_related("registration__user__profile__municipality")
        .order_by("-submitted_at", "-pk")
    )


def prefill_from_submission(user, session, submission_id):
    """The add form's initial values for an item from a participant's plan: the participant is responsible,
    in their municipality, due six months after the session; the trainer types what from the plan."""
    _check_manager(user, session)
    submission = _submission(session, submission_id)
    if submission is None:
        return {}
    person = submission.registration.user
    profile = getattr(person, "profile", None)
    return {
        "submission": submission.pk,
        "responsible_user": person.pk,
        "responsible_name": (profile.full_name if profile else "") or person.get_full_name() or person.email,
        "municipality": profile.municipality_id if profile else None,
        "due_date": (timezone.localdate(session.ends_at) + timedelta(days=182)).isoformat(),
    }
