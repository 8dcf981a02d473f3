from django.urls import include, path

urlpatterns = [
    path("", include("courses.api.catalogue_urls")),
    path("", include("courses.api.registration_urls")),
    path("", include("courses.api.attendance_urls")),
    path("", include("courses.api.materials_urls")),
]
