from django.urls import path

from . import views
from .qualification import QualificationReportView

urlpatterns = [
    path("reports/summary/", views.SummaryView.as_view(), name="api-reports-summary"),
    path("reports/qualification/", QualificationReportView.as_view(), name="api-reports-qualification"),
    path(
        "registrations/<int:pk>/feedback/", views.RegistrationFeedbackView.as_view(), name="api-registration-feedback"
    ),
]
