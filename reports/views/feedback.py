"""The participant's "My feedback" pages: sessions awaiting an answer, and the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.errors import DomainError, NotFoundError
from reports.forms import SurveyForm
from reports.services import feedback as service
from reports.services import surveys


@login_required
def my_feedback(request):
    awaiting, answered = service.my_feedback(request.user)
    return render(request, "reports/feedback/my_feedback.html", {"awaiting": awaiting, "answered": answered})


@login_required
@require_http_methods(["GET", "POST"])
def feedback_form(request, registration_id):
    now = timezone.now()
    try:
        registration = service.registration_for_feedback(request.user, registration_id)
    except NotFoundError:
        raise Http404
    existing = service.feedback_with_answers(registration)
    problem = None
    survey = None
    try:
        service.check_can_answer(registration, now)
        if existing and not existing.is_editable(now):
            problem = _("Feedback can be changed for 7 days after it is first sent; this time is over.")
        survey = surveys.survey_of(registration, existing)
    except DomainError as error:
        problem = error.message
    form = SurveyForm(survey, request.POST or None, feedback=existing) if survey else None
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            _feedback, created = service.submit_feedback(
                request.user, registration.pk, **form.service_arguments(), now=now
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you for your feedback.") if created else _("Your feedback was updated."))
            return redirect("my_feedback")
    status = 200
    if request.method == "POST" and (problem or form.errors):
        status = 400
    return render(
        request,
        "reports/feedback/feedback_form.html",
        {"registration": registration, "form": form, "survey": survey, "existing": existing, "problem": problem},
        status=status,
    )
