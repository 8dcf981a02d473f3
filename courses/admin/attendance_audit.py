"""The audit of attendance synced from the trainers' phones (issue #14 §2), one session at a time: every
synced mark once and every value a synced mark replaced (AttendanceChange). Read-only; for the session's
trainers and academy admins (SessionMixin refuses anyone else)."""

from datetime import date

from django.core.paginator import Paginator
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks

from courses.admin.registrations import SessionMixin, _breadcrumbs
from courses.models import AttendanceChange

PAGE_SIZE = 50


def _positive_int(value):
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class AttendanceAuditView(SessionMixin, TemplateView):
    template_name = "courses/attendance/admin/audit.html"
    page_title = gettext_lazy("Attendance audit")

    def get_breadcrumbs_items(self):
        return _breadcrumbs(
            {"url": self.roster_url(), "label": str(self.session)}, {"url": "", "label": _("Attendance audit")}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = list(
            self.session.registrations.select_related("user__profile").order_by("user__profile__full_name", "pk")
        )
        participant = _positive_int(self.request.GET.get("participant"))
        day = _day(self.request.GET.get("day"))
        changes = (
            AttendanceChange.objects.filter(registration__session=self.session)
            .select_related("registration__user__profile", "agenda_item", "recorded_by__profile")
            .order_by("-received_at", "-pk")
        )
        if participant:
            changes = changes.filter(registration_id=participant)
        if day:
            changes = changes.filter(day=day)
        page = Paginator(changes, PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            {
                "session": self.session,
                "registrations": registrations,
                "days": self.session.days,
                "participant": participant,
                "day": day,
                "page_obj": page,
                "bad_filter": bool(self.request.GET.get("day")) and day is None,
            }
        )
        return context


@hooks.register("register_admin_urls")
def register_attendance_audit_urls():
    return [
        path(
            "registrations/session/<int:session_id>/attendance-audit/",
            AttendanceAuditView.as_view(),
            name="attendance_audit",
        )
    ]


def audit_url(session):
    return reverse("attendance_audit", args=[session.pk])
