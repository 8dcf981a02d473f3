"""REST API of the registration area. Every operation calls a service; errors use the common body."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.authentication import ExpiringTokenAuthentication
from academy.api.errors import ERRORS, MAX_ID, error_responses
from academy.errors import NotFoundError
from courses.models import Registration, RegistrationSource, RegistrationStatus, Session
from courses.models.registrations import ACTIVE_STATUSES
from courses.pagination import CountedRows
from courses.services import my_registrations, waitlist_offers
from courses.services import registration as service
from courses.services import roster as roster_service

# --- serializers ------------------------------------------------------------------------------


class RegistrationSessionSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    course_title = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "title", "course_title", "starts_at", "ends_at", "status", "format", "language"]

    def get_title(self, session) -> str:
        return session.title or self.get_course_title(session)

    def get_course_title(self, session) -> str:
        return getattr(session, "localized_course", session.course).title


class RegistrationSerializer(serializers.ModelSerializer):
    session = RegistrationSessionSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "status",
            "status_display",
            "waitlist_position",
            "source",
            "created_at",
            "status_changed_at",
            "decision_note",
            "completed_at",
            "offer_expires_at",
            "can_cancel",
        ]
        read_only_fields = fields

    def get_waitlist_position(self, registration) -> int | None:
        return getattr(registration, "waitlist_position", None)

    def get_can_cancel(self, registration) -> bool:
        return registration.is_active and registration.session.starts_at > timezone.now()


class RosterEntrySerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    gender = serializers.SerializerMethodField()
    year_of_birth = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    organization_kind = serializers.SerializerMethodField()
    municipality = serializers.SerializerMethodField()
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "user_id",
            "email",
            "full_name",
            "phone",
            "gender",
            "year_of_birth",
            "position",
            "organization",
            "organization_kind",
            "municipality",
            "status",
            "waitlist_position",
            "source",
            "created_at",
            "status_changed_at",
            "decision_note",
        ]
        read_only_fields = fields

    def _profile(self, registration):
        return getattr(registration.user, "profile", None)

    def get_full_name(self, registration) -> str:
        return registration.user.display_name

    def get_phone(self, registration) -> str:
        profile = self._profile(registration)
        return profile.phone if profile else ""

    def get_gender(self, registration) -> str:
        profile = self._profile(registration)
        return profile.gender if profile else ""

    def get_year_of_birth(self, registration) -> int | None:
        profile = self._profile(registration)
        return profile.year_of_birth if profile else None

    def get_position(self, registration) -> str:
        profile = self._profile(registration)
        return profile.position if profile else ""

    def get_organization(self, registration) -> str:
        profile = self._profile(registration)
        return profile.organization.name if profile and profile.organization else ""

    def get_organization_kind(self, registration) -> str:
        profile = self._profile(registration)
        return profile.organization_kind if profile else ""

    def get_municipality(self, registration) -> int | None:
        profile = self._profile(registration)
        return profile.municipality_id if profile else None


class CancelRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=gettext_lazy("Required when a trainer cancels; shown to the participant."),
    )


class DecisionRequestSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text=gettext_lazy("Shown to the participant.")
    )


class BulkDecisionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "cancel"])
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=500
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=gettext_lazy("The decision note or cancellation reason shown to the participants."),
    )


class RegistrationSkippedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    detail = serializers.CharField()


class BulkDecisionResponseSerializer(serializers.Serializer):
    changed = RegistrationSerializer(many=True)
    skipped = RegistrationSkippedSerializer(many=True)


# --- helpers -----------------------------------------------------------------------------------


def _session(session_id):
    session = Session.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        raise NotFoundError(_("This session does not exist or is not published yet."), code="not_found")
    return session


def _registration(registration_id):
    registration = Registration.objects.select_related("session").filter(pk=registration_id).first()
    if registration is None:
        raise NotFoundError(_("This registration does not exist."), code="not_found")
    return registration


_datetime = serializers.DateTimeField()  # its ISO format and time zone, for `registration_data`


def _moment(value):
    return _datetime.to_representation(value) if value is not None else None


def _choice(value):
    return str(value) if value not in ("", None) else value


def registration_data(registration, course_title):
    """What `RegistrationSerializer` gives for a registration, built directly (a test holds them equal).

    The registration API's hot paths (registering, "my registrations") answer with this: the serializer's
    field machinery cost more than the rest of the request. `course_title` is the course's title in the
    active language (`service.localized_course_titles`); `registration.session` must be loaded."""
    session = registration.session
    return {
        "id": registration.pk,
        "session": {
            "id": session.pk,
            "title": session.title or course_title,
            "course_title": course_title,
            "starts_at": _moment(session.starts_at),
            "ends_at": _moment(session.ends_at),
            "status": _choice(session.status),
            "format": _choice(session.format),
            "language": _choice(session.language),
        },
        "status": _choice(registration.status),
        "status_display": str(registration.get_status_display()),
        "waitlist_position": getattr(registration, "waitlist_position", None),
        "source": _choice(registration.source),
        "created_at": _moment(registration.created_at),
        "status_changed_at": _moment(registration.status_changed_at),
        "decision_note": registration.decision_note,
        "completed_at": _moment(registration.completed_at),
        "offer_expires_at": _moment(registration.offer_expires_at),
        "can_cancel": registration.is_active and session.starts_at > timezone.now(),
    }


_STATUS_LABELS = dict(RegistrationStatus.choices)


def row_data(row, now=None):
    """`registration_data` of a row of `courses.services.my_registrations` (a dict: no model instances)."""
    now = now or timezone.now()
    title = row["course_title"]
    starts_at = row["session__starts_at"]
    return {
        "id": row["id"],
        "session": {
            "id": row["session__id"],
            "title": row["session__title"] or title,
            "course_title": title,
            "starts_at": _moment(starts_at),
            "ends_at": _moment(row["session__ends_at"]),
            "status": _choice(row["session__status"]),
            "format": _choice(row["session__format"]),
            "language": _choice(row["session__language"]),
        },
        "status": row["status"],
        "status_display": str(_STATUS_LABELS.get(row["status"], row["status"])),
        "waitlist_position": row["waitlist_position"],
        "source": _choice(row["source"]),
        "created_at": _moment(row["created_at"]),
        "status_changed_at": _moment(row["status_changed_at"]),
        "decision_note": row["decision_note"],
        "completed_at": _moment(row["completed_at"]),
        "offer_expires_at": _moment(row["offer_expires_at"]),
        "can_cancel": row["status"] in ACTIVE_STATUSES and starts_at > now,
    }


def registrations_data(registrations):
    """`registration_data` of several registrations (sessions loaded), the course titles read in one query."""
    registrations = list(registrations)
    titles = service.localized_course_titles(row.session.course_id for row in registrations)
    return [registration_data(row, titles.get(row.session.course_id, "")) for row in registrations]


def _serialize(registrations, *, many=False):
    """Re-read with the course and the waitlist position, then serialize."""
    ids = [registration.pk for registration in (registrations if many else [registrations])]
    rows = {
        row.pk: row
        for row in Registration.objects.filter(pk__in=ids).select_related("session__course").with_waitlist_position()
    }
    ordered = [rows[pk] for pk in ids if pk in rows]
    service.attach_localized_courses(row.session for row in ordered)
    return RegistrationSerializer(ordered, many=True).data if many else RegistrationSerializer(ordered[0]).data


# --- views -------------------------------------------------------------------------------------


class SessionRegisterView(APIView):
    """Register the signed-in person for a session (never anybody else)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={201: RegistrationSerializer, **ERRORS},
        description=(
            "Registers the signed-in participant. The status is `confirmed` while places are free, "
            "`waitlisted` when the session is full, `pending` when the session needs approval. Errors (400): "
            "registration closed or not yet open, session started, past or cancelled, not eligible, "
            "profile incomplete, already registered."
        ),
    )
    def post(self, request, session_id):
        # The service locks the session by id (an unknown or draft one answers 404 there) and returns the
        # registration with its session and waitlist position: nothing is read twice.
        registration = service.register(session_id, request.user, source=RegistrationSource.API)
        title = getattr(registration.session, "localized_course_title", None)  # read with the lock
        data = registration_data(registration, title) if title is not None else registrations_data([registration])[0]
        return Response(data, status=status.HTTP_201_CREATED)


