"""Attendance, check-in, assignments and completion pages (under the /<lang>/ prefix)."""

from django.urls import path

from courses.views import attendance as views
from courses.views import offline

urlpatterns = [
    path("trainer/", views.trainer_dashboard, name="trainer_dashboard"),
    path("trainer/sw.js", offline.service_worker, name="attendance_service_worker"),
    path("trainer/offline/pages/", offline.offline_pages, name="attendance_offline_pages"),
    path("trainer/sessions/<int:session_id>/attendance/", views.roll_call, name="attendance_roll_call"),
    path("trainer/sessions/<int:session_id>/check-in/", views.checkin_screen, name="attendance_checkin_screen"),
    path("trainer/sessions/<int:session_id>/check-in/code/", views.checkin_code, name="attendance_checkin_code"),
    path("trainer/sessions/<int:session_id>/sign-in-sheet.pdf", views.signin_sheet, name="attendance_signin_sheet"),
    path("trainer/sessions/<int:session_id>/paper/", views.paper_entry, name="attendance_paper"),
    path("trainer/sessions/<int:session_id>/assignments/", views.assignments, name="attendance_assignments"),
    path("trainer/sessions/<int:session_id>/completion/", views.completion, name="attendance_completion"),
    path("trainer/sessions/<int:session_id>/finalise/", views.finalise, name="attendance_finalise"),
    path("trainer/assignments/<int:submission_id>/review/", views.review_submission, name="attendance_review"),
    path("trainer/registrations/<int:registration_id>/completion/", views.override, name="attendance_override"),
    path("check-in/<str:code>/", views.check_in, name="attendance_check_in"),
    path("my/sessions/<int:session_id>/assignment/", views.my_assignment, name="attendance_my_assignment"),
    path("assignments/<int:submission_id>/file/", views.submission_file, name="attendance_submission_file"),
]
