from django.urls import path

from courses.views import registration as views

urlpatterns = [
    path("my/trainings/", views.my_trainings, name="my_trainings"),
    path("sessions/<int:session_id>/register/", views.session_register, name="session_register"),
    path("my/registrations/<int:registration_id>/cancel/", views.registration_cancel, name="registration_cancel"),
]
