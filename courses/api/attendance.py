"""API of attendance, QR check-in, assignments and completion. Thin: every rule is in courses.services."""

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import ERRORS, MAX_ID, fits_an_id
from academy.api.parsers import JSONParser
from academy.base_url import absolute_url
from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from courses.models import (
    AssignmentSubmission,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Registration,
    Session,
)
from courses.permissions import can_manage_session
from courses.services import attendance as attendance_service
from courses.services import checkin as checkin_service
from courses.services import completion as completion_service
from courses.services.uploads import ASSIGNMENT_KINDS, CONTENT_TYPES

MAX_MARKS = 5000
TAG = "attendance"


# Serializers --------------------------------------------------------------------------------------


class AttendanceMarkSerializer(serializers.Serializer):
    registration = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    day = serializers.DateField(
        required=False, help_text=gettext_lazy("YYYY-MM-DD; optional when agenda_item is given.")
    )
    agenda_item = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("For courses that take attendance per block."),
    )
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceMarksSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=[AttendanceMethod.ROLL_CALL, AttendanceMethod.PAPER], default=AttendanceMethod.ROLL_CALL
    )
    records = AttendanceMarkSerializer(many=True)


class AttendanceRecordSerializer(serializers.ModelSerializer):
    participant = serializers.CharField(source="registration.user.display_name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "registration", "participant", "day", "agenda_item", "status", "method", "recorded_at"]
        read_only_fields = fields


class AttendanceSavedSerializer(serializers.Serializer):
    saved = serializers.IntegerField()
    records = AttendanceRecordSerializer(many=True)


class CheckInRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=500)


class CheckInResponseSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    day = serializers.DateField()
    agenda_item = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    already_checked_in = serializers.BooleanField()
    detail = serializers.CharField()


class CheckInCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.URLField()
    day = serializers.DateField()
    agenda_item = serializers.IntegerField(allow_null=True)
    refresh_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class SubmissionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentSubmission
        fields = [
            "id",
            "registration",
            "original_name",
            "content_type",
            "size",
            "status",
            "submitted_at",
            "reviewed_at",
            "feedback",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, submission) -> str:
        path = reverse("api-assignment-file", args=[submission.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "return"])
    feedback = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class OverrideRequestSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class OverrideSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    reason = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.display_name")
    decided_at = serializers.DateTimeField()


class CompletionSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration_id")
    completed = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)
    attendance_percent = serializers.IntegerField(allow_null=True)
    attended = serializers.IntegerField()
    total = serializers.IntegerField()
    min_attendance_percent = serializers.IntegerField(source="min_percent")
    assignment_required = serializers.BooleanField()
    assignment_accepted = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    override = OverrideSerializer(allow_null=True)


class FinaliseSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    participants = serializers.IntegerField()
    session_completed = serializers.BooleanField()


# What an assignment file can be served as: the type found by the upload check, or a neutral one.
ASSIGNMENT_MEDIA_TYPES = [*dict.fromkeys(CONTENT_TYPES[kind] for kind in ASSIGNMENT_KINDS), "application/octet-stream"]


# Helpers ----------------------------------------------------------------------------------------


def _session(session_id):
    session = Session.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        raise NotFoundError(_("No such session."))
    return session


def _managed_session(request, session_id):
    session = _session(session_id)
    if not can_manage_session(request.user, session):
        raise PermissionDeniedError(_("Only the trainers of this session and academy admins can do this."))
    return session


def _registration(registration_id):
    registration = Registration.objects.select_related("session__course", "user").filter(pk=registration_id).first()
    if registration is None:
        raise NotFoundError(_("No such registration."))
    return registration


def _owner_or_manager(request, registration):
    if registration.user_id != request.user.pk and not can_manage_session(request.user, registration.session):
        raise PermissionDeniedError(_("You can only see your own registrations."))


