from django.urls import path

from . import views
from .costs import CostsReportView
from .outcomes import OutcomeReportView
from .qualification import QualificationReportView

urlpatterns = [
    path("reports/summary/", views.SummaryView.as_view(), name="api-reports-summary"),
    path("reports/costs/", CostsReportView.as_view(), name="api-reports-costs"),
    path("reports/outcomes/", OutcomeReportView.as_view(), name="api-reports-outcomes"),
    path("reports/qualification/", QualificationReportView.as_view(), name="api-reports-qualification"),
    path(
        "registrations/<int:pk>/feedback/", views.RegistrationFeedbackView.as_view(), name="api-registration-feedback"
    ),
    path(
        "registrations/<int:pk>/feedback/survey/",
        views.RegistrationSurveyView.as_view(),
        name="api-registration-feedback-survey",
    ),
]
