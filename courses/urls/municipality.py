from django.urls import path

from courses.views import municipality as views

urlpatterns = [
    path("municipality/sessions/", views.sessions, name="municipality_sessions"),
    path("municipality/sessions/<int:session_id>/nominate/", views.nominate, name="municipality_nominate"),
    path("municipality/approvals/", views.approvals, name="municipality_approvals"),
    path("municipality/approvals/<int:registration_id>/", views.decide, name="municipality_decide"),
]
