"""REST API for municipality officers: nominate their people, decide their self-registrations.

The staff list with each person's qualification record is in the certificates API
(`GET /api/v1/municipality/staff/`), which knows the hours ledger; this module knows registrations only.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import ERRORS, MAX_ID, error_responses
from courses.api.registration import DecisionRequestSerializer, registrations_data
from courses.models import Registration
from courses.services import nominations


class NominationRequestSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=gettext_lazy("The session's id."))
    user = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("The id of a person of your municipality.")
    )


class RegistrationPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    position = serializers.CharField()


class MunicipalityRegistrationSerializer(serializers.Serializer):
    """A registration as officers see it: the registration fields and whose it is."""

    id = serializers.IntegerField()
    person = RegistrationPersonSerializer()
    session = serializers.DictField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True)
    waitlist_reason = serializers.CharField(help_text=gettext_lazy("Why the person waits although seats are free."))
    source = serializers.CharField()
    created_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField()
    decision_note = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    offer_expires_at = serializers.DateTimeField(allow_null=True)
    can_cancel = serializers.BooleanField()


def officer_rows(registrations):
    registrations = list(registrations)
    rows = registrations_data(registrations)
    for row, registration in zip(rows, registrations, strict=True):
        profile = registration.user.profile
        row["person"] = {"id": registration.user_id, "full_name": profile.full_name, "position": profile.position}
        row["waitlist_reason"] = getattr(registration, "quota_reason", "")
    return rows


class IsOfficer(permissions.BasePermission):
    message = gettext_lazy("Only a municipality's head or HR officer can do this.")

    def has_permission(self, request, view):
        from academy.roles import is_municipality_officer

        return is_municipality_officer(request.user)


class NominationCreateView(APIView):
    """Nominate a person of your municipality to a session (municipality officers)."""

    permission_classes = [permissions.IsAuthenticated, IsOfficer]

    @extend_schema(
        request=NominationRequestSerializer,
        responses={201: MunicipalityRegistrationSerializer, **error_responses(400, 403, 404)},
        description=(
            "Registers the person with the source `nomination`: `confirmed` while seats (and the quota of the "
            "person's municipality or oblast) allow, `waitlisted` otherwise (`waitlist_reason` says when a quota "
            "is full), `pending` when the academy approves the session's registrations. Errors: 400 registration "
            "closed or not open, session started, not eligible, profile incomplete, already registered; 403 not an "
            "officer; 404 unknown or draft session, or a person who is not of your municipality."
        ),
    )
    def post(self, request):
        serializer = NominationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registration = nominations.nominate(data["session"], data["user"], actor=request.user)
        reason = registration.quota_reason
        registration = Registration.objects.select_related("session", "user__profile").get(pk=registration.pk)
        registration.quota_reason = reason
        return Response(officer_rows([registration])[0], status=status.HTTP_201_CREATED)


class ApprovalListView(APIView):
    """Self-registrations of your municipality's people awaiting your approval (municipality officers)."""

    permission_classes = [permissions.IsAuthenticated, IsOfficer]

    @extend_schema(responses={200: MunicipalityRegistrationSerializer(many=True), **error_responses(403)})
    def get(self, request):
        officer = nominations.require_officer(request.user)
        rows = nominations.pending_approvals(officer)[:500]
        return Response(officer_rows(rows))


class ApprovalApproveView(APIView):
    """Approve a self-registration of your municipality: a seat, the waitlist, or on to the academy's approval."""

    permission_classes = [permissions.IsAuthenticated, IsOfficer]

    @extend_schema(request=DecisionRequestSerializer, responses={200: MunicipalityRegistrationSerializer, **ERRORS})
    def post(self, request, registration_id):
        serializer = DecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = nominations.approve(
            registration_id, actor=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(officer_rows([registration])[0])


class ApprovalRejectView(APIView):
    """Decline a self-registration of your municipality; the note is shown to the person."""

    permission_classes = [permissions.IsAuthenticated, IsOfficer]

    @extend_schema(request=DecisionRequestSerializer, responses={200: MunicipalityRegistrationSerializer, **ERRORS})
    def post(self, request, registration_id):
        serializer = DecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = nominations.reject(
            registration_id, actor=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(officer_rows([registration])[0])
