"""Language-prefixed pages of the certificates app (/<lang>/...)."""

from django.urls import path

from certificates import municipality_views, views
from certificates.transcript import views as transcript_views

urlpatterns = [
    path("my/certificates/", views.my_certificates, name="my_certificates"),
    path("municipality/", municipality_views.municipality_staff, name="municipality_staff"),
    path("my/qualification/", transcript_views.my_transcript, name="my_transcript"),
    path("my/qualification/transcript.pdf", transcript_views.my_transcript_pdf, name="my_transcript_pdf"),
    path("my/certificates/<int:pk>/pdf/", views.my_certificate_pdf, name="my_certificate_pdf"),
    path(
        "my/certificates/<int:pk>/badge.json", views.my_certificate_badge, {"kind": "json"}, name="my_certificate_badge"
    ),
    path(
        "my/certificates/<int:pk>/badge.jwt",
        views.my_certificate_badge,
        {"kind": "jwt"},
        name="my_certificate_badge_jwt",
    ),
]
