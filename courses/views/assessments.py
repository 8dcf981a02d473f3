"""Knowledge tests: the participant's page on the phone (no JavaScript) and the trainer's screens (tests of a
session with open/close, the QR code on the screen, paper entry, results). Views only call
courses.services.assessments and show its translated DomainError messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from academy.base_url import absolute_url
from academy.errors import DomainError, PermissionDeniedError
from academy.link_language import with_language
from courses.models import KnowledgeTest, KnowledgeTestKind, Registration, RegistrationStatus
from courses.permissions import can_manage_session
from courses.qr import qr_svg
from courses.services import assessments as service
from courses.services.assessments.attempts import AlreadySubmittedError
from courses.views.trainer_access import managed_session as _managed_session
from courses.views.trainer_access import session_title as _session_title


def _managed_test(request, test_id):
    test = get_object_or_404(KnowledgeTest.objects.select_related("session__course"), pk=test_id)
    if not can_manage_session(request.user, test.session):
        raise PermissionDenied(_("Only the trainers of this session and academy admins can open this page."))
    return test


def participant_url(test):
    """The absolute address of the participant's page, in the session's language (what the QR code holds)."""
    language = test.session.language
    with translation.override(language):
        path = reverse("assessment_take", args=[test.pk])
    return with_language(absolute_url(path), language)


# Participant -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def take_test(request, test_id):
    """GET: the questions (or the person's own score once submitted). POST: submit the one attempt."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    test = get_object_or_404(KnowledgeTest.objects.select_related("session__course"), pk=test_id)
    context = {"test": test, "session_title": _session_title(test.session)}
    status = 200
    try:
        service.participant_registration(request.user, test.session)
    except PermissionDeniedError as error:
        context["error"] = str(error.message)
        return render(request, "courses/assessments/take.html", context, status=403)
    if request.method == "POST":
        try:
            context["attempt"] = service.submit(request.user, test, service.parse_answers(request.POST))
            context["just_submitted"] = True
            return render(request, "courses/assessments/take.html", context)
        except AlreadySubmittedError as error:
            context["error"], status = str(error.message), 409
        except DomainError as error:
            context["error"], status = str(error.message), 400
    attempt = service.own_attempt(request.user, test)
    if attempt is not None:
        context["attempt"] = attempt
    elif test.is_open(timezone.now()):
        context["questions"] = service.load_questions(test)
    elif test.opened_at is None:
        context.setdefault("notice", _("The trainer has not opened this test yet. Reload this page when asked."))
    else:
        context.setdefault("notice", _("This test is closed; answers are no longer accepted."))
    return render(request, "courses/assessments/take.html", context, status=status)


# Trainer -----------------------------------------------------------------------------------------


@login_required
@never_cache
def session_tests(request, session_id):
    """The session's pre-test and post-test (build, open, close, QR, paper) and the results table."""
    session = _managed_session(request, session_id)
    tests = service.session_tests(session)
    now = timezone.now()
    kinds = [
        {
            "kind": kind,
            "label": label,
            "test": tests.get(kind),
            "open": bool(tests.get(kind) and tests[kind].is_open(now)),
        }
        for kind, label in KnowledgeTestKind.choices
    ]
    return render(
        request,
        "courses/assessments/session.html",
        {
            "session": session,
            "session_title": _session_title(session),
            "kinds": kinds,
            "results": service.session_results(request.user, session),
        },
    )


def _act(request, action, session):
    try:
        action()
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error.message))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("assessment_session", session.pk)


@login_required
@require_POST
def build_test(request, session_id, kind):
    session = _managed_session(request, session_id)
    if kind not in KnowledgeTestKind.values:
        messages.error(request, _("Unknown kind of test."))
        return redirect("assessment_session", session.pk)
    return _act(request, lambda: service.ensure_test(request.user, session, kind), session)


@login_required
@require_POST
def open_test(request, test_id):
    test = _managed_test(request, test_id)
    return _act(request, lambda: service.open_test(request.user, test, request.POST.get("minutes")), test.session)


@login_required
@require_POST
def close_test(request, test_id):
    test = _managed_test(request, test_id)
    return _act(request, lambda: service.close_test(request.user, test), test.session)


@login_required
@never_cache
def test_qr(request, test_id):
    """The QR code the trainer shows on the screen; it holds the participant page's address."""
    test = _managed_test(request, test_id)
    url = participant_url(test)
    return render(
        request,
        "courses/assessments/qr.html",
        {
            "test": test,
            "session": test.session,
            "session_title": _session_title(test.session),
            "url": url,
            "svg": qr_svg(url, module_size=8, title=_("Scan to take the test")),
            "taken": test.attempts.count(),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def paper_entry(request, test_id):
    """Type in the paper copy of a participant without a phone: choose the person, tick their answers."""
    test = _managed_test(request, test_id)
    status = 200
    if request.method == "POST":
        try:
            service.enter_paper(
                request.user, test, request.POST.get("registration"), service.parse_answers(request.POST)
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error.message))
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 400
        else:
            messages.success(request, _("The paper answers were saved."))
            return redirect("assessment_paper", test.pk)
    people = (
        Registration.objects.filter(session=test.session, status=RegistrationStatus.CONFIRMED)
        .exclude(test_attempts__test=test)
        .select_related("user__profile")
        .order_by("user__profile__full_name", "pk")
    )
    return render(
        request,
        "courses/assessments/paper.html",
        {
            "test": test,
            "session": test.session,
            "session_title": _session_title(test.session),
            "people": people,
            "questions": service.load_questions(test),
        },
        status=status,
    )
