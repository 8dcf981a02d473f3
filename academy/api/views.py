from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.models import District, FundingProject, Municipality, Region
from academy.services import accounts, api_tokens, signin_limits

from .errors import error_responses
from .serializers import (
    AccountSerializer,
    DistrictSerializer,
    FundingProjectSerializer,
    MunicipalitySerializer,
    ProfileSerializer,
    RegionSerializer,
    SignupSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from .throttles import LimitReached


class TokenView(APIView):
    """Exchange an e-mail and password for an API token (POST); revoke the caller's token (DELETE)."""

    def get_authenticators(self):
        # Anyone may ask for a token; revoking one needs the caller to be signed in (token or session).
        method = getattr(self.request, "method", "DELETE")  # the schema generator asks before it has a request
        return super().get_authenticators() if method == "DELETE" else []

    def get_permissions(self):
        return [permissions.IsAuthenticated() if self.request.method == "DELETE" else permissions.AllowAny()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, **error_responses(400, 403, 429)},
        description="Sign in with `{email, password}` or, for phone accounts, `{phone, password}`. "
        "A wrong e-mail address, number or password answers 403. Wrong passwords are limited per account "
        "(10 in 15 minutes pause that account's password sign-in: 429 with Retry-After) and, against spraying "
        "many accounts, per address. An existing token is returned again unless it expired.",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        name, password = data.get("email") or data["phone"], data["password"]
        try:
            signin_limits.check_signin(request, name)
        except signin_limits.LimitReached as error:
            raise LimitReached(error) from error
        user = authenticate(request, username=name, password=password)
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("The e-mail or mobile number, or the password, is not correct."))
        return Response({"token": api_tokens.issue(user).key})

    @extend_schema(
        request=None,
        responses={204: None, **error_responses(403)},
        description="Revoke the caller's API token: it stops working at once. A password change or reset "
        "revokes every token of the person as well.",
    )
    def delete(self, request):
        api_tokens.revoke_all(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignupView(APIView):
    """Create a participant account. Consent to personal-data processing is required."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(
        request=SignupSerializer,
        responses={201: AccountSerializer, **error_responses(400, 429)},
        description="Limited per address (10 in 10 seconds, 100 an hour) and per e-mail address (5 an hour).",
    )
    def post(self, request):
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            signin_limits.count_signup(request, data.get("email") or data.get("phone") or "")
        except signin_limits.LimitReached as error:
            raise LimitReached(error) from error
        organization_name = data.pop("organization_name", "")
        if organization_name and not data.get("organization"):
            data["organization"] = accounts.organization_for(
                organization_name, data.get("organization_kind") or "other", data.get("municipality")
            )
        user = accounts.sign_up_participant(
            email=data.pop("email", None), password=data.pop("password"), consent=data.pop("consent"), profile=data
        )
        return Response(
            AccountSerializer({"id": user.pk, "email": user.email, "profile": user.profile}).data,
            status=status.HTTP_201_CREATED,
        )


class MeView(APIView):
    """The signed-in person's account and profile."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: AccountSerializer, **error_responses(403)})
    def get(self, request):
        profile = (
            accounts.update_profile(request.user) if not hasattr(request.user, "profile") else request.user.profile
        )
        return Response(
            AccountSerializer({"id": request.user.pk, "email": request.user.email, "profile": profile}).data
        )

    @extend_schema(request=ProfileSerializer, responses={200: AccountSerializer, **error_responses(400, 403)})
    def patch(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = accounts.update_profile(request.user, **serializer.validated_data)
        return Response(
            AccountSerializer({"id": request.user.pk, "email": request.user.email, "profile": profile}).data
        )


def _reference_schema(serializer, *, list_errors=(400, 404)):
    """Documented responses of a read-only reference list: filters answer 400, a page past the end 404."""
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **error_responses(*list_errors)}),
        retrieve=extend_schema(responses={200: serializer, **error_responses(404)}),
    )


@_reference_schema(RegionSerializer, list_errors=())
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None
    permission_classes = [permissions.AllowAny]


@_reference_schema(DistrictSerializer)
class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_fields = ["region"]
    permission_classes = [permissions.AllowAny]


@_reference_schema(MunicipalitySerializer)
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    filterset_fields = ["district", "district__region"]
    permission_classes = [permissions.AllowAny]


@_reference_schema(FundingProjectSerializer, list_errors=(404,))
class FundingProjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FundingProject.objects.all()
    serializer_class = FundingProjectSerializer
    permission_classes = [permissions.AllowAny]
