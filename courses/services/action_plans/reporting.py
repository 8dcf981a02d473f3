"""Reporting an item: done, in progress or dropped, with a comment and an optional photo or document.

The responsible person reports their own items (through their signed link, or signed in); the session's
trainers and academy admins report any item of the session, e.g. for a person without an account ("no one to
ask"). The round must be one of the follow-up rounds and due. Everything is checked before anything is
written; the report is written and the item's latest status updated in one transaction, under a row lock on
the item, so two reports at once leave the item with the status of the one written last.
Deleted reports' files leave the storage once the deletion is committed, whatever deleted them
(courses/signals.py).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from courses.models import REPORTED_STATUSES, ActionPlanItem, ActionPlanReport, SessionStatus
from courses.permissions import can_manage_session
from courses.services.uploads import validate_upload

from .follow_ups import cancelled_message, due_rounds, follow_up_months

#: Photos of the work done, or a document (act, protocol, decision).
REPORT_FILE_KINDS = ("jpg", "png", "pdf", "docx", "odt", "xlsx")
MAX_COMMENT = 2000


def _status(value):
    value = "" if value is None else str(value).strip()
    if value not in REPORTED_STATUSES:
        raise DomainError(_("Choose done, in progress or dropped."), field="status")
    return value


def _round(item, value, today):
    text = "" if value is None else str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) not in follow_up_months():
        raise DomainError(_("No such follow-up round."), field="round")
    months = int(text)
    if months not in due_rounds(item.session, today):
        raise DomainError(_("The %(months)s-month follow-up is not due yet.") % {"months": months}, field="round")
    return months


def check_reporter(user, item):
    if user is not None and user.is_authenticated and user.pk == item.responsible_user_id:
        return
    if user is not None and can_manage_session(user, item.session):
        return
    raise PermissionDeniedError(_("This action plan item is not yours to report."))


def report_item(user, item, *, status, round, comment="", file=None, now=None):
    """Record a report on `item` by `user` and make its status the item's latest. Returns the report."""
    now = now or timezone.now()
    check_reporter(user, item)
    if item.session.status == SessionStatus.CANCELLED:
        raise DomainError(cancelled_message())
    status = _status(status)
    months = _round(item, round, timezone.localdate(now))
    comment = "" if comment is None else str(comment).strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(_("At most %(count)s characters, please.") % {"count": MAX_COMMENT}, field="comment")
    check = validate_upload(file, allowed=REPORT_FILE_KINDS) if file else None
    with transaction.atomic():
        locked = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
        report = ActionPlanReport(
            item=locked, round=months, status=status, comment=comment, reported_by=user, reported_at=now
        )
        if check is not None:
            report.original_name, report.content_type, report.size = check.name, check.content_type, check.size
            report.file.save(check.name, file, save=False)
        report.save()
        if locked.status != status:
            locked.status, locked.status_changed_at = status, now
            locked.save(update_fields=["status", "status_changed_at"])
    item.status, item.status_changed_at = locked.status, locked.status_changed_at
    return report
