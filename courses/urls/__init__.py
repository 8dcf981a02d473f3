from django.urls import include, path

urlpatterns = [
    path("", include("courses.urls.catalogue")),
    path("", include("courses.urls.registration")),
    path("", include("courses.urls.attendance")),
    path("", include("courses.urls.materials")),
    path("", include("courses.urls.municipality")),
    path("", include("courses.urls.assessments")),
    path("", include("courses.urls.action_plans")),
]
