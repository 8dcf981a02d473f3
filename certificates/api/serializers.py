from django.db.models import Manager
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certificates.models import Certificate, CertificateTemplate
from certificates.services import linkedin
from certificates.services.notifications import absolute


class CertificateListSerializer(serializers.ListSerializer):
    """A list of certificates: their LinkedIn links are made together, the academy name read once per list."""

    def to_representation(self, data):
        certificates = list(data.all() if isinstance(data, Manager) else data)
        return super().to_representation(linkedin.add_to_profile_urls(certificates))


class CertificateSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    course_title = serializers.CharField(source="localized_course_title", read_only=True)
    replaced_by = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    badge_url = serializers.SerializerMethodField()
    badge_jwt_url = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()
    linkedin_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        list_serializer_class = CertificateListSerializer
        fields = [
            "id",
            "number",
            "status",
            "status_display",
            "holder_name",
            "holder_name_latin",
            "course_title",
            "course_hours",
            "starts_on",
            "ends_on",
            "issued_on",
            "expires_at",
            "expired",
            "session",
            "revoked_at",
            "revocation_reason",
            "replaced_by",
            "verify_url",
            "pdf_url",
            "badge_url",
            "badge_jwt_url",
            "linkedin_url",
        ]

    def get_replaced_by(self, certificate) -> int | None:
        replacement = getattr(certificate, "replaced_by", None) if certificate.status == "replaced" else None
        return replacement.pk if replacement else None

    def get_verify_url(self, certificate) -> str:
        return absolute(certificate.get_verify_path())

    def get_pdf_url(self, certificate) -> str:
        return absolute(reverse("api-certificate-pdf", args=[certificate.pk]))

    def get_badge_url(self, certificate) -> str:
        return absolute(reverse("api-certificate-badge", args=[certificate.pk]))

    def get_badge_jwt_url(self, certificate) -> str:
        return absolute(reverse("api-certificate-badge-jwt", args=[certificate.pk]))

    def get_expired(self, certificate) -> bool:
        return certificate.public_status() == "expired"

    def get_linkedin_url(self, certificate) -> str:
        """LinkedIn's "add a certification" form filled in with this certificate (empty unless it is valid).
        A list sets it on all its certificates at once (CertificateListSerializer)."""
        if not hasattr(certificate, "linkedin_url"):
            linkedin.add_to_profile_urls([certificate])
        return certificate.linkedin_url


class IssueRequestSerializer(serializers.Serializer):
    registrations = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=True,
        max_length=5000,
        help_text=_("Selected completed registrations of the session; all of them when left out."),
    )
    template = serializers.PrimaryKeyRelatedField(
        queryset=CertificateTemplate.objects.all(), required=False, allow_null=True
    )


class BatchAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    total = serializers.IntegerField()
    status_url = serializers.URLField()


class CertificateSkippedSerializer(serializers.Serializer):
    registration = serializers.IntegerField()
    participant = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class BatchStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    finished = serializers.BooleanField()
    session = serializers.IntegerField(allow_null=True)
    template = serializers.IntegerField()
    total = serializers.IntegerField()
    processed = serializers.IntegerField()
    percent = serializers.IntegerField()
    issued = serializers.IntegerField()
    already_issued = serializers.IntegerField()
    skipped = CertificateSkippedSerializer(many=True)
    parts = serializers.IntegerField(help_text="Parts the batch is split into for the workers (0 until it starts).")
    parts_done = serializers.IntegerField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReissueSerializer(RevokeSerializer):
    holder_name = serializers.CharField(max_length=200, required=False)
    holder_name_latin = serializers.CharField(max_length=200, required=False, allow_blank=True)


class VerificationSerializer(serializers.Serializer):
    """The public verification record (see certificates.services.verification.public_record)."""

    number = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "expired", "revoked", "replaced"])
    status_display = serializers.CharField()
    valid = serializers.BooleanField()
    expires_at = serializers.DateField(allow_null=True, help_text="The last valid day; null: it never expires.")
    expired = serializers.BooleanField()
    holder = serializers.DictField()
    course = serializers.DictField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    issued_on = serializers.DateField()
    issuer = serializers.DictField()
    revocation = serializers.DictField(allow_null=True)
    replaced_by = serializers.DictField(allow_null=True)
    verify_url = serializers.URLField()
