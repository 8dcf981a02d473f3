"""Admin views of the contest: jurors score accepted submissions per criterion; editors see the ranking and
publish the results. Wagtail wraps these views in its admin-access check (cms/wagtail_hooks.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.models import ContestRound, ContestSubmission, JuryScore
from cms.services import contest_jury
from cms.services.contest import ContestError

from .forms import ScoreForm


def can_see_jury_menu(user):
    return user.has_perm("cms.change_contestround") or user.contest_rounds_judged.exists()


def jury_index(request):
    user = request.user
    is_editor = user.has_perm("cms.change_contestround")
    if not is_editor and not user.contest_rounds_judged.exists():
        raise PermissionDenied
    rounds = ContestRound.objects.prefetch_related("criteria") if is_editor else contest_jury.rounds_judged_by(user)
    mine = set(JuryScore.objects.filter(juror=user).values_list("submission_id", flat=True).distinct())
    sections = []
    for contest_round in rounds:
        judging = contest_jury.is_juror(contest_round, user)
        submissions = list(contest_jury.scorable_submissions(contest_round))
        for submission in submissions:
            submission.scored_by_me = submission.pk in mine
        sections.append(
            {
                "round": contest_round,
                "judging": judging,
                "submissions": submissions,
                "ranking": contest_jury.ranking(contest_round) if is_editor else [],
            }
        )
    return TemplateResponse(
        request, "cms/contest/admin/jury_index.html", {"sections": sections, "is_editor": is_editor}
    )


def score(request, pk):
    submission = get_object_or_404(ContestSubmission.objects.select_related("round", "practice", "municipality"), pk=pk)
    if not contest_jury.is_juror(submission.round, request.user):
        raise PermissionDenied
    criteria = list(submission.round.criteria.all())
    initial = {f"criterion_{key}": value for key, value in contest_jury.scores_of(request.user, submission).items()}
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contest_jury.record_scores(submission, request.user, form.points())
        except ContestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("contest_jury")
    return TemplateResponse(
        request, "cms/contest/admin/score.html", {"submission": submission, "form": form, "criteria": criteria}
    )


@require_POST
def publish(request, pk):
    if not request.user.has_perm("cms.change_contestround"):
        raise PermissionDenied
    contest_round = get_object_or_404(ContestRound, pk=pk)
    try:
        contest_jury.publish_results(contest_round, request.user)
    except ContestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The results of %(round)s are published.") % {"round": contest_round.title})
    return redirect("contest_jury")
