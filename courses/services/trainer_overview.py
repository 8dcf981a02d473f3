"""What a trainer sees first in the admin (the dashboard panel): their next sessions and their pending work.

A fixed number of queries whatever the number of sessions (tests/admin/test_dashboard_panel.py counts them):
the next sessions, the localised course titles, the registrations awaiting approval, the submissions to review
and the past sessions whose attendance was never taken. Admins see the whole academy.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from courses.models import (
    AssignmentSubmission,
    Attendance,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from courses.permissions import manageable_sessions
from courses.services.catalogue import session_titles

NEXT_SESSIONS = 5
PENDING_ROWS = 5
# Attendance not taken is looked for in sessions that ended within this window (older ones are history).
ATTENDANCE_WINDOW = timedelta(days=60)


@dataclass
class Overview:
    next_sessions: list = field(default_factory=list)
    awaiting_approval: list = field(default_factory=list)
    to_review: list = field(default_factory=list)
    attendance_missing: list = field(default_factory=list)

    @property
    def has_pending_work(self):
        return bool(self.awaiting_approval or self.to_review or self.attendance_missing)


def _sessions(user):
    return manageable_sessions(user, Session.objects.exclude(status__in=[SessionStatus.DRAFT, SessionStatus.CANCELLED]))


def overview(user, now=None):
    now = now or timezone.now()
    sessions = _sessions(user).select_related("course", "venue")
    next_sessions = list(
        sessions.filter(ends_at__gte=now)
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
            )
        )
        .order_by("starts_at", "pk")[:NEXT_SESSIONS]
    )
    awaiting_approval = list(
        sessions.filter(ends_at__gte=now)
        .annotate(pending_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING)))
        .filter(pending_count__gt=0)
        .order_by("starts_at", "pk")[:PENDING_ROWS]
    )
    to_review = list(
        sessions.annotate(
            review_count=Count(
                "registrations__submissions",
                filter=Q(registrations__submissions__status=AssignmentSubmission.Status.SUBMITTED),
            )
        )
        .filter(review_count__gt=0)
        .order_by("-starts_at", "-pk")[:PENDING_ROWS]
    )
    marks = Attendance.objects.filter(registration__session=OuterRef("pk"))
    participants = Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
    attendance_missing = list(
        sessions.filter(ends_at__lt=now, ends_at__gte=now - ATTENDANCE_WINDOW)
        .filter(Exists(participants), ~Exists(marks))
        .order_by("-starts_at", "-pk")[:PENDING_ROWS]
    )
    everything = [*next_sessions, *awaiting_approval, *to_review, *attendance_missing]
    titles = session_titles(everything)
    for session in everything:
        session.panel_title = titles[session.pk]
    return Overview(
        next_sessions=next_sessions,
        awaiting_approval=awaiting_approval,
        to_review=to_review,
        attendance_missing=attendance_missing,
    )
