"""Addresses printed on paper (QR codes) and machine-readable keys carry no language prefix."""

from django.urls import path

from certificates import views
from certificates.transcript import views as transcript_views

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("verify/transcript/<str:code>/", transcript_views.verify_transcript, name="transcript_verify"),
    path(".well-known/did.json", views.did_document, name="certificate_did_document"),
    path(".well-known/jwks.json", views.jwks, name="certificate_jwks"),
]
