"""Action plans (under the /<lang>/ prefix): the responsible person's page and the trainer's screens."""

from django.urls import path

from courses.views import action_plans as views

urlpatterns = [
    path("action-plan/<str:token>/", views.follow_up, name="action_plan_follow_up"),
    path("trainer/sessions/<int:session_id>/action-plan/", views.session_plan, name="action_plan_session"),
    path("trainer/action-plan/<int:item_id>/edit/", views.edit_item, name="action_plan_item_edit"),
    path("trainer/action-plan/<int:item_id>/delete/", views.delete_item, name="action_plan_item_delete"),
    path("trainer/action-plan/<int:item_id>/report/", views.report_for, name="action_plan_item_report"),
    path("trainer/action-plan/reports/<int:report_id>/file/", views.report_file, name="action_plan_report_file"),
]
