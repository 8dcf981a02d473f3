"""Delivery: sessions held, academic hours, participant-hours, attendance, completion, certificates."""

from django.apps import apps
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from . import place_sums
from . import session_sums as rollup_sums
from .base import participants, percent, rounded, sessions, with_report_memory
from .labels import course_titles
from .structures import DECIMAL, INT, PERCENT, Chart, Column, Figure, Report, Table

#: Certificate statuses that do not count as issued, when the model has no "valid" status.
NOT_ISSUED_STATUSES = ("revoked", "replaced", "cancelled", "draft", "void")


def certificate_model():
    """`certificates.Certificate` when that app provides it, else None (it is built separately)."""
    if not apps.is_installed("certificates"):
        return None
    try:
        model = apps.get_model("certificates", "Certificate")
    except LookupError:
        return None
    field_names = {field.name for field in model._meta.get_fields()}
    return model if "registration" in field_names else None


def certificates_issued(filters):
    """Valid certificates of participant registrations, or None when certificates are not available."""
    model = certificate_model()
    if model is None:
        return None
    queryset = model.objects.filter(registration__in=participants(filters).values("pk"))
    status = next((field for field in model._meta.get_fields() if field.name == "status"), None)
    if status is not None:
        if "valid" in {value for value, _label in status.choices or ()}:
            queryset = queryset.filter(status="valid")  # one valid certificate per completed registration
        else:
            queryset = queryset.exclude(status__in=NOT_ISSUED_STATUSES)
    return queryset.count()


def _held(now, prefix=""):
    return Q(**{f"{prefix}ends_at__lte": now})


REGISTRATION_SUMS = (
    "registrations_held",
    "participant_hours",
    "attended_hour_percents",
    "attendance_recorded",
    "attendance_sum",
    "completed_held",
)


def registration_sums(now):
    """Integer sums over participant registrations that the delivery figures are made of.

    Sums, not averages, so that they add up over courses, or over people in the donor summary.
    """
    held = _held(now, "session__")
    attended = held & Q(attendance_percent__isnull=False)
    return {
        "registrations_held": Count("pk", filter=held),
        "participant_hours": Sum("session__course__hours", filter=held),
        "attended_hour_percents": Sum(F("session__course__hours") * F("attendance_percent"), filter=attended),
        "attendance_recorded": Count("pk", filter=attended),
        "attendance_sum": Sum("attendance_percent", filter=attended),
        "completed_held": Count("pk", filter=held & Q(completed_at__isnull=False)),
    }


def session_sums(now):
    return {
        "sessions": Count("pk"),
        "held": Count("pk", filter=_held(now)),
        "academic_hours": Sum("course__hours", filter=_held(now)),
        # The months table counts the hours of every session of the month, held or ahead.
        "scheduled_hours": Sum("course__hours"),
    }


def figures_from(session_figures, registration_figures, certificates):
    """The headline figures from the sums of `session_sums` and `registration_sums`."""
    sums = {name: session_figures.get(name) or 0 for name in ("sessions", "held", "academic_hours")}
    sums.update((name, registration_figures.get(name) or 0) for name in REGISTRATION_SUMS)
    recorded = sums["attendance_recorded"]
    return {
        **sums,
        "upcoming": sums["sessions"] - sums["held"],
        "completed": sums["completed_held"],
        "attended_hours": rounded(sums["attended_hour_percents"] / 100, 1),
        "attendance_rate": rounded(sums["attendance_sum"] / recorded, 1) if recorded else None,
        "completion_rate": percent(sums["completed_held"], sums["registrations_held"]),
        "certificates": certificates,
    }


@with_report_memory
def totals(filters, now=None, registration_figures=None):
    """Headline delivery figures in three queries (two without certificates).

    `registration_figures`: the `registration_sums` when the caller has them already.
    """
    now = now or timezone.now()
    session_figures = sessions(filters).aggregate(**session_sums(now))
    if registration_figures is None and rollup_sums.usable(filters):
        registration_figures = rollup_sums.totals(filters, now)
    elif registration_figures is None:
        registration_figures = participants(filters).aggregate(**registration_sums(now))
    return figures_from(session_figures, registration_figures, certificates_issued(filters))


def _session_rows(filters, now):
    """Session sums per (course, month the session starts): the only query on sessions."""
    return list(
        sessions(filters)
        .annotate(month=TruncMonth("starts_at"))
        .values("course__translation_key", "month")
        .annotate(**session_sums(now))
        .order_by()
    )


def _add_up(rows, key):
    added = {}
    for row in rows:
        counted = added.setdefault(
            row[key], dict.fromkeys(("sessions", "held", "academic_hours", "scheduled_hours"), 0)
        )
        for name in counted:
            counted[name] += row[name] or 0
    return added


def by_month(filters, session_rows=None, registration_rows=None):
    if session_rows is None:
        session_rows = _session_rows(filters, timezone.now())
    session_rows = _add_up(session_rows, "month")
    if registration_rows is None and rollup_sums.usable(filters) and rollup_sums.people_by(filters, "month"):
        registration_rows = rollup_sums.by_month(filters)
    elif registration_rows is None:
        registration_rows = _month_registration_rows(filters)
    rows = []
    for month in sorted(set(session_rows) | set(registration_rows)):
        sessions_row, registrations_row = session_rows.get(month, {}), registration_rows.get(month, {})
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "sessions": sessions_row.get("sessions", 0),
                "academic_hours": sessions_row.get("scheduled_hours") or 0,
                "people": registrations_row.get("people", 0),
                "registrations": registrations_row.get("registrations") or 0,
                "completed": registrations_row.get("completed") or 0,
            }
        )
    return rows


