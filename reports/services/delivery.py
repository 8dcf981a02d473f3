"""Delivery: sessions held, academic hours, participant-hours, attendance, completion, certificates."""

from django.apps import apps
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import participants, percent, rounded, sessions
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


def totals(filters, now=None):
    """Headline delivery figures in three queries (two without certificates)."""
    now = now or timezone.now()
    session_figures = sessions(filters).aggregate(
        sessions=Count("pk"),
        held=Count("pk", filter=_held(now)),
        academic_hours=Sum("course__hours", filter=_held(now)),
    )
    held = _held(now, "session__")
    attended = held & Q(attendance_percent__isnull=False)
    registration_figures = participants(filters).aggregate(
        registrations_held=Count("pk", filter=held),
        participant_hours=Sum("session__course__hours", filter=held),
        attended_hour_percents=Sum(F("session__course__hours") * F("attendance_percent"), filter=attended),
        attendance_recorded=Count("pk", filter=attended),
        attendance_rate=Avg("attendance_percent", filter=attended),
        completed=Count("pk", filter=held & Q(completed_at__isnull=False)),
    )
    figures = {**session_figures, **registration_figures}
    figures["upcoming"] = figures["sessions"] - figures["held"]
    figures["academic_hours"] = figures["academic_hours"] or 0
    figures["participant_hours"] = figures["participant_hours"] or 0
    figures["attended_hours"] = rounded((figures.pop("attended_hour_percents") or 0) / 100, 1)
    figures["attendance_rate"] = rounded(figures["attendance_rate"], 1)
    figures["completion_rate"] = percent(figures["completed"], figures["registrations_held"])
    figures["certificates"] = certificates_issued(filters)
    return figures


def by_month(filters):
    session_rows = {
        row["month"]: row
        for row in sessions(filters)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(sessions=Count("pk"), academic_hours=Sum("course__hours"))
        .order_by()
    }
    registration_rows = {
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
    rows = []
    for month in sorted(set(session_rows) | set(registration_rows)):
        sessions_row, registrations_row = session_rows.get(month, {}), registration_rows.get(month, {})
        registrations = registrations_row.get("registrations", 0)
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "sessions": sessions_row.get("sessions", 0),
                "academic_hours": sessions_row.get("academic_hours") or 0,
                "people": registrations_row.get("people", 0),
                "registrations": registrations,
                "completed": registrations_row.get("completed", 0),
            }
        )
    return rows


def by_course(filters, now=None):
    now = now or timezone.now()
    key = "course__translation_key"
    session_rows = {
        row[key]: row
        for row in sessions(filters)
        .values(key)
        .annotate(
            sessions=Count("pk"),
            held=Count("pk", filter=_held(now)),
            academic_hours=Sum("course__hours", filter=_held(now)),
        )
        .order_by()
    }
    held = _held(now, "session__")
    registration_rows = {
        row[f"session__{key}"]: row
        for row in participants(filters)
        .values(f"session__{key}")
        .annotate(
            registrations=Count("pk"),
            people=Count("user", distinct=True),
            registrations_held=Count("pk", filter=held),
            completed=Count("pk", filter=held & Q(completed_at__isnull=False)),
            attendance_rate=Avg("attendance_percent", filter=held),
        )
        .order_by()
    }
    keys = set(session_rows) | set(registration_rows)
    titles = course_titles(keys)
    rows = []
    for course_key in keys:
        sessions_row, registrations_row = session_rows.get(course_key, {}), registration_rows.get(course_key, {})
        rows.append(
            {
                "course": titles.get(course_key, str(course_key)),
                "sessions": sessions_row.get("sessions", 0),
                "held": sessions_row.get("held", 0),
                "academic_hours": sessions_row.get("academic_hours") or 0,
                "people": registrations_row.get("people", 0),
                "registrations": registrations_row.get("registrations", 0),
                "attendance_rate": rounded(registrations_row.get("attendance_rate"), 1),
                "completion_rate": percent(
                    registrations_row.get("completed", 0), registrations_row.get("registrations_held", 0)
                ),
            }
        )
    return sorted(rows, key=lambda row: (-row["registrations"], row["course"]))


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


def report(filters, now=None):
    figures = totals(filters, now)
    months = by_month(filters)
    courses = by_course(filters, now)
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
