"""GET /api/v1/reports/qualification/: who is due for training, where (see reports/services/qualification)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import error_responses
from academy.errors import PermissionDeniedError
from certificates.models.qualification import CycleStatus, RoleGroup
from courses.api.catalogue import PlaceSerializer  # one `Place` component in the schema, not two of one name
from reports.qualification_forms import QualificationFilterForm
from reports.services import qualification


class ChosenPlaceSerializer(serializers.Serializer):
    oblast = PlaceSerializer(allow_null=True)
    district = PlaceSerializer(allow_null=True)
    municipality = PlaceSerializer(allow_null=True)


class QualificationTotalsSerializer(serializers.Serializer):
    municipalities = serializers.IntegerField()
    people = serializers.IntegerField(help_text=_("People on record (profiles) in these municipalities."))
    trained = serializers.IntegerField(help_text=_("People with hours in their current cycle."))
    hours = serializers.IntegerField(help_text=_("Academic hours in the current cycles, summed."))
    up_to_date = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    overdue = serializers.IntegerField()
    no_one_trained = serializers.IntegerField(help_text=_("Municipalities where no one trained in three years."))


class MunicipalityFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    municipality = serializers.CharField()
    district_id = serializers.IntegerField()
    district = serializers.CharField()
    people = serializers.IntegerField()
    trained = serializers.IntegerField()
    hours = serializers.IntegerField()
    up_to_date = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    overdue = serializers.IntegerField()
    trained_in_three_years = serializers.IntegerField()
    no_one_trained = serializers.BooleanField(help_text=_("No one trained in the last three years."))


class DuePersonSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.CharField()
    municipality_id = serializers.IntegerField()
    municipality = serializers.CharField()
    district = serializers.CharField()
    role_group = serializers.ChoiceField(choices=RoleGroup.choices)
    hours_in_cycle = serializers.IntegerField()
    min_hours = serializers.IntegerField()
    hours_missing = serializers.IntegerField()
    due_by = serializers.DateField(allow_null=True, help_text=_("Null when overdue (the hours are already short)."))
    days_left = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=CycleStatus.choices)


class DuePeopleSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = DuePersonSerializer(many=True)


class QualificationReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    place = ChosenPlaceSerializer()
    totals = QualificationTotalsSerializer()
    municipalities = MunicipalityFiguresSerializer(many=True)
    people = DuePeopleSerializer()


def place_dict(instance):
    if instance is None:
        return None
    return {"id": instance.pk, "code": instance.code, "name": instance.name}


def report_payload(result, page, page_size):
    place = result.place
    return {
        "as_of": result.today,
        "place": {
            "oblast": place_dict(place.region),
            "district": place_dict(place.district),
            "municipality": place_dict(place.municipality),
        },
        "totals": result.totals,
        "municipalities": result.municipalities,
        "people": {"count": result.people_count, "page": page, "page_size": page_size, "results": result.people},
    }


PARAMETERS = [
    OpenApiParameter("oblast", OpenApiTypes.INT, description="Oblast or city of republican significance (id)."),
    OpenApiParameter("district", OpenApiTypes.INT, description="District (id); must lie in the oblast if both given."),
    OpenApiParameter("municipality", OpenApiTypes.INT, description="Municipality (id); must lie in the district."),
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=["overdue", "due_soon"], description="List only these people (default both)."
    ),
    OpenApiParameter("page", OpenApiTypes.INT, description=f"Page of people, {qualification.PAGE_SIZE} a page."),
]


class QualificationReportView(APIView):
    """Per municipality: people on record, trained in their cycle, hours, due soon, overdue, and whether no one
    trained in three years; and a page of the people due soon or overdue. Academy admins see everything, a
    municipality officer their municipality only; everyone else gets 403."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=PARAMETERS, responses={200: QualificationReportSerializer, **error_responses(400, 403)})
    def get(self, request):
        try:
            scope = qualification.scope_for(request.user)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        form = QualificationFilterForm(request.query_params, scope=scope)
        if not form.is_valid():
            raise ValidationError(form.error_messages())
        page, size = form.page_number(), qualification.PAGE_SIZE
        result = qualification.build(
            form.place(), scope, statuses=form.statuses(), limit=size, offset=(page - 1) * size
        )
        return Response(QualificationReportSerializer(report_payload(result, page, size)).data)
