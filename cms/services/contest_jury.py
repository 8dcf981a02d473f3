"""The contest jury: scores per criterion, the ranking by weighted totals, and publishing the results.

The total of a submission is out of 100: for each criterion the jurors' average points over the criterion's
maximum, weighted by the criterion's weight. Equal totals are told apart by the criteria in order of weight
(the heaviest first, then the next); entries equal on all of them share a place.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.contest import enqueue
from cms.models import ContestRound, ContestSubmission, JuryScore, SubmissionStatus

from .contest import SCORABLE, ContestError

HUNDRED = Decimal(100)


def is_juror(contest_round, user):
    return user.is_authenticated and contest_round.jury.filter(pk=user.pk).exists()


def rounds_judged_by(user):
    return user.contest_rounds_judged.prefetch_related("criteria").order_by("-year")


def scorable_submissions(contest_round):
    return (
        ContestSubmission.objects.filter(round=contest_round, status__in=[*SCORABLE, SubmissionStatus.WINNER])
        .select_related("practice", "municipality")
        .order_by("practice__title", "pk")
    )


def scores_of(juror, submission):
    """{criterion id: points} the juror gave this submission."""
    return dict(JuryScore.objects.filter(juror=juror, submission=submission).values_list("criterion_id", "points"))


@transaction.atomic
def record_scores(submission, juror, points):
    """Save a juror's points for a submission: `points` maps each criterion id of its round to 0..max."""
    # Read the round and the entry again: the results may have been published, the entry returned, meanwhile.
    contest_round = ContestRound.objects.get(pk=submission.round_id)
    submission = ContestSubmission.objects.select_for_update().get(pk=submission.pk)
    if not is_juror(contest_round, juror):
        raise ContestError(_("Only the jury of this round can score its submissions."))
    if contest_round.results_published:
        raise ContestError(_("The results of this round are published; scores can no longer change."))
    if submission.status not in SCORABLE:
        raise ContestError(_("Only submissions the editors accepted can be scored."))
    criteria = {criterion.pk: criterion for criterion in contest_round.criteria.all()}
    if set(points) != set(criteria):
        raise ContestError(_("Give points on every criterion of the round."))
    for criterion_id, value in points.items():
        criterion = criteria[criterion_id]
        if value is None or not 0 <= value <= criterion.max_points:
            raise ContestError(
                _("Points on “%(criterion)s” must be from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_points}
            )
    for criterion_id, value in points.items():
        JuryScore.objects.update_or_create(
            juror=juror, submission=submission, criterion_id=criterion_id, defaults={"points": value}
        )
    jurors = contest_round.jury.count()
    if JuryScore.objects.filter(submission=submission).count() >= jurors * len(criteria):
        submission.status = SubmissionStatus.SCORED
        submission.save(update_fields=["status"])
    return submission


@dataclass
class Ranked:
    submission: ContestSubmission
    total: Decimal
    averages: list = field(default_factory=list)  # (criterion, average points), in the round's order
    rank: int = 0
    tie_note: str = ""
    key: tuple = ()


def _quantize(value):
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(contest_round):
    """Scored submissions of the round, best first, with their totals, places and how ties were broken."""
    criteria = list(contest_round.criteria.all())
    weights = sum(criterion.weight for criterion in criteria) or 1
    tie_order = sorted(criteria, key=lambda c: (-c.weight, c.sort_order or 0, c.pk))
    sums, counts = {}, {}
    for submission_id, criterion_id, points in JuryScore.objects.filter(
        submission__round=contest_round, submission__status__in=[*SCORABLE, SubmissionStatus.WINNER]
    ).values_list("submission_id", "criterion_id", "points"):
        sums[submission_id, criterion_id] = sums.get((submission_id, criterion_id), 0) + points
        counts[submission_id, criterion_id] = counts.get((submission_id, criterion_id), 0) + 1
    scored_ids = {submission_id for submission_id, _criterion in sums}
    rows = []
    for submission in scorable_submissions(contest_round).filter(pk__in=scored_ids):
        averages = {
            c.pk: Decimal(sums.get((submission.pk, c.pk), 0)) / counts.get((submission.pk, c.pk), 1) for c in criteria
        }
        total = sum((c.weight * averages[c.pk] / c.max_points for c in criteria), Decimal(0)) * HUNDRED / weights
        key = (_quantize(total), *(_quantize(averages[c.pk] / c.max_points * HUNDRED) for c in tie_order))
        rows.append(Ranked(submission, _quantize(total), [(c, _quantize(averages[c.pk])) for c in criteria], key=key))
    rows.sort(key=lambda row: (tuple(-value for value in row.key), row.submission.pk))
    for position, row in enumerate(rows, start=1):
        previous = rows[position - 2] if position > 1 else None
        row.rank = previous.rank if previous and previous.key == row.key else position
    for index, row in enumerate(rows):
        neighbours = [rows[i] for i in (index - 1, index + 1) if 0 <= i < len(rows)]
        if any(other.key == row.key for other in neighbours):
            row.tie_note = _("Equal on the total and on every criterion: the place is shared.")
        elif any(other.key[0] == row.key[0] for other in neighbours):
            decider = next(
                c
                for i, c in enumerate(tie_order, start=1)
                if any(other.key[0] == row.key[0] and other.key[i] != row.key[i] for other in neighbours)
            )
            row.tie_note = _("Equal total; placed by the points on “%(criterion)s”.") % {"criterion": decider.name}
    return rows


@transaction.atomic
def publish_results(contest_round, user):
    """Fix the places, mark the winners (the first `winners_count` places) and show the results page."""
    if not user.has_perm("cms.change_contestround"):
        raise ContestError(_("Only editors can publish the results."))
    rows = ranking(contest_round)
    if not rows:
        raise ContestError(_("No submission of this round has been scored yet."))
    for row in rows:
        submission = row.submission
        submission.rank = row.rank
        if row.rank <= contest_round.winners_count:
            submission.status = SubmissionStatus.WINNER
        elif submission.status == SubmissionStatus.WINNER:
            submission.status = SubmissionStatus.SCORED
        submission.save(update_fields=["rank", "status"])
    if contest_round.results_published_at is None:
        contest_round.results_published_at = timezone.now()
        contest_round.save(update_fields=["results_published_at"])
    enqueue.after_commit("results_announced", contest_round.pk)  # once per entry: published again, none more
    return rows


def winners(contest_round):
    """The published winners, best place first."""
    return list(
        ContestSubmission.objects.filter(round=contest_round, status=SubmissionStatus.WINNER)
        .select_related("practice", "municipality__district__region")
        .order_by("rank", "practice__title")
    )
