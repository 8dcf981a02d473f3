"""Results of a session's tests: per person (pre, post, gain), for the session (average gain, share improved),
and per question (how many answered right before and after). A fixed number of queries, whatever the size."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from courses.models import Answer, Attempt, KnowledgeTestKind, KnowledgeTestQuestion, Registration, RegistrationStatus

from .lifecycle import check_manager


@dataclass
class PersonRow:
    registration: Registration
    pre: Attempt | None = None
    post: Attempt | None = None

    @property
    def gain(self):
        """Percentage points from the pre-test to the post-test; None unless both were taken."""
        if self.pre is None or self.post is None:
            return None
        return self.post.percent - self.pre.percent


@dataclass
class QuestionRow:
    question: object
    right_pre: int = 0
    right_post: int = 0


@dataclass
class SessionResults:
    people: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    taken_pre: int = 0
    taken_post: int = 0

    @property
    def both(self):
        return [row for row in self.people if row.gain is not None]

    @property
    def average_gain(self):
        both = self.both
        return round(sum(row.gain for row in both) / len(both), 1) if both else None

    @property
    def improved_share(self):
        """Percent of the people who took both tests and scored higher after."""
        both = self.both
        return round(100 * sum(row.gain > 0 for row in both) / len(both)) if both else None


def session_results(actor, session):
    check_manager(actor, session)
    attempts = list(Attempt.objects.filter(test__session=session).select_related("test").order_by("submitted_at", "pk"))
    registrations = (
        Registration.objects.filter(session=session)
        .filter(Q(status=RegistrationStatus.CONFIRMED) | Q(test_attempts__test__session=session))
        .distinct()
        .select_related("user__profile")
        .order_by("user__profile__full_name", "pk")
    )
    rows = {registration.pk: PersonRow(registration) for registration in registrations}
    results = SessionResults(people=list(rows.values()))
    for attempt in attempts:
        row = rows.get(attempt.registration_id)
        if row is None:
            continue
        setattr(row, attempt.test.kind, attempt)
        if attempt.test.kind == KnowledgeTestKind.PRE:
            results.taken_pre += 1
        else:
            results.taken_post += 1

    right = (
        Answer.objects.filter(attempt__test__session=session, is_correct=True)
        .values("question_id", "attempt__test__kind")
        .annotate(count=Count("pk"))
    )
    counts = {(item["question_id"], item["attempt__test__kind"]): item["count"] for item in right}
    seen = {}
    links = (
        KnowledgeTestQuestion.objects.filter(test__session=session)
        .select_related("question")
        .order_by("-test__kind", "position", "pk")
    )
    for link in links:
        if link.question_id not in seen:
            seen[link.question_id] = QuestionRow(
                link.question,
                right_pre=counts.get((link.question_id, KnowledgeTestKind.PRE), 0),
                right_post=counts.get((link.question_id, KnowledgeTestKind.POST), 0),
            )
    results.questions = list(seen.values())
    return results
