"""GET /api/v1/reports/costs/: costs by budget line per funding project, course and session (issue 19.4).

Academy admins only: budgets are not for trainers. Filters are the reports' shared ones.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import error_responses
from courses.models import CostKind
from reports.filters import ReportFilterSet
from reports.services import costs
from reports.services.base import can_see_personal_data, for_user

from .views import FILTER_PARAMETERS


def money_field(help_text=None):
    """A KGS amount: two decimals, a string in JSON, null when nothing is entered."""
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=True, help_text=help_text
    )


class CostsByKindSerializer(serializers.Serializer):
    venue = money_field()
    trainer_fees = money_field()
    travel = money_field()
    per_diem = money_field()
    materials = money_field()
    other = money_field()


class CostGroupSerializer(serializers.Serializer):
    by_kind = CostsByKindSerializer()
    total = money_field(gettext_lazy("KGS; null when no session of the group has costs entered (not zero)."))
    sessions = serializers.IntegerField()
    sessions_with_costs = serializers.IntegerField()
    sessions_without_costs = serializers.IntegerField()
    participants = serializers.IntegerField(help_text=gettext_lazy("Of the held sessions with costs entered."))
    participant_hours = serializers.IntegerField()
    cost_per_participant = money_field()
    cost_per_participant_hour = money_field()


class FundingProjectCostsSerializer(CostGroupSerializer):
    funding_project_id = serializers.IntegerField(allow_null=True)
    funding_project = serializers.CharField()


class CourseCostsSerializer(CostGroupSerializer):
    course = serializers.CharField()


class SessionCostsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    course = serializers.CharField()
    course_key = serializers.UUIDField()
    funding_project_id = serializers.IntegerField(allow_null=True)
    funding_project = serializers.CharField()
    starts_on = serializers.DateField()
    held = serializers.BooleanField()
    costs_entered = serializers.SerializerMethodField()
    by_kind = CostsByKindSerializer()
    total = money_field(gettext_lazy("KGS; null when no costs are entered for the session (not zero)."))
    participants = serializers.IntegerField()
    participant_hours = serializers.IntegerField()
    cost_per_participant = money_field()
    cost_per_participant_hour = money_field()

    def get_costs_entered(self, row) -> bool:
        return row["total"] is not None


class CostsReportSerializer(serializers.Serializer):
    currency = serializers.ChoiceField(choices=[("KGS", "KGS")])
    totals = CostGroupSerializer()
    funding_projects = FundingProjectCostsSerializer(many=True)
    courses = CourseCostsSerializer(many=True)
    sessions = SessionCostsSerializer(many=True)


assert set(CostsByKindSerializer().fields) == set(CostKind.values)  # a new budget line needs its field here


class CostsReportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={200: CostsReportSerializer, **error_responses(400, 403)},
    )
    def get(self, request):
        """Costs in KGS per funding project, course and session, with cost per participant and per
        participant-hour. Academy admins only."""
        if not can_see_personal_data(request.user):
            raise PermissionDenied(_("Only academy admins can see costs."))
        filterset = ReportFilterSet(request.query_params, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.error_messages())
        filters = for_user(filterset.report_filters(), request.user)
        return Response(CostsReportSerializer(costs.figures(filters)).data)
