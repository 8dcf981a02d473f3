from django.urls import path

from courses.api import action_plans

urlpatterns = [
    path(
        "sessions/<int:session_id>/action-plan/",
        action_plans.SessionActionPlanView.as_view(),
        name="api-session-action-plan",
    ),
    path(
        "sessions/<int:session_id>/action-plan/<int:item_id>/report/",
        action_plans.ActionPlanItemReportView.as_view(),
        name="api-action-plan-item-report",
    ),
]
