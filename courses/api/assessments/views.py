"""API of the knowledge tests before and after a session (issue 19.1). Thin: every rule is in
courses.services.assessments, the same functions the web pages call.

A participant lists their open tests, reads one (questions in the request's language, no correct answers),
submits once and reads their own score. A session's trainers and academy admins open and close its pre-test and
post-test (built from the course's bank the first time), type in a paper copy and read the session's results.
The token is the first authenticator: an anonymous caller gets 401 with a WWW-Authenticate challenge.
"""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.authentication import ExpiringTokenAuthentication
from academy.api.errors import ErrorSerializer, error_responses, fits_an_id
from academy.errors import DomainError, NotFoundError
from courses.models import Attempt, KnowledgeTest, KnowledgeTestKind, Session
from courses.permissions import can_manage_session
from courses.services import assessments as service
from courses.services.assessments.attempts import AlreadySubmittedError
from courses.services.assessments.lifecycle import check_manager

from .serializers import (
    AttemptSerializer,
    KnowledgeTestDetailSerializer,
    ManagedTestSerializer,
    OpenSerializer,
    OwnTestSerializer,
    PaperSerializer,
    SessionResultsSerializer,
    SubmitSerializer,
)

TAG = "knowledge tests"
AUTHENTICATION = [ExpiringTokenAuthentication, SessionAuthentication]
CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "Already submitted (code `already_submitted`): the first answers count, nothing changed."
        ),
    )
}
READ_ERRORS = error_responses(403, 404)
WRITE_ERRORS = {**error_responses(400, 403, 404), **CONFLICT}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TestsAPIView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]


def _test(test_id):
    test = KnowledgeTest.objects.select_related("session__course").filter(pk=test_id).first()
    if test is None:
        raise NotFoundError(_("No such test."))
    return test


def _managed_session(request, session_id):
    session = Session.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        raise NotFoundError(_("No such session."))
    check_manager(request.user, session)
    return session


def _kind_test(request, session_id, kind):
    """The session's test of this kind (the session's trainers and admins only); 404 before it is built."""
    session = _managed_session(request, session_id)
    test = (
        KnowledgeTest.objects.filter(session=session, kind=kind).first() if kind in KnowledgeTestKind.values else None
    )
    if test is None:
        raise NotFoundError(_("This session has no such test yet."))
    test.session = session
    return test


def _managed(test):
    """The test with the counts its trainers see."""
    annotated = KnowledgeTest.objects.annotate(
        attempt_count=Count("attempts", distinct=True), question_count=Count("test_questions", distinct=True)
    ).get(pk=test.pk)
    annotated.session = test.session
    return ManagedTestSerializer(annotated).data


def _saved(save):
    """Run a service call that records an attempt: a second attempt is a conflict (409), not bad input."""
    try:
        return save()
    except AlreadySubmittedError as error:
        raise Conflict(detail=str(error.message), code=error.code) from None


# Participant ----------------------------------------------------------------------------------------


class MyTestsView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="My open knowledge tests",
        description="The tests open now in the sessions where you are a confirmed participant, each with whether "
        "you have already submitted it. Open one to read its questions.",
        parameters=[OpenApiParameter("session", OpenApiTypes.INT, description="Only this session's tests.")],
        responses={200: OwnTestSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        session_id = request.query_params.get("session")
        if session_id is not None and not fits_an_id(session_id):
            raise DomainError(_("Enter a whole number."), field="session")
        now = timezone.now()
        tests = service.participant_tests(request.user, session_id=session_id and int(session_id), now=now)
        return Response(OwnTestSerializer(tests, many=True, context={"now": now}).data)


class TestDetailView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="A knowledge test with its questions",
        description="For the session's confirmed participants (the questions only while the test is open) and its "
        "trainers and academy admins. Questions and choices are in the request's language (Accept-Language); "
        "nothing says which choice is right. `attempt` is your own attempt once submitted.",
        responses={200: KnowledgeTestDetailSerializer, **READ_ERRORS},
    )
    def get(self, request, test_id):
        test = _test(test_id)
        now = timezone.now()
        if can_manage_session(request.user, test.session):
            questions, attempt = service.load_questions(test), None
        else:
            registration = service.participant_registration(request.user, test.session)
            attempt = Attempt.objects.filter(test=test, registration=registration).first()
            questions = service.load_questions(test) if attempt is None and test.is_open(now) else []
        test.shown_questions, test.own_attempt = questions, attempt
        return Response(KnowledgeTestDetailSerializer(test, context={"request": request, "now": now}).data)


