"""Report screens, mounted under /admin/training-reports/ by reports/wagtail_hooks.py."""

from django.urls import path

from reports.services.registry import REPORTS
from reports.views import admin as views
from reports.views.action_plans import ActionPlansView
from reports.views.costs import CostsView
from reports.views.outcomes import OutcomeReportView
from reports.views.qualification import QualificationView

app_name = "reports_admin"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    *[path(f"{key}/", views.ReportView.as_view(report_key=key), name=key) for key in REPORTS],
    path("donor-summary/", views.DonorSummaryView.as_view(), name="donor_summary"),
    path("costs/", CostsView.as_view(), name="costs"),
    path("outcomes/", OutcomeReportView.as_view(), name="outcomes"),
    path("action-plans/", ActionPlansView.as_view(), name="action_plans"),
    path("participant-list/", views.ParticipantListView.as_view(), name="participant_list"),
    path("qualification/", QualificationView.as_view(), name="qualification"),
]
