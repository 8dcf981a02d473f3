"""What the reports count, defined once, and the filters every report shares.

**Participant** (the unit of every report): a *confirmed* registration (completed ones stay
confirmed, with ``completed_at`` set) of a session that is neither a draft nor cancelled.
Pending, waitlisted, cancelled and rejected registrations never count. A *person* is counted
once however many sessions they attended (``Count("user", distinct=True)``); *registrations*
count every participant registration.

**Reportable session**: a session that is neither a draft nor cancelled. It is *held* once it
has ended (``ends_at`` in the past).

**Filters** (``ReportFilters``) cut both:

* period: the session *starts* on or after ``date_from`` and on or before ``date_to``
  (calendar days in Asia/Bishkek time);
* oblast / district: where the *participant* comes from (the municipality of their
  profile). Session figures under these filters count the sessions that had at least one
  participant from there;
* course (any language version of the course page), funding project, trainer: of the session.

A trainer who is not an academy admin only ever sees their own sessions: their reports
carry ``scope_trainer_id`` (see ``for_user``).
"""

import functools
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import PermissionDeniedError
from academy.models import Profile
from academy.roles import is_academy_admin, is_trainer
from courses.models import Registration, RegistrationStatus, Session, SessionStatus

EXCLUDED_SESSION_STATUSES = (SessionStatus.DRAFT, SessionStatus.CANCELLED)
#: PostgreSQL's memory for each hash table and sort of a report query (the server default is 4 MB).
REPORT_WORK_MEM = "64MB"
#: "Youth" as donors count it: under this age in the year the session starts.
YOUTH_AGE_LIMIT = 35


@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    region_id: int | None = None
    district_id: int | None = None
    course_key: UUID | None = None
    funding_project_id: int | None = None
    trainer_id: int | None = None
    #: Set for trainers who are not admins: only sessions they train are counted.
    scope_trainer_id: int | None = None

    @property
    def by_place(self):
        return bool(self.region_id or self.district_id)

    @property
    def trainer_ids(self):
        return {pk for pk in (self.trainer_id, self.scope_trainer_id) if pk}


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _trained_by(trainer_id):
    return Session.trainers.through.objects.filter(user_id=trainer_id).values("session_id")


def session_q(filters, prefix=""):
    """Conditions on the session itself (not on where participants come from)."""
    q = ~Q(**{f"{prefix}status__in": EXCLUDED_SESSION_STATUSES})
    if filters.date_from:
        q &= Q(**{f"{prefix}starts_at__gte": _day_start(filters.date_from)})
    if filters.date_to:
        q &= Q(**{f"{prefix}starts_at__lt": _day_start(filters.date_to + timedelta(days=1))})
    if filters.course_key:
        q &= Q(**{f"{prefix}course__translation_key": filters.course_key})
    if filters.funding_project_id:
        q &= Q(**{f"{prefix}funding_project_id": filters.funding_project_id})
    for trainer_id in sorted(filters.trainer_ids):
        q &= Q(**{f"{prefix}pk__in": _trained_by(trainer_id)})
    return q


def place_q(filters, prefix=""):
    """Where the participant comes from: the municipality of their profile.

    As a semi-join on the people of the place, not a join through users and profiles: PostgreSQL then reads
    the registrations once and keeps those of the oblast's people (a hash of ~30,000 ids at the target scale)
    instead of a lookup per person, and never reads the users table.
    """
    if not filters.by_place:
        return Q()
    people = Profile.objects.all()
    if filters.region_id:
        people = people.filter(municipality__district__region_id=filters.region_id)
    if filters.district_id:
        people = people.filter(municipality__district_id=filters.district_id)
    return Q(**{f"{prefix}user_id__in": people.values("user_id")})


def participant_q(filters, prefix=""):
    """THE definition of a participant, with the filters, for a path ending at a Registration."""
    return (
        Q(**{f"{prefix}status": RegistrationStatus.CONFIRMED})
        & session_q(filters, f"{prefix}session__")
        & place_q(filters, prefix)
    )


def participants(filters):
    """Participant registrations (see the module docstring) matching the filters."""
    return Registration.objects.filter(participant_q(filters))


def sessions(filters):
    """Reportable sessions matching the filters; oblast/district keep sessions that reached there."""
    queryset = Session.objects.filter(session_q(filters))
    if filters.by_place:
        queryset = queryset.filter(pk__in=participants(filters).values("session_id"))
    return queryset


def can_view_reports(user):
    return is_academy_admin(user) or is_trainer(user)


def can_see_personal_data(user):
    """Only admins may export lists of people (names, e-mails, phones)."""
    return is_academy_admin(user)


def for_user(filters, user):
    """Limit filters to what `user` may see: admins everything, trainers their own sessions."""
    if is_academy_admin(user):
        return filters
    if is_trainer(user):
        return replace(filters, scope_trainer_id=user.pk)
    raise PermissionDeniedError(_("Only academy admins and trainers can see reports."))


def percent(part, whole):
    """A share in percent with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


def rounded(value, digits=2):
    return None if value is None else round(float(value), digits)


def fetch_rows(queryset):
    """The rows of a ``values_list()`` of integer aggregates as plain tuples, without Django's
    per-value converters (thousands of rows × twenty columns: most of the time spent in Python)."""
    connection = connections[queryset.db]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def with_report_memory(function):
    """Run a report in one transaction in which PostgreSQL may hash and sort in memory.

    A report groups every participant registration (300,000 at the target scale): with the default
    ``work_mem`` of 4 MB those hash tables and sorts spill to temporary files, and the planner picks
    sort-based plans for them; ``set_config(..., true)`` raises it for this transaction only.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        connection = connections[router.db_for_read(Registration)]
        if connection.vendor != "postgresql" or getattr(connection, "report_memory_set", False):
            return function(*args, **kwargs)  # not PostgreSQL, or a report calling another's figures
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [REPORT_WORK_MEM])
            connection.report_memory_set = True
            try:
                return function(*args, **kwargs)
            finally:
                connection.report_memory_set = False

    return wrapper