class AttemptView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="My attempt at a knowledge test (my own score)",
        description="404 `not_taken` before you submit; nobody reads another person's attempt here.",
        responses={200: AttemptSerializer, **error_responses(404)},
    )
    def get(self, request, test_id):
        attempt = service.own_attempt(request.user, _test(test_id))
        if attempt is None:
            raise NotFoundError(_("You have not taken this test."), code="not_taken")
        return Response(AttemptSerializer(attempt).data)

    @extend_schema(
        tags=[TAG],
        summary="Submit my answers (once)",
        description="`answers`: one entry per question answered, `{question, choices: [choice ids]}`; a question "
        "left out scores nothing. One attempt per person: the first answers count. Refused with 400 and nothing "
        "saved: `not_opened`, `closed` (closed or past the time limit), `question_not_in_test`, "
        "`choice_not_in_question`, `one_answer_only`; 409 `already_submitted`; 403 unless you are a confirmed "
        "participant of the session.",
        request=SubmitSerializer,
        responses={201: AttemptSerializer, **WRITE_ERRORS},
    )
    def post(self, request, test_id):
        test = _test(test_id)
        service.participant_registration(request.user, test.session)  # 403 before the input is read
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attempt = _saved(lambda: service.submit(request.user, test, serializer.as_dict()))
        return Response(AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


# Trainer --------------------------------------------------------------------------------------------


class SessionTestsView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="A session's pre-test and post-test (trainers and admins)",
        responses={200: ManagedTestSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, session_id):
        session = _managed_session(request, session_id)
        tests = (
            KnowledgeTest.objects.filter(session=session)
            .annotate(
                attempt_count=Count("attempts", distinct=True), question_count=Count("test_questions", distinct=True)
            )
            .order_by("-kind")
        )
        for test in tests:
            test.session = session
        return Response(ManagedTestSerializer(tests, many=True).data)


class OpenTestView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Open the pre-test or post-test (built from the course's questions the first time)",
        description="Opens (or opens again) the test for `minutes` from now. Refused with 400: `bad_time_limit`, "
        "`no_questions` (the course has none yet); nothing changed.",
        request=OpenSerializer,
        responses={200: ManagedTestSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, session_id, kind):
        session = _managed_session(request, session_id)
        if kind not in KnowledgeTestKind.values:
            raise NotFoundError(_("Unknown kind of test."))
        serializer = OpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        test = service.open_kind(request.user, session, kind, serializer.validated_data["minutes"])
        test.session = session
        return Response(_managed(test))


class CloseTestView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Close the pre-test or post-test now",
        description="Refused with 400 `not_opened` when it was never opened. Closing twice keeps the first time.",
        request=None,
        responses={200: ManagedTestSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, session_id, kind):
        test = service.close_test(request.user, _kind_test(request, session_id, kind))
        return Response(_managed(test))


class PaperView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Enter a participant's paper answers (trainers and admins)",
        description="For a confirmed participant without a phone, whether the test is open or closed; recorded "
        "with method `paper`. Refused with 400 `bad_person`, `question_not_in_test`, `choice_not_in_question`, "
        "`one_answer_only`; 409 when that person already has an attempt.",
        request=PaperSerializer,
        responses={201: AttemptSerializer, **WRITE_ERRORS},
    )
    def post(self, request, test_id):
        test = _test(test_id)
        check_manager(request.user, test.session)
        serializer = PaperSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = serializer.validated_data["registration"]
        attempt = _saved(lambda: service.enter_paper(request.user, test, registration, serializer.as_dict()))
        return Response(AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


class SessionResultsView(TestsAPIView):
    @extend_schema(
        tags=[TAG],
        summary="A session's test results (trainers and admins)",
        description="Per person the pre-test and post-test scores and the gain in percentage points; the average "
        "gain and the share who improved (among those who took both); per question how many answered right "
        "before and after.",
        responses={200: SessionResultsSerializer, **READ_ERRORS},
    )
    def get(self, request, session_id):
        session = _managed_session(request, session_id)
        results = service.session_results(request.user, session)
        data = {
            "session": session.pk,
            "taken_pre": results.taken_pre,
            "taken_post": results.taken_post,
            "average_gain": results.average_gain,
            "improved_share": results.improved_share,
            "people": results.people,
            "questions": results.questions,
        }
        return Response(SessionResultsSerializer(data).data)
