"""GET /api/v1/municipality/staff/: a municipality officer's staff with their qualification standing."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import error_responses
from certificates.services import staff_records
from courses.api.municipality import IsOfficer
from courses.services import nominations


class QualificationStateSerializer(serializers.Serializer):
    role_group = serializers.CharField()
    min_hours = serializers.IntegerField()
    cycle_years = serializers.IntegerField()
    cycle_start = serializers.DateField()
    hours_in_cycle = serializers.IntegerField()
    hours_missing = serializers.IntegerField()
    due_by = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["up_to_date", "due_soon", "overdue"])
    as_of = serializers.DateField()


class StaffMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("The person's id, to nominate them."))
    full_name = serializers.CharField()
    position = serializers.CharField()
    organization = serializers.CharField()
    trainings = serializers.IntegerField()
    last_trained_on = serializers.DateField(allow_null=True)
    upcoming_registrations = serializers.IntegerField()
    qualification = QualificationStateSerializer()


class StaffListSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    summary = serializers.DictField(child=serializers.IntegerField())
    staff = StaffMemberSerializer(many=True)


class MunicipalityStaffView(APIView):
    """The people of your municipality with their qualification record (municipality officers only)."""

    permission_classes = [permissions.IsAuthenticated, IsOfficer]

    @extend_schema(
        responses={200: StaffListSerializer, **error_responses(403)},
        description=(
            "Everybody whose profile names your municipality, by name: hours in the current qualification "
            "cycle, the due date and status, trainings on record, upcoming registrations. 403 for anybody "
            "who is not a municipality's head or HR officer."
        ),
    )
    def get(self, request):
        officer = nominations.require_officer(request.user)
        records = staff_records.staff_records(officer)
        return Response(
            {
                "municipality": str(officer.municipality),
                "summary": staff_records.summary(records),
                "staff": [record.as_dict() for record in records],
            }
        )
