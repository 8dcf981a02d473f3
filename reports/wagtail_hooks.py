"""Report screens and their menu in the Wagtail admin."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from reports import admin_urls, surveys_admin
from reports.services.base import can_see_personal_data, can_view_reports
from reports.services.registry import REPORTS

URL_PREFIX = "training-reports/"


class ReportMenuItem(MenuItem):
    """Shown to admins and trainers (trainers see their own sessions only)."""

    def is_shown(self, request):
        return can_view_reports(request.user)


class AdminReportMenuItem(MenuItem):
    """Shown to academy admins only."""

    def is_shown(self, request):
        return can_see_personal_data(request.user)


class QualificationMenuItem(MenuItem):
    """Academy admins and municipality officers (their municipality only)."""

    def is_shown(self, request):
        from reports.services.qualification import can_view

        return can_view(request.user)


@hooks.register("register_admin_viewset")
def register_survey_viewset():
    return surveys_admin.SurveyViewSet()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path(URL_PREFIX, include(admin_urls, namespace="reports_admin"))]


def _menu_items():
    icons = {"participants": "group", "reach": "site", "delivery": "date", "trainers": "user", "feedback": "comment"}
    items = [ReportMenuItem(_("Overview"), reverse_lazy("reports_admin:index"), icon_name="table", order=100)]
    for order, (key, (label, _build)) in enumerate(REPORTS.items(), start=2):
        items.append(
            ReportMenuItem(
                label,
                reverse_lazy(f"reports_admin:{key}"),
                name=f"report-{key}",
                icon_name=icons.get(key, "table"),
                order=order * 100,
            )
        )
    items.append(
        QualificationMenuItem(
            _("Who is due for training"),
            reverse_lazy("reports_admin:qualification"),
            name="report-qualification",
            icon_name="time",
            order=850,
        )
    )
    items.append(
        AdminReportMenuItem(
            _("Costs"), reverse_lazy("reports_admin:costs"), name="report-costs", icon_name="tag", order=880
        )
    )
    items.append(
        ReportMenuItem(
            _("Action plans"),
            reverse_lazy("reports_admin:action_plans"),
            name="report-action-plans",
            icon_name="tasks",
            order=890,
        )
    )
    items.append(
        AdminReportMenuItem(
            _("Surveys"), reverse_lazy("surveys:index"), name="report-surveys", icon_name="list-ul", order=870
        )
    )
    items.append(
        AdminReportMenuItem(
            _("Donor summary"), reverse_lazy("reports_admin:donor_summary"), icon_name="doc-full", order=900
        )
    )
    items.append(
        AdminReportMenuItem(
            _("Outcome report"),
            reverse_lazy("reports_admin:outcomes"),
            name="report-outcomes",
            icon_name="doc-full",
            order=910,
        )
    )
    items.append(
        AdminReportMenuItem(
            _("Participant list"), reverse_lazy("reports_admin:participant_list"), icon_name="download", order=1000
        )
    )
    return items


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return SubmenuMenuItem(
        _("Training reports"), Menu(items=_menu_items()), name="training-reports", icon_name="table", order=450
    )
