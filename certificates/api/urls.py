from django.urls import path

from . import municipality, transcripts, views

urlpatterns = [
    path(
        "sessions/<int:session_id>/issue-certificates/",
        views.IssueCertificatesView.as_view(),
        name="api-session-issue-certificates",
    ),
    path("certificate-batches/<int:pk>/", views.BatchStatusView.as_view(), name="api-certificate-batch"),
    path("me/certificates/", views.MyCertificatesView.as_view(), name="api-my-certificates"),
    path("municipality/staff/", municipality.MunicipalityStaffView.as_view(), name="api-municipality-staff"),
    path("me/transcript/", transcripts.MyTranscriptView.as_view(), name="api-my-transcript"),
    path("me/transcript/pdf/", transcripts.MyTranscriptPdfView.as_view(), name="api-my-transcript-pdf"),
    path("certificates/verify/<str:code>/", views.VerifyView.as_view(), name="api-certificate-verify"),
    path("certificates/issuer/", views.IssuerView.as_view(), name="api-certificate-issuer"),
    path("certificates/status-list/", views.StatusListView.as_view(), name="api-certificate-status-list"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="api-certificate-detail"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="api-certificate-pdf"),
    path("certificates/<int:pk>/badge/", views.CertificateBadgeView.as_view(), name="api-certificate-badge"),
    path("certificates/<int:pk>/badge.jwt", views.CertificateBadgeJwtView.as_view(), name="api-certificate-badge-jwt"),
    path("certificates/<int:pk>/revoke/", views.RevokeView.as_view(), name="api-certificate-revoke"),
    path("certificates/<int:pk>/reissue/", views.ReissueView.as_view(), name="api-certificate-reissue"),
]
