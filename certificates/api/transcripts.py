"""GET /api/v1/me/transcript/: the signed-in person's qualification record as JSON (what the transcript says)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.authentication import ExpiringTokenAuthentication
from certificates.models import CycleStatus, RoleGroup
from certificates.services import hours_ledger, transcripts


class HolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    name_latin = serializers.CharField(allow_blank=True)


class CycleSerializer(serializers.Serializer):
    role_group = serializers.ChoiceField(choices=RoleGroup.choices, help_text="The rule's role group.")
    role_group_display = serializers.CharField()
    min_hours = serializers.IntegerField(help_text="Academic hours the rule asks for in each cycle.")
    cycle_years = serializers.IntegerField(help_text="The length of the cycle in years.")
    cycle_start = serializers.DateField(help_text="The earliest date whose hours still count today.")
    hours_in_cycle = serializers.IntegerField()
    hours_missing = serializers.IntegerField(help_text="Hours short of the rule today (0 when it is met).")
    due_by = serializers.DateField(
        allow_null=True, help_text="Train by this date to stay up to date; null when the rule is not met today."
    )
    status = serializers.ChoiceField(choices=CycleStatus.choices)
    status_display = serializers.CharField()
    as_of = serializers.DateField()


class TrainingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(hours_ledger.ACADEMY, "academy"), (hours_ledger.EXTERNAL, "external")],
        help_text="academy: a completed registration; external: a training entered by the academy.",
    )
    title = serializers.CharField(help_text="In the language of the request.")
    titles = serializers.DictField(child=serializers.CharField(), help_text="The title in each language.")
    provider = serializers.CharField(allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    credited_on = serializers.DateField(help_text="The date the hours count from (completion, or the end date).")
    hours = serializers.IntegerField()
    certificate_number = serializers.CharField(allow_blank=True)


class TranscriptSerializer(serializers.Serializer):
    holder = HolderSerializer()
    as_of = serializers.DateField()
    total_hours = serializers.IntegerField()
    cycle = CycleSerializer()
    trainings = TrainingSerializer(many=True)


# The token first: an anonymous caller gets 401 with a WWW-Authenticate challenge, not 403.
AUTHENTICATION = [ExpiringTokenAuthentication, SessionAuthentication]


class MyTranscriptView(APIView):
    """The signed-in person's qualification record: every training with its hours, the total and the cycle status."""

    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: TranscriptSerializer}, operation_id="me_transcript")
    def get(self, request):
        return Response(transcripts.record_dict(hours_ledger.record(request.user)))


class MyTranscriptPdfView(APIView):
    """The signed-in person's transcript as PDF (ky+ru), with the QR code of its public verification page."""

    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, operation_id="me_transcript_pdf")
    def get(self, request):
        transcript = transcripts.issue_transcript(request.user)
        response = HttpResponse(transcripts.transcript_pdf(transcript), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{transcripts.pdf_filename(transcript)}"'
        return response
