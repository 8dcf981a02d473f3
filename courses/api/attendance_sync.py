"""API of the offline roll call: the trainer's phone sends the marks it kept while offline. Thin: the
rules are in courses.services.attendance_sync."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import ERRORS
from academy.api.parsers import JSONParser
from courses.api.attendance import TAG, AttendanceMarkSerializer, _managed_session
from courses.models import AttendanceStatus
from courses.services import attendance_sync

OUTCOMES = [
    attendance_sync.APPLIED,
    attendance_sync.DUPLICATE,
    attendance_sync.CONFLICT,
    attendance_sync.REFUSED,
]


class SyncMarkSerializer(AttendanceMarkSerializer):
    """A roll-call mark (registration, day or block, status) made offline: with its id and when it was made."""

    client_id = serializers.UUIDField(
        help_text=gettext_lazy("The mark's id, made on the phone; sending it again is safe.")
    )
    recorded_at = serializers.DateTimeField(help_text=gettext_lazy("When the mark was made on the phone (ISO 8601)."))


class SyncRequestSerializer(serializers.Serializer):
    marks = SyncMarkSerializer(many=True, help_text=gettext_lazy("At most 500 marks."))


class SyncResultSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    status = serializers.ChoiceField(
        choices=AttendanceStatus.choices,
        allow_null=True,
        help_text=gettext_lazy("What the server holds for this person and slot after the batch."),
    )
    kept = serializers.ChoiceField(
        choices=[attendance_sync.KEPT_YOURS, attendance_sync.KEPT_SERVER],
        allow_null=True,
        help_text=gettext_lazy("For a conflict: whose mark stays (the newest by recorded_at)."),
    )
    detail = serializers.CharField(allow_blank=True, help_text=gettext_lazy("Translated; why a mark was refused."))
    field = serializers.CharField(allow_null=True)


class SyncResponseSerializer(serializers.Serializer):
    applied = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    conflict = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = SyncResultSerializer(many=True)


class AttendanceSyncView(APIView):
    """Marks taken offline on the trainer's phone: the trainers of the session and academy admins only."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Sync attendance marks taken offline",
        description=(
            "Send the marks kept on the phone while offline, each with its own `client_id` (a UUID made on the "
            "phone) and `recorded_at` (when it was made). Safe to repeat: a mark already received answers "
            "`duplicate` and changes nothing. Each mark answers `applied`, `duplicate`, `conflict` (the slot holds "
            "another person's mark; the newest `recorded_at` wins and both are kept in the audit) or `refused` "
            "(not a confirmed participant of this session, not a day or block of it, or a day that has not come "
            "yet; `detail` says why, translated). The other marks of a batch count even when one is refused. "
            "A `recorded_at` later than the arrival counts as the arrival. Completion is re-evaluated once per batch."
        ),
        request=SyncRequestSerializer,
        responses={200: SyncResponseSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Two marks",
                request_only=True,
                value={
                    "marks": [
                        {
                            "client_id": "0b6f7c1e-2f1d-4a53-9d0e-6c1d1b1f0a11",
                            "registration": 42,
                            "day": "2026-12-15",
                            "status": "present",
                            "recorded_at": "2026-12-15T09:04:31+06:00",
                        },
                        {
                            "client_id": "5a0e2d63-7c39-4b0a-8d57-2a9c9d7e4b22",
                            "registration": 43,
                            "agenda_item": 7,
                            "status": "late",
                            "recorded_at": "2026-12-15T09:21:02+06:00",
                        },
                    ]
                },
            )
        ],
    )
    def post(self, request, session_id):
        session = _managed_session(request, session_id)
        data = request.data
        if isinstance(data, list):
            data = {"marks": data}
        if not isinstance(data, dict) or not isinstance(data.get("marks"), list):
            raise ValidationError({"marks": [_("Send a list of attendance marks.")]})
        if not data["marks"]:
            raise ValidationError({"marks": [_("Send at least one attendance mark.")]})
        if len(data["marks"]) > attendance_sync.MAX_BATCH:
            raise ValidationError(
                {"marks": [_("Send at most %(count)s marks at once.") % {"count": attendance_sync.MAX_BATCH}]}
            )
        entries, errors = [], {}
        for index, item in enumerate(data["marks"]):
            serializer = SyncMarkSerializer(data=item if isinstance(item, dict) else {})
            if serializer.is_valid():
                entries.append(serializer.validated_data)
            else:
                for field, messages in serializer.errors.items():
                    errors[f"marks[{index}].{field}"] = messages
        if errors:
            raise ValidationError(errors)
        results = attendance_sync.sync_marks(session, entries, by=request.user)
        body = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in OUTCOMES}
        body["results"] = [
            {
                "client_id": r.client_id,
                "outcome": r.outcome,
                "status": r.status,
                "kept": r.kept,
                "detail": str(r.detail),
                "field": r.field,
            }
            for r in results
        ]
        return Response(SyncResponseSerializer(body).data)
