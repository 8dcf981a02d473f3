"""Follow-up rounds, the signed links in the messages, and sending the messages.

A round is a number of months after the session ends (settings.ACTION_PLAN_FOLLOW_UP_MONTHS, default (3, 6)).
Round N is *due* from the Bishkek local day the session ended plus N months, clamped to the month's last day
(`is_round_due`: the one rule for both the sender and the pages/API that accept reports). Cancelled sessions get
no messages. The daily task (courses.tasks.action_plans)
calls `send_due_follow_ups`: for each session with items whose latest due round has not been sent, every
responsible person with an account gets ONE message for the round (outbox key
`action-plan:<session>:<round>:<user>`, so a task run twice sends once), on their channel and in their language,
with a signed link to the page listing their items. Older rounds never sent (a plan entered late) are recorded
as sent with nobody asked, so nobody gets two messages at once.
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.base_url import absolute_url
from academy.errors import DomainError
from academy.link_language import with_language
from academy.services.messaging import deliver, language_of
from courses.models import ActionPlanFollowUp, ActionPlanItem, Session, SessionStatus

SALT = "courses.action_plans.follow_up"
DEFAULT_MONTHS = (3, 6)
DEFAULT_LINK_DAYS = 90
#: At most this many sessions per task run; the next run takes the rest.
BATCH = 200


class LinkError(DomainError):
    code = "invalid_link"


def cancelled_message():
    """Why a cancelled session's action plan takes no reports (translated when asked for)."""
    return _("This training was cancelled: its action plan takes no reports.")


def follow_up_months():
    """The rounds, in months after the session, ascending and without repeats."""
    months = getattr(settings, "ACTION_PLAN_FOLLOW_UP_MONTHS", DEFAULT_MONTHS) or DEFAULT_MONTHS
    return tuple(sorted({int(month) for month in months if int(month) > 0}))


def link_days():
    return int(getattr(settings, "ACTION_PLAN_LINK_DAYS", DEFAULT_LINK_DAYS))


def add_months(day, months):
    """`day` plus `months` months; the 29th-31st become the last day of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def round_due_on(session, months):
    """The Bishkek local day round `months` of the session falls due: its local end day plus `months` months."""
    return add_months(timezone.localdate(session.ends_at), months)


def is_round_due(session, months, today=None):
    """THE rule: round `months` is due for the session on `today` (Bishkek local date). The daily sender and the
    pages/API that accept reports both ask this (the sender also skips cancelled sessions: nobody is asked)."""
    return round_due_on(session, months) <= (today or timezone.localdate())


def due_rounds(session, today=None):
    """The rounds due for the session today (their reports are accepted), ascending."""
    today = today or timezone.localdate()
    return [months for months in follow_up_months() if is_round_due(session, months, today)]


# Links ------------------------------------------------------------------------------------------------------------


def make_token(user, session, months):
    return signing.dumps({"u": user.pk, "s": session.pk, "r": months}, salt=SALT, compress=True)


def read_token(token):
    """(user id, session id, round) of a valid link; LinkError with a translated message otherwise."""
    try:
        data = signing.loads(str(token), salt=SALT, max_age=link_days() * 86400)
    except signing.SignatureExpired:
        raise LinkError(
            _("This link has expired. Ask your trainer or the academy for a new one."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise LinkError(_("This link is not valid. Check that you opened the whole link from the message.")) from None
    if not isinstance(data, dict) or not all(isinstance(data.get(key), int) for key in ("u", "s", "r")):
        raise LinkError(_("This link is not valid. Check that you opened the whole link from the message."))
    return data["u"], data["s"], data["r"]


def items_for_link(token):
    """The person, the session, the round and their items for a link (LinkError when it leads nowhere)."""
    user_id, session_id, months = read_token(token)
    session = Session.objects.select_related("course").filter(pk=session_id).first()
    items = list(
        ActionPlanItem.objects.filter(
            session_id=session_id, responsible_user_id=user_id, responsible_user__is_active=True
        )
        .select_related("municipality", "responsible_user__profile")
        .order_by("due_date", "pk")
    )
    if session is None or not items:
        raise LinkError(_("There is nothing to report through this link any more."), code="link_empty")
    if session.status == SessionStatus.CANCELLED:
        raise LinkError(cancelled_message(), code="link_empty")
    return items[0].responsible_user, session, months, items


def follow_up_url(user, session, months, language):
    with translation.override(language):
        path = reverse("action_plan_follow_up", args=[make_token(user, session, months)])
    return with_language(absolute_url(path), language)


# Sending ----------------------------------------------------------------------------------------------------------


def message_key(session_id, months, user_id):
    return f"action-plan:{session_id}:{months}:{user_id}"


#: A session ending on the 29th-31st is due on the last day of a shorter month, up to 3 days before the same
#: day number: the query looks that much further, and `is_round_due` decides.
_CLAMP_SLACK = timedelta(days=3)


def _sessions_due(months, today, limit):
    """Up to `limit` sessions (oldest first) with items whose round `months` is due today and not yet recorded."""
    latest_end = timezone.make_aware(
        datetime.combine(add_months(today, -months) + _CLAMP_SLACK, time.max),
        timezone.get_default_timezone(),
    )
    sent = ActionPlanFollowUp.objects.filter(session=OuterRef("pk"), round=months)
    items = ActionPlanItem.objects.filter(session=OuterRef("pk"))
    candidates = (
        Session.objects.filter(ends_at__lte=latest_end)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(Exists(items))
        .exclude(Exists(sent))
        .select_related("course")
        .order_by("ends_at", "pk")
    )
    due = []
    for session in candidates.iterator(chunk_size=limit):
        if len(due) >= limit:
            break
        if is_round_due(session, months, today):
            due.append(session)
    return due


def _send_round(session, months, rounds):
    """Send round `months` of one session (and mark the earlier unsent rounds as passed). Returns messages queued."""
    people = {}
    for item in ActionPlanItem.objects.filter(
        session=session, responsible_user__isnull=False, responsible_user__is_active=True
    ).select_related("responsible_user__profile"):
        people.setdefault(item.responsible_user_id, [item.responsible_user, 0])[1] += 1
    queued = 0
    try:
        with transaction.atomic():
            for earlier in rounds:
                if earlier < months:
                    ActionPlanFollowUp.objects.get_or_create(session=session, round=earlier)
            ActionPlanFollowUp.objects.create(session=session, round=months, recipients=len(people))
            for user, count in people.values():
                language = language_of(user)
                with translation.override(language):
                    title = session.display_title
                _row, created = deliver(
                    user=user,
                    key=message_key(session.pk, months, user.pk),
                    template="action_plan_follow_up",
                    context={
                        "name": user.display_name,
                        "session_title": title,
                        "session_date": timezone.localdate(session.starts_at),
                        "months": months,
                        "items": count,
                        "url": follow_up_url(user, session, months, language),
                        "days": link_days(),
                    },
                    language=language,
                )
                queued += bool(created)
    except IntegrityError:  # another run recorded this round first: it sends the messages
        return 0
    return queued


def send_due_follow_ups(today=None, limit=BATCH):
    """Queue the messages of every follow-up round that is due and not yet sent. Safe to run twice."""
    today = today or timezone.localdate()
    rounds = follow_up_months()
    handled, queued = set(), 0
    # The latest round first: a session due for both 3 and 6 months is asked once, for 6.
    for months in reversed(rounds):
        for session in _sessions_due(months, today, limit):
            if session.pk in handled:
                continue
            handled.add(session.pk)
            queued += _send_round(session, months, rounds)
    return queued
