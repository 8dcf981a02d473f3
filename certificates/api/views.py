from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.errors import NotFoundError
from certificates import badges
from certificates.models import Certificate, IssuanceBatch
from certificates.services import access, batches, rendering, revocation, verification
from courses.models import Session

from .permissions import IsAcademyAdmin, VerifyThrottle
from .serializers import (
    BatchAcceptedSerializer,
    BatchStatusSerializer,
    CertificateSerializer,
    IssueRequestSerializer,
    ReissueSerializer,
    RevokeSerializer,
    VerificationSerializer,
)

ADMIN_ONLY = [permissions.IsAuthenticated, IsAcademyAdmin]


class KeepNotFoundMixin:
    """Keep a 404 a 404: LocaleMiddleware would redirect an unprefixed 404 to /<lang>/..., where Wagtail answers.

    Pointing the request at a urlconf without language prefixes turns that redirect off for this response.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 404:
            request._request.urlconf = "certificates.urls_unprefixed"
        return response


class IssueCertificatesView(KeepNotFoundMixin, APIView):
    """Issue the certificates of a session in the background (all completed registrations, or a selection)."""

    permission_classes = ADMIN_ONLY

    @extend_schema(request=IssueRequestSerializer, responses={202: BatchAcceptedSerializer})
    def post(self, request, session_id):
        session = get_object_or_404(Session, pk=session_id)
        serializer = IssueRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = batches.start_batch(
            created_by=request.user,
            session=session,
            registration_ids=serializer.validated_data.get("registrations") or None,
            template=serializer.validated_data.get("template"),
            language=get_language(),
        )
        status_url = request.build_absolute_uri(reverse("api-certificate-batch", args=[batch.pk]))
        body = {"id": batch.pk, "status": batch.status, "total": batch.total, "status_url": status_url}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})


class BatchStatusView(KeepNotFoundMixin, APIView):
    """Progress and summary of a bulk issuance."""

    permission_classes = ADMIN_ONLY

    @extend_schema(responses={200: BatchStatusSerializer})
    def get(self, request, pk):
        batch = get_object_or_404(IssuanceBatch, pk=pk)
        return Response(batches.batch_summary(batch))


class MyCertificatesView(KeepNotFoundMixin, generics.ListAPIView):
    """The signed-in participant's certificates."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: the user is anonymous
            return Certificate.objects.none()
        return access.own_certificates(self.request.user).select_related("replaced_by")


class CertificateDetailView(KeepNotFoundMixin, generics.RetrieveAPIView):
    """One certificate: its holder or an admin."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CertificateSerializer

    def get_queryset(self):
        return access.certificates_visible_to(self.request.user).select_related("replaced_by")


class _CertificateFileView(KeepNotFoundMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get_certificate(self, request, pk):
        return get_object_or_404(access.certificates_visible_to(request.user).select_related("template", "user"), pk=pk)


class CertificatePdfView(_CertificateFileView):
    """The certificate as PDF (holder or admin)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        certificate = self.get_certificate(request, pk)
        response = HttpResponse(rendering.certificate_pdf(certificate), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{rendering.pdf_filename(certificate)}"'
        return response


class CertificateBadgeView(_CertificateFileView):
    """The certificate as an Open Badges 3.0 credential, JSON-LD with a DataIntegrityProof (eddsa-rdfc-2022)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        certificate = self.get_certificate(request, pk)
        return Response(badges.credential_with_proof(certificate))


class CertificateBadgeJwtView(_CertificateFileView):
    """The certificate as an Open Badges 3.0 credential secured as a VC-JWT (EdDSA)."""

    @extend_schema(responses={(200, badges.JWT_MEDIA_TYPE): OpenApiTypes.STR})
    def get(self, request, pk):
        certificate = self.get_certificate(request, pk)
        return HttpResponse(badges.credential_jwt(certificate), content_type=badges.JWT_MEDIA_TYPE)


class RevokeView(KeepNotFoundMixin, APIView):
    """Revoke a valid certificate; the reason is shown on the verification page."""

    permission_classes = ADMIN_ONLY

    @extend_schema(request=RevokeSerializer, responses={200: CertificateSerializer})
    def post(self, request, pk):
        certificate = get_object_or_404(access.certificates_visible_to(request.user), pk=pk)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = revocation.revoke_certificate(
            certificate, reason=serializer.validated_data["reason"], actor=request.user
        )
        return Response(CertificateSerializer(certificate).data)


class ReissueView(KeepNotFoundMixin, APIView):
    """Replace a valid certificate with a corrected one (new number and code)."""

    permission_classes = ADMIN_ONLY

    @extend_schema(request=ReissueSerializer, responses={201: CertificateSerializer})
    def post(self, request, pk):
        certificate = get_object_or_404(access.certificates_visible_to(request.user), pk=pk)
        serializer = ReissueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        new = revocation.reissue_certificate(
            certificate,
            reason=data["reason"],
            actor=request.user,
            holder_name=data.get("holder_name"),
            holder_name_latin=data.get("holder_name_latin"),
        )
        return Response(CertificateSerializer(new).data, status=status.HTTP_201_CREATED)


class VerifyView(KeepNotFoundMixin, APIView):
    """Anyone can check a certificate by the code printed in its QR code. Rate-limited per client."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(responses={200: VerificationSerializer, 404: OpenApiResponse(description="Unknown code")})
    def get(self, request, code):
        record = verification.cached_public_record(code)  # cached per code and language; the throttle still runs
        if record is None:
            raise NotFoundError(_("No certificate has this code. Check the address and try again."), field=None)
        return Response(record)


class IssuerView(KeepNotFoundMixin, APIView):
    """The academy as an Open Badges issuer: its profile, DID and public keys (JWK set)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        language = (get_language() or "ky")[:2]
        return Response(
            {**badges.issuer_profile(language), "did": badges.did_document(), "jwks": badges.jwks()},
            headers={"Access-Control-Allow-Origin": "*"},
        )


class StatusListView(KeepNotFoundMixin, APIView):
    """The revocation status list (W3C Bitstring Status List): a VC-JWT, or JSON-LD with a proof."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        document = badges.status_list_credential()
        if "jwt" in request.headers.get("Accept", "") or request.query_params.get("as") == "jwt":
            return HttpResponse(
                badges.sign_jwt(document, not_before=timezone.now()),
                content_type=badges.JWT_MEDIA_TYPE,
                headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=60"},
            )
        return Response(
            badges.add_proof(document, created=timezone.now()),
            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=60"},
        )
