"""The contest page's routes (cms.models.ContestPage): submit, my submissions, one submission, results.

They only check who asks and call cms/services/contest*.py. A visitor who is not signed in is sent to the
sign-in page and back; a signed-in person without a municipality in their profile is told how to take part.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.models import ContestRound
from cms.services import contest, contest_jury

from .forms import SubmissionForm


def _render(page, request, template, **context):
    return page.render(request, template=f"cms/contest/{template}.html", context_overrides=context)


def _signed_in_with_municipality(page, request):
    """None when the person may go on, else the response to give them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if contest.municipality_of(request.user) is None:
        return _render(page, request, "no_municipality", round=contest.current_round())
    return None


def _save(request, form, *, submission=None, contest_round=None):
    """Store the files and the entry in one transaction; ContestError becomes a form error."""
    submit = "submit" in request.POST
    try:
        with transaction.atomic():
            data = form.practice_data()
            title = data["title"]
            images, documents = contest.store_uploads(
                request.user, title, form.cleaned_data["photos"], form.cleaned_data["documents"]
            )
            if submission is None:
                submission = contest.create_submission(
                    contest_round,
                    request.user,
                    data,
                    images=images,
                    documents=documents,
                    submit=submit,
                    language=(get_language() or "ky")[:2],
                )
            else:
                contest.update_submission(
                    submission, request.user, data, images=images, documents=documents, submit=submit
                )
    except contest.ContestError as error:
        form.add_error(None, str(error))
        return None
    if submit:
        messages.success(request, _("Your practice is sent to the editors. You will see their answer here."))
    else:
        messages.success(request, _("Your draft is saved. Send it to the editors when it is ready."))
    return submission


def submit(page, request):
    refusal = _signed_in_with_municipality(page, request)
    if refusal is not None:
        return refusal
    contest_round = contest.current_round()
    if contest_round is None or not contest_round.is_open:
        return _render(page, request, "closed", round=contest_round)
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, contest_round=contest_round):
        return redirect(page.url + page.reverse_subpage("my_submissions"))
    return _render(
        page,
        request,
        "submit",
        round=contest_round,
        form=form,
        municipality=contest.municipality_of(request.user),
    )


def my_submissions(page, request):
    refusal = _signed_in_with_municipality(page, request)
    if refusal is not None:
        return refusal
    municipality = contest.municipality_of(request.user)
    submissions = list(contest.submissions_of(municipality))
    comments = contest.return_comments(submissions)
    for submission in submissions:
        submission.editors_comment = comments.get(submission.pk, "")
        submission.link = page.url + page.reverse_subpage("edit_submission", args=[submission.pk])
    return _render(
        page,
        request,
        "my_submissions",
        submissions=submissions,
        municipality=municipality,
        round=contest.current_round(),
    )


def edit_submission(page, request, pk):
    refusal = _signed_in_with_municipality(page, request)
    if refusal is not None:
        return refusal
    try:
        submission = contest.submission_for(request.user, pk)
    except contest.ContestError as error:
        raise Http404(str(error)) from error
    draft = submission.practice.get_latest_revision_as_object()
    editable = submission.status in contest.EDITABLE and submission.round.is_open
    form = None
    if editable:
        form = SubmissionForm(request.POST or None, request.FILES or None, initial=SubmissionForm.initial_from(draft))
        if request.method == "POST" and form.is_valid() and _save(request, form, submission=submission):
            return redirect(page.url + page.reverse_subpage("my_submissions"))
    elif request.method == "POST":
        messages.error(request, _locked_message(submission))
    comment = contest.return_comments([submission]).get(submission.pk, "")
    return _render(
        page,
        request,
        "submission",
        submission=submission,
        draft=draft,
        form=form,
        locked_message="" if form else _locked_message(submission),
        editors_comment=comment,
        my_url=page.url + page.reverse_subpage("my_submissions"),
    )


def _locked_message(submission):
    if submission.status in contest.EDITABLE:
        return _("Submissions for this round are closed.")
    return _("This submission is with the editors or the jury and cannot be changed now.")


def results(page, request, year):
    contest_round = ContestRound.objects.filter(year=year, results_published_at__isnull=False).first()
    if contest_round is None:
        raise Http404(_("The results of this round are not published."))
    rows = [row for row in contest_jury.ranking(contest_round) if row.rank <= contest_round.winners_count]
    return _render(
        page, request, "results", round=contest_round, rows=rows, criteria=list(contest_round.criteria.all())
    )
