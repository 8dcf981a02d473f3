from django.urls import include, path

urlpatterns = [
    path("", include("courses.urls_catalogue")),
    path("", include("courses.urls_registration")),
    path("", include("courses.urls_attendance")),
    path("", include("courses.urls_materials")),
]
