from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import ERRORS, error_responses
from reports.filters import ReportFilterSet
from reports.models import Feedback
from reports.services import feedback, summary, surveys
from reports.services.base import can_view_reports, for_user

from .serializers import FeedbackInputSerializer, FeedbackSerializer, SummarySerializer, SurveySerializer

FILTER_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Sessions starting on or after this day."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Sessions starting on or before this day."),
    OpenApiParameter("region", OpenApiTypes.INT, description="Oblast or city the participants come from (id)."),
    OpenApiParameter("district", OpenApiTypes.INT, description="District the participants come from (id)."),
    OpenApiParameter("course", OpenApiTypes.UUID, description="Course translation key (any language version)."),
    OpenApiParameter("funding_project", OpenApiTypes.INT, description="Funding project id."),
    OpenApiParameter("trainer", OpenApiTypes.INT, description="Trainer (user id)."),
]


class SummaryView(APIView):
    """Headline figures for donors. Admins see everything; trainers only their own sessions."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: SummarySerializer, **error_responses(400, 403)})
    def get(self, request):
        if not can_view_reports(request.user):
            raise PermissionDenied(_("Only academy admins and trainers can see reports."))
        filterset = ReportFilterSet(request.query_params, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.error_messages())
        filters = for_user(filterset.report_filters(), request.user)
        return Response(SummarySerializer(summary.headline(filters)).data)


class RegistrationFeedbackView(APIView):
    """The feedback of one of your registrations: read it, send it, change it within 7 days."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: FeedbackSerializer, **error_responses(403, 404)})
    def get(self, request, pk):
        registration = feedback.registration_for_feedback(request.user, pk)
        answer = feedback.feedback_with_answers(registration)
        if answer is None:
            return Response(
                {"detail": _("No feedback yet."), "code": "not_found", "errors": {}}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(FeedbackSerializer(answer).data)

    @extend_schema(
        request=FeedbackInputSerializer, responses={200: FeedbackSerializer, 201: FeedbackSerializer, **ERRORS}
    )
    def post(self, request, pk):
        serializer = FeedbackInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer, created = feedback.submit_feedback(request.user, pk, **serializer.validated_data)
        answer = feedback.feedback_with_answers(answer.registration)
        return Response(
            FeedbackSerializer(answer).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class RegistrationSurveyView(APIView):
    """The survey one of your registrations answers (or answered): its questions, in your language."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SurveySerializer, **error_responses(400, 403, 404)})
    def get(self, request, pk):
        registration = feedback.registration_for_feedback(request.user, pk)
        survey = surveys.survey_of(registration, Feedback.objects.filter(registration=registration).first())
        return Response(SurveySerializer(survey).data)
