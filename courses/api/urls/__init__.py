from django.urls import include, path

urlpatterns = [
    path("", include("courses.api.urls.catalogue")),
    path("", include("courses.api.urls.registration")),
    path("", include("courses.api.urls.attendance")),
    path("", include("courses.api.urls.materials")),
    path("", include("courses.api.urls.municipality")),
    path("", include("courses.api.urls.assessments")),
    path("", include("courses.api.urls.action_plans")),
]