class RegistrationCancelView(APIView):
    """Cancel a registration: your own before the start; admins any time; trainers of the session with a reason."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CancelRequestSerializer, responses={200: RegistrationSerializer, **ERRORS})
    def post(self, request, registration_id):
        serializer = CancelRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = service.cancel(
            _registration(registration_id), actor=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(_serialize(registration))


# The token first: an anonymous caller gets 401 with a WWW-Authenticate challenge, not 403.
OFFER_AUTHENTICATION = [ExpiringTokenAuthentication, SessionAuthentication]


def _own_registration(request, registration_id):
    """The signed-in person's registration; somebody else's answers 404 like one that does not exist."""
    registration = Registration.objects.filter(pk=registration_id, user_id=request.user.pk).first()
    if registration is None:
        raise NotFoundError(_("This registration does not exist."), code="not_found")
    return registration


class RegistrationAcceptOfferView(APIView):
    """Accept the place offered from the waitlist (your own registration only)."""

    authentication_classes = OFFER_AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: RegistrationSerializer, **ERRORS},
        description=(
            "When a place frees up in a session that asks for an answer (`waitlist_offer_hours` > 0), the first "
            "person waiting gets the status `offered` until `offer_expires_at`. Accepting makes it `confirmed` "
            "(the confirmation with a calendar invitation is sent). Accepting twice answers the same registration. "
            "Errors (400): `offer_expired`, `already_answered` (declined before), `no_offer`. "
            "Another person's registration answers 404."
        ),
    )
    def post(self, request, registration_id):
        registration = waitlist_offers.accept_offer(_own_registration(request, registration_id), actor=request.user)
        return Response(_serialize(registration))


class RegistrationDeclineOfferView(APIView):
    """Decline the place offered from the waitlist (your own registration only): it passes to the next person."""

    authentication_classes = OFFER_AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: RegistrationSerializer, **ERRORS},
        description=(
            "The offered registration becomes `cancelled` and the place is offered to the next person waiting. "
            "Declining twice answers the same registration. Errors (400): `offer_expired`, `already_answered` "
            "(accepted before), `no_offer`. Another person's registration answers 404."
        ),
    )
    def post(self, request, registration_id):
        registration = waitlist_offers.decline_offer(_own_registration(request, registration_id), actor=request.user)
        return Response(_serialize(registration))


class RegistrationApproveView(APIView):
    """Approve a pending registration (trainers of the session, admins). Full session: the person is waitlisted."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecisionRequestSerializer, responses={200: RegistrationSerializer, **ERRORS})
    def post(self, request, registration_id):
        serializer = DecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = service.approve_one(
            _registration(registration_id), actor=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(_serialize(registration))


class RegistrationRejectView(APIView):
    """Reject a pending registration (trainers of the session, admins)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecisionRequestSerializer, responses={200: RegistrationSerializer, **ERRORS})
    def post(self, request, registration_id):
        serializer = DecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = service.reject_one(
            _registration(registration_id), actor=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(_serialize(registration))


class SessionBulkDecisionView(APIView):
    """Approve, reject or cancel several registrations of one session (trainers of the session, admins)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=BulkDecisionRequestSerializer, responses={200: BulkDecisionResponseSerializer, **ERRORS})
    def post(self, request, session_id):
        session = _session(session_id)
        serializer = BulkDecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note = data.get("note", "")
        if data["action"] == "approve":
            decision = service.approve(session, data["ids"], actor=request.user, note=note)
        elif data["action"] == "reject":
            decision = service.reject(session, data["ids"], actor=request.user, note=note)
        else:
            decision = service.cancel_many(session, data["ids"], actor=request.user, reason=note)
        return Response(
            {
                "changed": _serialize(decision.changed, many=True),
                "skipped": [{"id": pk, "detail": str(message)} for pk, message in decision.skipped],
            }
        )