def _month_registration_rows(filters):
    return {
        row["month"]: row
        for row in participants(filters)
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(
            registrations=Count("pk"),
            people=Count("user", distinct=True),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    }


def _course_registration_rows(filters, now):
    if rollup_sums.usable(filters) and rollup_sums.people_by(filters, "course"):
        return rollup_sums.by_course(filters, now)
    key = "session__course__translation_key"
    return {
        row[key]: row
        for row in participants(filters)
        .values(key)
        .annotate(registrations=Count("pk"), people=Count("user", distinct=True), **registration_sums(now))
        .order_by()
    }


def by_course(filters, now=None, session_rows=None, registration_rows=None):
    now = now or timezone.now()
    if session_rows is None:
        session_rows = _session_rows(filters, now)
    session_rows = _add_up(session_rows, "course__translation_key")
    if registration_rows is None:
        registration_rows = _course_registration_rows(filters, now)
    keys = set(session_rows) | set(registration_rows)
    titles = course_titles(keys)
    rows = []
    for course_key in keys:
        sessions_row, registrations_row = session_rows.get(course_key, {}), registration_rows.get(course_key, {})
        recorded = registrations_row.get("attendance_recorded", 0)
        rows.append(
            {
                "course": titles.get(course_key, str(course_key)),
                "sessions": sessions_row.get("sessions", 0),
                "held": sessions_row.get("held", 0),
                "academic_hours": sessions_row.get("academic_hours") or 0,
                "people": registrations_row.get("people", 0),
                "registrations": registrations_row.get("registrations", 0),
                "attendance_rate": rounded(registrations_row["attendance_sum"] / recorded, 1) if recorded else None,
                "completion_rate": percent(
                    registrations_row.get("completed_held", 0), registrations_row.get("registrations_held", 0)
                ),
            }
        )
    return sorted(rows, key=lambda row: (-row["registrations"], row["course"]))


def _sum_rows(rows, names):
    return {name: sum(row.get(name) or 0 for row in rows) for name in names}


def headline_figures(figures):
    certificates = figures["certificates"]
    return [
        Figure("held", _("Sessions held"), figures["held"]),
        Figure("upcoming", _("Sessions ahead"), figures["upcoming"], note=_("scheduled, not yet ended")),
        Figure(
            "academic_hours",
            _("Academic hours delivered"),
            figures["academic_hours"],
            note=_("sum of course hours of sessions held"),
        ),
        Figure(
            "participant_hours",
            _("Participant-hours"),
            figures["participant_hours"],
            note=_("course hours × participants of sessions held"),
        ),
        Figure(
            "attended_hours",
            _("Participant-hours attended"),
            figures["attended_hours"],
            DECIMAL,
            note=_("weighted by recorded attendance"),
        ),
        Figure(
            "attendance_rate",
            _("Attendance rate"),
            figures["attendance_rate"],
            PERCENT,
            note=_("average where attendance was recorded"),
        ),
        Figure(
            "completion_rate",
            _("Completion rate"),
            figures["completion_rate"],
            PERCENT,
            note=_("of participants of sessions held"),
        ),
        Figure(
            "certificates",
            _("Certificates issued"),
            certificates if certificates is not None else _("not available"),
            INT if certificates is not None else "text",
        ),
    ]


@with_report_memory
def report(filters, now=None):
    # Four queries: sessions per course and month, participants per course and per month, certificates; under
    # an oblast or district filter on PostgreSQL the first three are one pass over the participants.
    now = now or timezone.now()
    month_rows = None
    if place_sums.supported(filters):
        session_rows, registration_rows, month_rows = place_sums.delivery_rows(filters, now)
    else:
        session_rows = _session_rows(filters, now)
        registration_rows = _course_registration_rows(filters, now)
    figures = figures_from(
        _sum_rows(session_rows, session_sums(now)),
        _sum_rows(registration_rows.values(), REGISTRATION_SUMS),
        certificates_issued(filters),
    )
    months = by_month(filters, session_rows, month_rows)
    courses = by_course(filters, now, session_rows, registration_rows)
    return Report(
        key="delivery",
        title=_("Delivery"),
        figures=headline_figures(figures),
        tables=[
            Table(
                "months",
                _("By month the session starts"),
                [
                    Column("month", _("Month")),
                    Column("sessions", _("Sessions"), INT),
                    Column("academic_hours", _("Academic hours"), INT),
                    Column("people", _("People"), INT),
                    Column("registrations", _("Registrations"), INT),
                    Column("completed", _("Completed"), INT),
                ],
                months,
            ),
            Table(
                "courses",
                _("By course"),
                [
                    Column("course", _("Course")),
                    Column("sessions", _("Sessions"), INT),
                    Column("held", _("Held"), INT),
                    Column("academic_hours", _("Academic hours delivered"), INT),
                    Column("people", _("People"), INT),
                    Column("registrations", _("Registrations"), INT),
                    Column("attendance_rate", _("Attendance rate"), PERCENT),
                    Column("completion_rate", _("Completion rate"), PERCENT),
                ],
                courses,
            ),
        ],
        charts=[
            Chart(
                "months", _("Registrations by month"), "bar", [(row["month"], row["registrations"]) for row in months]
            ),
        ],
        notes=[
            _("A session is held once it has ended. Drafts and cancelled sessions are never counted."),
            _("Certificates count valid certificates of participants; revoked ones are left out."),
        ],
    )
