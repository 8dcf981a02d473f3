from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import Feedback, QuestionKind, Survey, SurveyAnswer, SurveyQuestion


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
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_(
            "Answers to the survey's other questions, keyed by question id: a rating 1 to 5, the index of the "
            "option chosen, a list of indexes (several choices) or a text."
        ),
    )


class SurveyQuestionSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field_name", help_text=_("The key of the answer."))
    text = serializers.CharField()
    options = serializers.SerializerMethodField(help_text=_("The options, answered by their index."))

    class Meta:
        model = SurveyQuestion
        fields = ["id", "field", "kind", "text", "required", "options"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_options(self, question):
        return question.options() if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []


class SurveySerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    questions = SurveyQuestionSerializer(many=True, source="active_questions")

    class Meta:
        model = Survey
        fields = ["id", "title", "questions"]


class SurveyAnswerSerializer(serializers.ModelSerializer):
    question_text = serializers.CharField(source="question.text", help_text=_("The question as it was answered."))
    kind = serializers.CharField(source="question.kind")
    options = serializers.SerializerMethodField(help_text=_("The labels of the options chosen."))

    class Meta:
        model = SurveyAnswer
        fields = ["question", "question_text", "kind", "number", "chosen", "text", "options"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_options(self, answer):
        labels = answer.question.options()
        indexes = answer.chosen or ([answer.number] if answer.question.kind == QuestionKind.SINGLE else [])
        return [labels[index] for index in indexes if index is not None and index < len(labels)]


class FeedbackSerializer(serializers.ModelSerializer):
    editable_until = serializers.DateTimeField(read_only=True)
    answers = SurveyAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "registration",
            "survey",
            "content_score",
            "trainer_score",
            "organisation_score",
            "most_useful",
            "comments",
            "answers",
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
