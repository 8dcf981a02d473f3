from django.urls import path

from courses.views import catalogue

urlpatterns = [
    path("catalogue/", catalogue.course_catalogue, name="course_catalogue"),
    path("sessions/", catalogue.session_list, name="session_list"),
    path("sessions/<int:pk>/", catalogue.session_detail, name="session_detail"),
    path("sessions/<int:pk>/calendar.ics", catalogue.session_ical, name="session_ical"),
    path("trainers/<int:pk>/calendar.ics", catalogue.trainer_ical, name="trainer_ical"),
]
