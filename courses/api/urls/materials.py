from django.urls import path

from courses.api import materials

urlpatterns = [
    path("courses/<int:course_id>/materials/", materials.CourseMaterialsView.as_view(), name="api-course-materials"),
    path("sessions/<int:session_id>/materials/", materials.SessionMaterialsView.as_view(), name="api-session-materials"),
    path("materials/stats/", materials.MaterialStatsView.as_view(), name="api-material-stats"),
    path("materials/<int:material_id>/stats/", materials.MaterialStatsDetailView.as_view(), name="api-material-stats-detail"),
]