class MyRegistrationsView(generics.ListAPIView):
    """The signed-in person's registrations, newest session first."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RegistrationSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[choice for choice, _label in RegistrationStatus.choices]),
        ],
        responses={200: RegistrationSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _status(self):
        wanted = self.request.query_params.get("status")
        return wanted if wanted in RegistrationStatus.values else None

    def get_queryset(self):
        # Rows (dicts) with the session, the waitlist position and the course title in the active language.
        return my_registrations.api_queryset(self.request.user.pk, self._status())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        now = timezone.now()
        return self.get_paginated_response([row_data(row, now) for row in page])

    def paginate_queryset(self, queryset):
        # The first page (what people open) carries its total, in one query compiled once: no COUNT query.
        size = self.paginator.get_page_size(self.request)
        if size and self.request.query_params.get(self.paginator.page_query_param, "1") == "1":
            queryset = CountedRows(*my_registrations.api_first_page(self.request.user.pk, size, self._status()))
        return super().paginate_queryset(queryset)


class SessionRosterView(generics.ListAPIView):
    """The participants of a session with their profile figures (trainers of the session, admins)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RosterEntrySerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[choice for choice, _label in RegistrationStatus.choices]),
        ],
        responses={200: RosterEntrySerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        session = _session(self.kwargs["session_id"])
        roster_service.check_can_see_roster(self.request.user, session)
        wanted = self.request.query_params.get("status")
        return roster_service.roster(session, wanted if wanted in RegistrationStatus.values else None)
