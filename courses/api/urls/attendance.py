from django.urls import path

from courses.api import attendance as views
from courses.api import attendance_sync

urlpatterns = [
    path("sessions/<int:session_id>/attendance/", views.SessionAttendanceView.as_view(), name="api-session-attendance"),
    path(
        "sessions/<int:session_id>/attendance/sync/",
        attendance_sync.AttendanceSyncView.as_view(),
        name="api-session-attendance-sync",
    ),
    path("sessions/<int:session_id>/check-in-code/", views.CheckInCodeView.as_view(), name="api-check-in-code"),
    path("sessions/<int:session_id>/finalise/", views.FinaliseView.as_view(), name="api-session-finalise"),
    path("check-in/", views.CheckInView.as_view(), name="api-check-in"),
    path(
        "registrations/<int:registration_id>/assignment/",
        views.RegistrationAssignmentView.as_view(),
        name="api-registration-assignment",
    ),
    path(
        "registrations/<int:registration_id>/completion/",
        views.CompletionView.as_view(),
        name="api-registration-completion",
    ),
    path("assignments/<int:submission_id>/review/", views.ReviewView.as_view(), name="api-assignment-review"),
    path("assignments/<int:submission_id>/file/", views.SubmissionFileView.as_view(), name="api-assignment-file"),
]
