from django.urls import path

from . import views

urlpatterns = [
    path("reports/summary/", views.SummaryView.as_view(), name="api-reports-summary"),
    path(
        "registrations/<int:pk>/feedback/", views.RegistrationFeedbackView.as_view(), name="api-registration-feedback"
    ),
]
