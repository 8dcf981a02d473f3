"""GET /api/v1/reports/outcomes/?funding_project=<id>&from=&to=: the donor outcome report (issue 19.5).

Academy admins only, as the costs it includes (reports/api/costs.py): trainers get 403 — the report is a
donor's view of a whole project, with budgets. The token authenticates first, so an anonymous caller gets 401
with a WWW-Authenticate challenge. A missing or unknown funding project, a bad date or a period ending before
it starts: 400 with translated messages per parameter.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.authentication import ExpiringTokenAuthentication
from academy.api.errors import error_responses
from reports.outcomes.forms import OutcomeForm
from reports.services import outcomes
from reports.services.base import can_see_personal_data

from .costs import money_field


def _share(help_text):
    return serializers.FloatField(allow_null=True, help_text=help_text)


def _score():
    return serializers.FloatField(allow_null=True, help_text=gettext_lazy("Average, 1 to 5; null without answers."))


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    donor = serializers.CharField()


class ReachSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text=gettext_lazy("Each person once, however many sessions."))
    registrations = serializers.IntegerField()
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    women_share = _share(gettext_lazy("Percent of the people whose gender is given."))
    municipalities = serializers.IntegerField()
    districts = serializers.IntegerField()
    regions = serializers.IntegerField()
    sessions = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    participants_held = serializers.IntegerField(help_text=gettext_lazy("Participants of the sessions held."))
    participant_hours = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer):
    answers = serializers.IntegerField()
    response_rate = _share(gettext_lazy("Percent of the participants of sessions held."))
    content = _score()
    trainer = _score()
    organisation = _score()
    average = _score()


class LearningSerializer(serializers.Serializer):
    took_pre = serializers.IntegerField()
    took_post = serializers.IntegerField()
    took_both = serializers.IntegerField()
    average_pre = _share(gettext_lazy("Average pre-test score in percent of the questions, of those who took both."))
    average_post = _share(gettext_lazy("Average post-test score in percent of the questions, of those who took both."))
    gain_percentage_points = serializers.FloatField(allow_null=True)
    gain_points = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Questions answered right."))
    improved = serializers.IntegerField()
    improved_share = _share(gettext_lazy("Percent of those who took both tests who scored higher after."))


class ActionPlanSerializer(serializers.Serializer):
    items = serializers.IntegerField()
    not_reported = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    done = serializers.IntegerField()
    dropped = serializers.IntegerField()
    done_share = _share(gettext_lazy("Percent of all items."))


class CostSerializer(serializers.Serializer):
    total = money_field(gettext_lazy("KGS; null when no session has costs entered (not zero)."))
    sessions_with_costs = serializers.IntegerField()
    sessions_without_costs = serializers.IntegerField()
    participants = serializers.IntegerField(help_text=gettext_lazy("Of the held sessions with costs entered."))
    participant_hours = serializers.IntegerField()
    per_participant = money_field()
    per_participant_hour = money_field()


class SessionCostSerializer(serializers.Serializer):
    total = money_field(gettext_lazy("KGS; null when no costs are entered for the session (not zero)."))
    per_participant = money_field()
    per_participant_hour = money_field()


class SessionOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    course = serializers.CharField()
    starts_on = serializers.DateField()
    held = serializers.BooleanField()
    participants = serializers.IntegerField()
    participant_hours = serializers.IntegerField()
    satisfaction = SatisfactionSerializer()
    learning = LearningSerializer()
    action_plan = ActionPlanSerializer()
    cost = SessionCostSerializer()


class OutcomeReportSerializer(serializers.Serializer):
    funding_project = ProjectSerializer()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    currency = serializers.ChoiceField(choices=[("KGS", "KGS")])
    reach = ReachSerializer()
    satisfaction = SatisfactionSerializer()
    learning = LearningSerializer()
    action_plan = ActionPlanSerializer()
    cost = CostSerializer()
    sessions = SessionOutcomeSerializer(many=True)


PARAMETERS = [
    OpenApiParameter("funding_project", OpenApiTypes.INT, required=True, description="Funding project id."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Sessions starting on or after this day."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Sessions starting on or before this day."),
]


class OutcomeReportView(APIView):
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=PARAMETERS,
        responses={200: OutcomeReportSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request):
        """Reach, satisfaction, learning, action plans and cost of one funding project's sessions starting in
        the period, with one row per session. Academy admins only."""
        if not can_see_personal_data(request.user):
            raise PermissionDenied(_("Only academy admins can see the outcome report."))
        form = OutcomeForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.error_messages())
        return Response(OutcomeReportSerializer(outcomes.figures(form.report_filters())).data)