def _submission(submission_id):
    submission = (
        AssignmentSubmission.objects.select_related("registration__session__course", "registration__user")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise NotFoundError(_("No such submission."))
    return submission


# Attendance -------------------------------------------------------------------------------------


class SessionAttendanceView(GenericAPIView):
    """Attendance of a session: the trainers of the session and academy admins only."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AttendanceRecordSerializer
    queryset = Attendance.objects.none()  # for the schema only: get() builds its own rows
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="List the attendance marks of a session",
        parameters=[
            OpenApiParameter("day", OpenApiTypes.DATE, description="Only this day."),
            OpenApiParameter("agenda_item", OpenApiTypes.INT, description="Only this agenda block."),
            OpenApiParameter("registration", OpenApiTypes.INT, description="Only this registration."),
        ],
        responses={200: AttendanceRecordSerializer(many=True), **ERRORS},
    )
    def get(self, request, session_id):
        session = _managed_session(request, session_id)
        rows = (
            Attendance.objects.for_session(session)
            .select_related("registration__user__profile")
            .order_by("day", "agenda_item_id", "registration_id", "pk")
        )
        if request.query_params.get("day"):
            rows = rows.filter(day=attendance_service.parse_day(request.query_params["day"]))
        for name in ("agenda_item", "registration"):
            value = request.query_params.get(name)
            if value:
                if not fits_an_id(value):
                    raise DomainError(_("Enter a whole number."), field=name)
                rows = rows.filter(**{f"{name}_id": int(value)})
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AttendanceRecordSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Record attendance marks",
        description=(
            "Send a list of marks `[{registration, day, agenda_item?, status}]` (or an object "
            '`{"method": "roll_call"|"paper", "records": [...]}`; a bare list may give `?method=paper`). '
            "All marks are checked first: one bad mark changes nothing. Completion is re-evaluated."
        ),
        parameters=[OpenApiParameter("method", str, enum=["roll_call", "paper"], description="Default roll_call.")],
        request=AttendanceMarkSerializer(many=True),
        responses={200: AttendanceSavedSerializer, **ERRORS},
    )
    def post(self, request, session_id):
        session = _managed_session(request, session_id)
        data = request.data
        if isinstance(data, list):
            data = {"records": data, "method": request.query_params.get("method", AttendanceMethod.ROLL_CALL)}
        if not isinstance(data, dict) or not isinstance(data.get("records"), list):
            raise ValidationError({"records": [_("Send a list of attendance marks.")]})
        if not data["records"]:
            raise ValidationError({"records": [_("Send at least one attendance mark.")]})
        if len(data["records"]) > MAX_MARKS:
            raise ValidationError({"records": [_("Send at most %(count)s marks at once.") % {"count": MAX_MARKS}]})
        method = serializers.ChoiceField(choices=[AttendanceMethod.ROLL_CALL, AttendanceMethod.PAPER])
        try:
            method = method.run_validation(data.get("method") or AttendanceMethod.ROLL_CALL)
        except ValidationError as error:
            raise ValidationError({"method": error.detail})
        entries, errors = [], {}
        for index, item in enumerate(data["records"]):
            serializer = AttendanceMarkSerializer(data=item if isinstance(item, dict) else {})
            if not serializer.is_valid():
                for field, messages in serializer.errors.items():
                    errors[f"records[{index}].{field}"] = messages
            else:
                entries.append(serializer.validated_data)
        if errors:
            raise ValidationError(errors)
        rows = attendance_service.mark_attendance(session, entries, by=request.user, method=method)
        rows = Attendance.objects.filter(pk__in=[row.pk for row in rows]).select_related("registration__user__profile")
        return Response({"saved": len(rows), "records": AttendanceRecordSerializer(rows, many=True).data})


class CheckInCodeView(APIView):
    """A fresh check-in code for the trainer's own screen or app (the web page shows it as a QR code)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Issue a rotating check-in code",
        parameters=[
            OpenApiParameter("day", OpenApiTypes.DATE),
            OpenApiParameter("agenda_item", OpenApiTypes.INT),
        ],
        responses={200: CheckInCodeSerializer, **ERRORS},
    )
    def get(self, request, session_id):
        session = _managed_session(request, session_id)
        slots = attendance_service.session_slots(session)
        day, item = request.query_params.get("day"), request.query_params.get("agenda_item")
        if day or item:
            slot = attendance_service.resolve_slot(session, day or None, item or None, slots=slots)
        else:
            slot = attendance_service.default_slot(session, slots)
        issued = checkin_service.issue_code(session, slot, by=request.user)
        return Response(
            {
                "code": issued.code,
                "url": absolute_url(reverse("attendance_check_in", args=[issued.code]), request),
                "day": slot.day,
                "agenda_item": slot.agenda_item_id,
                "refresh_at": issued.refresh_at,
                "expires_at": issued.expires_at,
            }
        )


