"""Pages of a municipality's head or HR officer (/<lang>/municipality/...): nominate staff, decide approvals.

Thin: courses/services/nominations.py decides; the staff list with qualification records is a page of the
certificates app (certificates/municipality_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from academy.errors import DomainError
from academy.roles import municipality_officer
from courses.models import Registration, RegistrationStatus
from courses.services import nominations, quotas
from courses.services import registration as service

NOMINATED = {
    RegistrationStatus.CONFIRMED: gettext_lazy("%(name)s: nominated, the place is confirmed."),
    RegistrationStatus.WAITLISTED: gettext_lazy("%(name)s: nominated, on the waitlist."),
    RegistrationStatus.PENDING: gettext_lazy("%(name)s: nominated, awaiting the academy's approval."),
}


def _officer(request):
    officer = municipality_officer(request.user)
    if officer is None:
        raise PermissionDenied(_("Only a municipality's head or HR officer can do this."))
    return officer


def _with_titles(sessions):
    sessions = list(sessions)
    titles = service.localized_course_titles(session.course_id for session in sessions)
    for session in sessions:
        session.course_title = session.title or titles.get(session.course_id, session.course.title)
    return sessions


@login_required
def sessions(request):
    """Sessions open for registration, to nominate staff to."""
    officer = _officer(request)
    rows = _with_titles(nominations.open_sessions()[:100])
    return render(request, "courses/municipality/sessions.html", {"officer": officer, "sessions": rows})


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, session_id):
    officer = _officer(request)
    session = get_object_or_404(nominations.open_sessions(), pk=session_id)
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("user") if value.isdigit()][:200]
        if not ids:
            messages.error(request, _("Choose at least one person to nominate."))
        for user_id in ids:
            try:
                registration = nominations.nominate(session.pk, int(user_id), actor=request.user)
            except DomainError as error:
                messages.error(request, str(error.message))
                continue
            name = registration.user.display_name
            if registration.quota_reason:
                messages.warning(request, f"{name}: {registration.quota_reason}")
            else:
                messages.success(request, str(NOMINATED[registration.status]) % {"name": name})
        return redirect(reverse("municipality_nominate", args=[session.pk]))
    staff = list(nominations.staff_profiles(officer))
    registered = dict(
        Registration.objects.filter(session=session, user_id__in=[profile.user_id for profile in staff]).values_list(
            "user_id", "status"
        )
    )
    labels = dict(RegistrationStatus.choices)
    for profile in staff:
        status = registered.get(profile.user_id)
        profile.registration_status = labels.get(status) if status else ""
        profile.can_nominate = status is None or status in (RegistrationStatus.CANCELLED,)
    return render(
        request,
        "courses/municipality/nominate.html",
        {
            "officer": officer,
            "session": _with_titles([session])[0],
            "staff": staff,
            "quotas": quotas.quota_summary(session),
        },
    )


@login_required
def approvals(request):
    officer = _officer(request)
    rows = list(nominations.pending_approvals(officer)[:200])
    titles = service.localized_course_titles(row.session.course_id for row in rows)
    for row in rows:
        row.course_title = row.session.title or titles.get(row.session.course_id, row.session.course.title)
    return render(request, "courses/municipality/approvals.html", {"officer": officer, "registrations": rows})


@login_required
@require_POST
def decide(request, registration_id):
    _officer(request)
    action = request.POST.get("action")
    note = request.POST.get("note", "")[:1000]
    try:
        if action == "approve":
            registration = nominations.approve(registration_id, actor=request.user, note=note)
            messages.success(
                request,
                _("Approved: %(name)s — %(status)s.")
                % {"name": registration.user.display_name, "status": registration.get_status_display()},
            )
        elif action == "reject":
            registration = nominations.reject(registration_id, actor=request.user, note=note)
            messages.success(request, _("Declined: %(name)s.") % {"name": registration.user.display_name})
        else:
            messages.error(request, _("Choose to approve or to decline."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("municipality_approvals")
