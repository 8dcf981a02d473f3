from django.urls import path

from courses.api import municipality as views

urlpatterns = [
    path("municipality/nominations/", views.NominationCreateView.as_view(), name="api-municipality-nominate"),
    path("municipality/approvals/", views.ApprovalListView.as_view(), name="api-municipality-approvals"),
    path(
        "municipality/approvals/<int:registration_id>/approve/",
        views.ApprovalApproveView.as_view(),
        name="api-municipality-approve",
    ),
    path(
        "municipality/approvals/<int:registration_id>/reject/",
        views.ApprovalRejectView.as_view(),
        name="api-municipality-reject",
    ),
]
