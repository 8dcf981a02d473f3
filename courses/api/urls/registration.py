from django.urls import path

from courses.api import registration as views

urlpatterns = [
    path("sessions/<int:session_id>/register/", views.SessionRegisterView.as_view(), name="api-session-register"),
    path("sessions/<int:session_id>/roster/", views.SessionRosterView.as_view(), name="api-session-roster"),
    path(
        "sessions/<int:session_id>/registrations/bulk/",
        views.SessionBulkDecisionView.as_view(),
        name="api-session-registrations-bulk",
    ),
    path(
        "registrations/<int:registration_id>/cancel/",
        views.RegistrationCancelView.as_view(),
        name="api-registration-cancel",
    ),
    path(
        "registrations/<int:registration_id>/accept-offer/",
        views.RegistrationAcceptOfferView.as_view(),
        name="api-registration-accept-offer",
    ),
    path(
        "registrations/<int:registration_id>/decline-offer/",
        views.RegistrationDeclineOfferView.as_view(),
        name="api-registration-decline-offer",
    ),
    path(
        "registrations/<int:registration_id>/approve/",
        views.RegistrationApproveView.as_view(),
        name="api-registration-approve",
    ),
    path(
        "registrations/<int:registration_id>/reject/",
        views.RegistrationRejectView.as_view(),
        name="api-registration-reject",
    ),
    path("me/registrations/", views.MyRegistrationsView.as_view(), name="api-my-registrations"),
]
