from django.urls import path

from courses.views import registration as views

urlpatterns = [
    path("my/trainings/", views.my_trainings, name="my_trainings"),
    path("sessions/<int:session_id>/register/", views.session_register, name="session_register"),
    path("my/registrations/<int:registration_id>/cancel/", views.registration_cancel, name="registration_cancel"),
    path(
        "my/registrations/<int:registration_id>/accept-offer/",
        views.registration_offer_accept,
        name="registration_offer_accept",
    ),
    path(
        "my/registrations/<int:registration_id>/decline-offer/",
        views.registration_offer_decline,
        name="registration_offer_decline",
    ),
]
