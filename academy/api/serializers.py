from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from academy.models import District, FundingProject, Municipality, Organization, Profile, Region
from academy.validators import normalize_phone


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, help_text=_("The account's e-mail address, or give `phone`."))
    phone = serializers.CharField(
        required=False, max_length=24, help_text=_("The account's mobile number (+996…), instead of `email`.")
    )
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})

    def validate(self, data):
        if not data.get("email") and not data.get("phone"):
            raise serializers.ValidationError({"email": [_("Give an e-mail address or a mobile phone number.")]})
        return data


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as `Authorization: Token <token>`. It stops working after the configured days unused "
        "(ACADEMY_API_TOKEN_IDLE_DAYS), on DELETE of this endpoint, and when the password changes."
    )


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = [
            "full_name",
            "full_name_latin",
            "gender",
            "year_of_birth",
            "position",
            "organization",
            "organization_kind",
            "municipality",
            "phone",
            "preferred_language",
            "has_disability",
            "notify_by_telegram",
            "notify_by_email",
            "notify_by_sms",
            "telegram_linked",
            "consent_given_at",
            "consent_version",
        ]
        read_only_fields = ["consent_given_at", "consent_version"]

    telegram_linked = serializers.SerializerMethodField(
        help_text=_("Whether the person's Telegram chat is linked (messages then come by Telegram when they chose it).")
    )

    def get_telegram_linked(self, profile) -> bool:
        return bool(profile.telegram_chat_id)

    def to_internal_value(self, data):
        if hasattr(data, "get") and data.get("phone"):
            data = {**data, "phone": normalize_phone(data["phone"])}
        return super().to_internal_value(data)


class SignupSerializer(ProfileSerializer):
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text=_("Optional when `phone` is a mobile number: it signs in then.")
    )
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    consent = serializers.BooleanField(
        write_only=True, help_text=_("Agreement to the processing of personal data; must be true.")
    )
    organization_name = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=255)

    class Meta(ProfileSerializer.Meta):
        fields = ["email", "password", "consent", "organization_name", *ProfileSerializer.Meta.fields]
        # Uniqueness and validity are checked by the sign-up service, with translated messages.
        validators = []
        extra_kwargs = {"phone": {"validators": []}, "year_of_birth": {"validators": []}}


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True)
    profile = ProfileSerializer()


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "kind", "name", "name_ky", "name_ru", "name_en"]


class DistrictSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = District
        fields = ["id", "code", "kind", "region", "name", "name_ky", "name_ru", "name_en"]


class MunicipalitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "code", "kind", "district", "name", "name_ky", "name_ru", "name_en"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "municipality"]


class FundingProjectSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = FundingProject
        fields = ["id", "code", "donor", "name", "name_ky", "name_ru", "name_en", "starts_on", "ends_on"]
