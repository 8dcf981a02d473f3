"""Knowledge tests (under the /<lang>/ prefix): the participant's page and the trainer's screens."""

from django.urls import path

from courses.views import assessments as views

urlpatterns = [
    path("tests/<int:test_id>/", views.take_test, name="assessment_take"),
    path("trainer/sessions/<int:session_id>/tests/", views.session_tests, name="assessment_session"),
    path("trainer/sessions/<int:session_id>/tests/<str:kind>/build/", views.build_test, name="assessment_build"),
    path("trainer/tests/<int:test_id>/open/", views.open_test, name="assessment_open"),
    path("trainer/tests/<int:test_id>/close/", views.close_test, name="assessment_close"),
    path("trainer/tests/<int:test_id>/qr/", views.test_qr, name="assessment_qr"),
    path("trainer/tests/<int:test_id>/paper/", views.paper_entry, name="assessment_paper"),
]
