"""What the knowledge-test API reads and answers (courses/api/assessments.py). Questions and choices carry no
`is_correct`: nothing here says which answer is right, to a participant or anybody else."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from academy.api.errors import MAX_ID
from academy.base_url import absolute_url
from courses.views.assessments import participant_url

MAX_ANSWERS = 500  # questions in one submission: far more than a test has
MAX_CHOICES = 50  # choices named in one answer


def test_state(test, now=None):
    if test.opened_at is None:
        return "not_opened"
    return "open" if test.is_open(now or timezone.now()) else "closed"


class KnowledgeTestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    session = serializers.IntegerField(source="session_id")
    session_title = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text=_("pre (before the training) or post (after it)."))
    kind_display = serializers.CharField(source="get_kind_display")
    state = serializers.SerializerMethodField(help_text=_("not_opened, open (answers accepted) or closed."))
    time_limit_minutes = serializers.IntegerField()
    opened_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text=_("Answers are accepted until then."))
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_session_title(self, test) -> str:
        return test.session.title or test.session.course.localized.title

    def get_state(self, test) -> str:
        return test_state(test, self.context.get("now"))


class OwnTestSerializer(KnowledgeTestSerializer):
    """One of the participant's open tests (a services.assessments.participant.OwnTest)."""

    submitted = serializers.BooleanField(help_text=_("Whether you have already submitted this test."))

    def to_representation(self, own):
        own.test.submitted = own.submitted
        return super().to_representation(own.test)


class ManagedTestSerializer(KnowledgeTestSerializer):
    """One of a session's tests, as its trainers see it (annotated with attempt_count and question_count)."""

    attempts = serializers.IntegerField(source="attempt_count", help_text=_("Attempts so far (phone and paper)."))
    questions = serializers.IntegerField(source="question_count", help_text=_("Number of questions."))
    participant_url = serializers.SerializerMethodField(help_text=_("The participant page the QR code holds."))

    def get_participant_url(self, test) -> str:
        return participant_url(test)


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField(
        help_text=_("single, multiple (choose all that apply) or true_false (a single choice of two).")
    )
    text = serializers.CharField(help_text=_("In the request's language; Kyrgyz when it has no translation."))
    image_url = serializers.SerializerMethodField()
    choices = ChoiceSerializer(many=True, source="choices.all")

    def get_image_url(self, question) -> str | None:
        if question.image is None:
            return None
        url = question.image.file.url
        return absolute_url(url, self.context.get("request")) if url.startswith("/") else url


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    test = serializers.IntegerField(source="test_id")
    registration = serializers.IntegerField(source="registration_id")
    method = serializers.CharField(
        help_text=_("phone (submitted by the participant) or paper (typed in by a trainer).")
    )
    score = serializers.IntegerField(help_text=_("Questions answered fully right."))
    max_score = serializers.IntegerField()
    percent = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()


class KnowledgeTestDetailSerializer(KnowledgeTestSerializer):
    """A test with the questions shown (`shown_questions`) and the reader's own attempt (`own_attempt`)."""

    questions = QuestionSerializer(
        many=True, source="shown_questions", help_text=_("Empty while the test is not open (to a participant).")
    )
    attempt = AttemptSerializer(source="own_attempt", allow_null=True, help_text=_("Your own attempt, once submitted."))
    attempt_url = serializers.SerializerMethodField()

    def get_attempt_url(self, test) -> str:
        return absolute_url(reverse("api-knowledge-test-attempt", args=[test.pk]), self.context.get("request"))


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_CHOICES,
        help_text=_("The chosen choices' ids: one, or several for a multiple-choice question; empty: unanswered."),
    )


class SubmitSerializer(serializers.Serializer):
    answers = serializers.ListField(child=AnswerSerializer(), max_length=MAX_ANSWERS, allow_empty=True)

    def validate_answers(self, answers):
        questions = [answer["question"] for answer in answers]
        if len(set(questions)) != len(questions):
            raise serializers.ValidationError(_("Answer each question once."))
        return answers

    def as_dict(self):
        """{question id: [choice ids]}, as courses.services.assessments reads answers."""
        return {answer["question"]: answer["choices"] for answer in self.validated_data["answers"]}


class PaperSerializer(SubmitSerializer):
    registration = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("The confirmed participant whose paper copy this is.")
    )


class OpenSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(
        required=False,
        default=15,
        help_text=_("Time limit in minutes, from 1 to 180; 15 when left out."),
    )


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    percent = serializers.IntegerField()
    method = serializers.CharField(
        help_text=_("phone (submitted by the participant) or paper (typed in by a trainer).")
    )


class PersonResultSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    participant = serializers.CharField(source="registration.user.display_name")
    pre = ScoreSerializer(allow_null=True)
    post = ScoreSerializer(allow_null=True)
    gain = serializers.IntegerField(allow_null=True, help_text=_("Percentage points from pre to post."))


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    right_pre = serializers.IntegerField()
    right_post = serializers.IntegerField()


class SessionResultsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    taken_pre = serializers.IntegerField()
    taken_post = serializers.IntegerField()
    average_gain = serializers.FloatField(allow_null=True, help_text=_("Among those who took both tests."))
    improved_share = serializers.IntegerField(allow_null=True, help_text=_("Percent who scored higher after."))
    people = PersonResultSerializer(many=True)
    questions = QuestionResultSerializer(many=True)
