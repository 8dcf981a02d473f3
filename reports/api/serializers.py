from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.models import Feedback


class FeedbackInputSerializer(serializers.Serializer):
    content_score = serializers.IntegerField(
        min_value=1, max_value=5, help_text=_("How useful the content was, 1 to 5.")
    )
    trainer_score = serializers.IntegerField(min_value=1, max_value=5, help_text=_("How good the trainer was, 1 to 5."))
    organisation_score = serializers.IntegerField(
        min_value=1, max_value=5, help_text=_("How well the training was organised, 1 to 5.")
    )
    most_useful = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class FeedbackSerializer(serializers.ModelSerializer):
    editable_until = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "registration",
            "content_score",
            "trainer_score",
            "organisation_score",
            "most_useful",
            "comments",
            "submitted_at",
            "updated_at",
            "editable_until",
        ]
        read_only_fields = fields


class RegionFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    people = serializers.IntegerField()
    municipalities = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    """Headline figures; shares and rates are percents with one decimal, null when undefined."""

    people = serializers.IntegerField(help_text=_("People trained, each counted once."))
    registrations = serializers.IntegerField(help_text=_("Participant registrations."))
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    gender_not_given = serializers.IntegerField()
    women_share = serializers.FloatField(allow_null=True, help_text=_("Percent of people whose gender is given."))
    with_disability = serializers.IntegerField()
    youth = serializers.IntegerField(help_text=_("Under 35 in the year the session starts."))
    age_not_given = serializers.IntegerField()
    municipalities = serializers.IntegerField()
    districts = serializers.IntegerField()
    regions = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    sessions_ahead = serializers.IntegerField()
    academic_hours = serializers.IntegerField()
    participant_hours = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True)
    certificates = serializers.IntegerField(allow_null=True, help_text=_("Null when certificates are not available."))
    feedback_answers = serializers.IntegerField()
    feedback_response_rate = serializers.FloatField(allow_null=True)
    score_content = serializers.FloatField(allow_null=True)
    score_trainer = serializers.FloatField(allow_null=True)
    score_organisation = serializers.FloatField(allow_null=True)
    by_region = RegionFigureSerializer(many=True)