class CheckInView(APIView):
    """Check in with the code read from the trainer's QR code."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Check in with a QR code",
        request=CheckInRequestSerializer,
        responses={200: CheckInResponseSerializer, **ERRORS},
    )
    def post(self, request):
        serializer = CheckInRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = checkin_service.check_in(request.user, serializer.validated_data["code"])
        return Response(
            {
                "session": result.session.pk,
                "day": result.slot.day,
                "agenda_item": result.slot.agenda_item_id,
                "status": result.attendance.status,
                "already_checked_in": result.already_checked_in,
                "detail": _("You are already checked in.")
                if result.already_checked_in
                else _("You are checked in. Thank you!"),
            }
        )


# Assignments ------------------------------------------------------------------------------------


class RegistrationAssignmentView(APIView):
    """The assignment files of one registration: the participant hands in, trainers and admins read."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        summary="List the assignment files of a registration",
        responses={200: SubmissionSerializer(many=True), **ERRORS},
    )
    def get(self, request, registration_id):
        registration = _registration(registration_id)
        _owner_or_manager(request, registration)
        submissions = registration.submissions.all()
        return Response(SubmissionSerializer(submissions, many=True, context={"request": request}).data)

    @extend_schema(
        tags=[TAG],
        summary="Hand in the assignment (multipart, field `file`)",
        description="PDF, DOCX, XLSX, ODT, JPG or PNG, checked by content; at most ACADEMY_MAX_UPLOAD_BYTES.",
        request={"multipart/form-data": UploadSerializer},
        responses={201: SubmissionSerializer, **ERRORS},
    )
    def post(self, request, registration_id):
        registration = _registration(registration_id)
        uploaded = request.FILES.get("file")
        submission = completion_service.submit_assignment(registration, uploaded, by=request.user)
        return Response(
            SubmissionSerializer(submission, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ReviewView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Accept an assignment or return it with feedback",
        request=ReviewSerializer,
        responses={200: SubmissionSerializer, **ERRORS},
    )
    def post(self, request, submission_id):
        submission = _submission(submission_id)
        if not can_manage_session(request.user, submission.registration.session):
            raise PermissionDeniedError(
                _("Only the trainers of this session and academy admins can review its assignments.")
            )
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = completion_service.review_assignment(submission, **serializer.validated_data, by=request.user)
        return Response(SubmissionSerializer(submission, context={"request": request}).data)


class SubmissionFileView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Download an assignment file (owner, the session's trainers, admins)",
        responses={**{(200, media_type): OpenApiTypes.BINARY for media_type in ASSIGNMENT_MEDIA_TYPES}, **ERRORS},
    )
    def get(self, request, submission_id):
        submission = _submission(submission_id)
        if not completion_service.can_view_submission(request.user, submission):
            raise PermissionDeniedError(_("You cannot open this file."))
        try:
            handle = submission.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise NotFoundError(_("The file is missing."))
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=submission.original_name,
            content_type=submission.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# Completion -------------------------------------------------------------------------------------


def _completion_data(result):
    return CompletionSerializer(result).data


class CompletionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=[TAG], summary="Completion of a registration", responses={200: CompletionSerializer, **ERRORS})
    def get(self, request, registration_id):
        registration = _registration(registration_id)
        _owner_or_manager(request, registration)
        result = completion_service.evaluate_completion(registration, save=False)
        return Response(_completion_data(result))

    @extend_schema(
        tags=[TAG],
        summary="Override the completion result (a reason is required; audited)",
        request=OverrideRequestSerializer,
        responses={200: CompletionSerializer, **ERRORS},
    )
    def post(self, request, registration_id):
        registration = _registration(registration_id)
        if not can_manage_session(request.user, registration.session):
            raise PermissionDeniedError(
                _("Only the trainers of this session and academy admins can change a completion result.")
            )
        serializer = OverrideRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = completion_service.override_completion(registration, **serializer.validated_data, by=request.user)
        return Response(_completion_data(result))


class FinaliseView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Finalise a session: evaluate everyone, mark the session completed once it has ended",
        request=None,
        responses={200: FinaliseSerializer, **ERRORS},
    )
    def post(self, request, session_id):
        session = _managed_session(request, session_id)
        result = completion_service.finalise_session(session, by=request.user)
        return Response(
            {
                "completed": result.completed,
                "participants": result.participants,
                "session_completed": result.session_completed,
            }
        )
