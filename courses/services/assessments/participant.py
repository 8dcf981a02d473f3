"""What a participant sees of the tests: the open tests of the sessions they are confirmed in, each with whether
they have submitted, and their own attempts. Two queries whatever the number of sessions."""

from dataclasses import dataclass

from django.utils import timezone

from courses.models import Attempt, KnowledgeTest, RegistrationStatus


@dataclass
class OwnTest:
    test: KnowledgeTest
    attempt: Attempt | None = None

    @property
    def submitted(self):
        return self.attempt is not None


def participant_tests(user, *, session_id=None, now=None):
    """The tests open now in the sessions where `user` is a confirmed participant (of one session if given)."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    tests = (
        KnowledgeTest.objects.filter(
            session__registrations__user=user,
            session__registrations__status=RegistrationStatus.CONFIRMED,
            opened_at__isnull=False,
            closed_at__isnull=True,
            opened_at__lte=now,
        )
        .select_related("session__course")
        .order_by("session__starts_at", "session_id", "-kind")
        .distinct()
    )
    if session_id is not None:
        tests = tests.filter(session_id=session_id)
    tests = [test for test in tests if test.is_open(now)]
    attempts = {
        attempt.test_id: attempt
        for attempt in Attempt.objects.filter(test__in=[test.pk for test in tests], registration__user=user)
    }
    return [OwnTest(test, attempts.get(test.pk)) for test in tests]
