"""Action plans API: a session's joint action plan items (list, add) and reports on an item.

For the session's trainers and academy admins; the item's responsible person (signed in) may also report their
own items. Not signed in: 401 (the token is asked first); signed in but neither a trainer of the session nor the
responsible person of the item: 403; no such session or item: 404. Bad input: 400 with a translated message,
nothing changed.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.authentication import ExpiringTokenAuthentication
from academy.api.errors import error_responses
from academy.api.parsers import JSONParser  # the depth-limited one: a deeply nested body is a translated 400
from academy.errors import NotFoundError, PermissionDeniedError
from courses.models import REPORTED_STATUSES, ActionPlanItem, ActionPlanReport, Session
from courses.permissions import can_manage_session
from courses.services import action_plans as service

TAG = "action plans"
ERRORS = error_responses(400, 401, 403, 404)


# Plain strings in the schema (their values in the help text): enums named "status" and "source" exist already.
STATUS_HELP = "not_reported, in_progress, done or dropped."


class ActionPlanReportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlanReport
        fields = ["id", "round", "status", "comment", "has_file", "original_name", "reported_at"]
        read_only_fields = fields

    def get_has_file(self, report) -> bool:
        return bool(report.file)


class ActionPlanItemSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=f"The latest reported status: {STATUS_HELP}")
    source = serializers.CharField(read_only=True, help_text="trainer or participant_plan.")
    municipality_name = serializers.SerializerMethodField()
    no_one_to_ask = serializers.SerializerMethodField(help_text="The responsible person has no account to ask.")

    class Meta:
        model = ActionPlanItem
        fields = [
            "id",
            "session",
            "what",
            "municipality",
            "municipality_name",
            "responsible_name",
            "responsible_user",
            "no_one_to_ask",
            "due_date",
            "source",
            "submission",
            "status",
            "status_changed_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_municipality_name(self, item) -> str:
        return str(item.municipality) if item.municipality_id else ""

    def get_no_one_to_ask(self, item) -> bool:
        return not item.has_someone_to_ask


class ItemInputSerializer(serializers.Serializer):
    # Checked by the service (translated messages): plain strings here.
    what = serializers.CharField(required=False, allow_blank=True)
    municipality = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="Municipality id."
    )
    responsible_name = serializers.CharField(required=False, allow_blank=True)
    responsible_user = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="User id of a participant or trainer."
    )
    due_date = serializers.CharField(required=False, allow_blank=True, help_text="YYYY-MM-DD.")
    submission = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Id of the participant's handed-in plan the item is taken from.",
    )


class ReportInputSerializer(serializers.Serializer):
    status = serializers.CharField(required=False, allow_blank=True, help_text=", ".join(REPORTED_STATUSES))
    round = serializers.CharField(
        required=False, allow_blank=True, help_text="The follow-up round, in months after the session; must be due."
    )
    comment = serializers.CharField(required=False, allow_blank=True)
    file = serializers.FileField(required=False, help_text="A photo (JPG, PNG) or a document (PDF, DOCX, ODT, XLSX).")


class _ActionPlanView(APIView):
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    def managed_session(self, session_id):
        session = Session.objects.select_related("course").filter(pk=session_id).first()
        if session is None:
            raise NotFoundError(_("No such session."))
        if not can_manage_session(self.request.user, session):
            raise PermissionDeniedError(_("Only the trainers of this session and academy admins can do this."))
        return session


class SessionActionPlanView(_ActionPlanView):
    """The joint action plan of a session."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="List the action plan items of a session",
        responses={200: ActionPlanItemSerializer(many=True), **ERRORS},
    )
    def get(self, request, session_id):
        session = self.managed_session(session_id)
        return Response(ActionPlanItemSerializer(service.session_items(session), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Add an item to a session's action plan",
        request=ItemInputSerializer,
        responses={201: ActionPlanItemSerializer, **ERRORS},
    )
    def post(self, request, session_id):
        session = self.managed_session(session_id)
        serializer = ItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = service.add_item(request.user, session, serializer.validated_data)
        return Response(ActionPlanItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ActionPlanItemReportView(_ActionPlanView):
    """Report an item of the plan: the responsible person their own item, or a trainer/admin any item of the session
    (e.g. for a responsible person without an account)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Report an action plan item as done, in progress or dropped",
        request={"multipart/form-data": ReportInputSerializer, "application/json": ReportInputSerializer},
        responses={201: ActionPlanReportSerializer, **ERRORS},
    )
    def post(self, request, session_id, item_id):
        session = Session.objects.select_related("course").filter(pk=session_id).first()
        if session is None:
            raise NotFoundError(_("No such session."))
        item = ActionPlanItem.objects.filter(pk=item_id, session=session).first()
        # The responsible person reports their own items; anyone else must manage the session.
        if item is None or item.responsible_user_id != request.user.pk:
            self.managed_session(session_id)
        if item is None:
            raise NotFoundError(_("No such action plan item."))
        item.session = session
        serializer = ReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = service.report_item(
            request.user,
            item,
            status=data.get("status"),
            round=data.get("round"),
            comment=data.get("comment", ""),
            file=data.get("file"),
        )
        return Response(ActionPlanReportSerializer(report).data, status=status.HTTP_201_CREATED)
