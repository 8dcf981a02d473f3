from django.urls import path

from courses.api.assessments import views

urlpatterns = [
    path("tests/", views.MyTestsView.as_view(), name="api-my-knowledge-tests"),
    path("tests/<int:test_id>/", views.TestDetailView.as_view(), name="api-knowledge-test"),
    path("tests/<int:test_id>/attempt/", views.AttemptView.as_view(), name="api-knowledge-test-attempt"),
    path("tests/<int:test_id>/paper/", views.PaperView.as_view(), name="api-knowledge-test-paper"),
    path("sessions/<int:session_id>/tests/", views.SessionTestsView.as_view(), name="api-session-knowledge-tests"),
    path(
        "sessions/<int:session_id>/tests/<str:kind>/open/",
        views.OpenTestView.as_view(),
        name="api-session-knowledge-test-open",
    ),
    path(
        "sessions/<int:session_id>/tests/<str:kind>/close/",
        views.CloseTestView.as_view(),
        name="api-session-knowledge-test-close",
    ),
    path(
        "sessions/<int:session_id>/test-results/",
        views.SessionResultsView.as_view(),
        name="api-session-knowledge-test-results",
    ),
]
