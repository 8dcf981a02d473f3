"""Trainer screens (dashboard, roll call, QR check-in, sign-in sheet, paper entry, assignments, completion)
and the participant's side (check-in confirmation, assignment upload, file download).

Views are thin: they read input, call `courses.services.*`, and show the result or the
translated DomainError message.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from academy.base_url import absolute_url
from academy.errors import DomainError, PermissionDeniedError
from academy.roles import is_staff_member
from courses.models import (
    AssignmentSubmission,
    AttendanceMethod,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from courses.permissions import can_manage_session, manageable_sessions
from courses.services import attendance as attendance_service
from courses.services import catalogue as catalogue_service
from courses.services import checkin as checkin_service
from courses.services import completion as completion_service
from courses.signin_sheet import render_signin_sheet

PAGE_SIZE = 20
SCANS_KEY = "attendance_checkin_scans"


# Helpers ----------------------------------------------------------------------------------------


def _managed_session(request, session_id):
    session = get_object_or_404(Session.objects.select_related("course", "venue"), pk=session_id)
    if not can_manage_session(request.user, session):
        raise PermissionDenied(_("Only the trainers of this session and academy admins can open this page."))
    return session


def _wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch" or "application/json" in request.headers.get("Accept", "")


def _slot_url(name, session, slot):
    url = reverse(name, args=[session.pk])
    if slot is None:
        return url
    query = f"?day={slot.day.isoformat()}"
    if slot.agenda_item is not None:
        query += f"&block={slot.agenda_item.pk}"
    return url + query


def _selected_slot(request, session, slots, source=None):
    """The slot named by ?day=&block= (or the POSTed fields), else the one that fits now."""
    source = request.GET if source is None else source
    day, block = source.get("day") or None, source.get("block") or None
    if not day and not block:
        return attendance_service.default_slot(session, slots), None
    try:
        return attendance_service.resolve_slot(session, day, block, slots=slots), None
    except DomainError as error:
        return attendance_service.default_slot(session, slots), str(error.message)


def _slot_links(name, session, slots, current):
    return [
        {
            "url": _slot_url(name, session, slot),
            "label": slot.short_label,
            "title": slot.label,
            "current": current is not None and slot.key == current.key,
        }
        for slot in slots
    ]


def _session_title(session):
    return session.title or session.course.localized.title


# Trainer dashboard ------------------------------------------------------------------------------


@login_required
@never_cache
def trainer_dashboard(request):
    if not is_staff_member(request.user):
        raise PermissionDenied(_("This page is for trainers and academy admins."))
    now = timezone.now()
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    sessions = manageable_sessions(request.user, Session.objects.exclude(status=SessionStatus.DRAFT))
    cutoff = now - timedelta(days=1)
    if when == "past":
        sessions = sessions.filter(ends_at__lt=cutoff).order_by("-starts_at", "-pk")
    else:
        sessions = sessions.filter(ends_at__gte=cutoff).order_by("starts_at", "pk")
    sessions = sessions.select_related("course", "venue").annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
        ),
        completed_count=Count("registrations", filter=Q(registrations__completed_at__isnull=False), distinct=True),
        to_review_count=Count(
            "registrations__submissions",
            filter=Q(registrations__submissions__status=AssignmentSubmission.Status.SUBMITTED),
            distinct=True,
        ),
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    titles = catalogue_service.session_titles(page.object_list)
    rows = [
        {
            "session": session,
            "title": titles[session.pk],
            "ended": session.ends_at <= now,
            "running": session.starts_at <= now < session.ends_at,
        }
        for session in page.object_list
    ]
    return render(
        request,
        "courses/attendance/dashboard.html",
        {"rows": rows, "page_obj": page, "when": when},
    )


# Roll call --------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def roll_call(request, session_id):
    session = _managed_session(request, session_id)
    agenda_items = list(session.agenda_items.all())
    slots = attendance_service.session_slots(session, agenda_items)
    if request.method == "POST":
        return _roll_call_post(request, session, slots)
    slot, slot_error = _selected_slot(request, session, slots)
    if slot_error:
        messages.error(request, slot_error)
    registrations = list(attendance_service.confirmed_registrations(session))
    marks = attendance_service.slot_marks(session, slot) if slot else {}
    rows = [{"registration": r, "mark": marks.get(r.pk)} for r in registrations]
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for mark in marks.values():
        if mark.registration_id in {r.pk for r in registrations}:
            counts[mark.status] += 1
    return render(
        request,
        "courses/attendance/roll_call.html",
        {
            "session": session,
            "session_title": _session_title(session),
            "slot": slot,
            "slot_links": _slot_links("attendance_roll_call", session, slots, slot),
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "counts": counts,
            "unmarked": len(registrations) - sum(counts.values()),
            "total": len(registrations),
        },
    )


def _roll_call_post(request, session, slots):
    status = request.POST.get("status")
    try:
        slot = attendance_service.resolve_slot(
            session, request.POST.get("day") or None, request.POST.get("block") or None, slots=slots
        )
        rows = attendance_service.mark_attendance(
            session,
            [
                {
                    "registration": request.POST.get("registration"),
                    "day": slot.day,
                    "agenda_item": slot.agenda_item,
                    "status": status,
                }
            ],
            by=request.user,
            method=AttendanceMethod.ROLL_CALL,
        )
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error.message))
    except DomainError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "detail": str(error.message), "field": error.field}, status=400)
        messages.error(request, str(error.message))
        return redirect(request.get_full_path())
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "registration": int(request.POST.get("registration")),
                "status": status,
                "label": str(AttendanceStatus(status).label),
                "changed": bool(rows),
            }
        )
    anchor = f"#r{int(request.POST.get('registration'))}"
    return redirect(_slot_url("attendance_roll_call", session, slot) + anchor)


# QR check-in: the trainer's screen --------------------------------------------------------------


def _qr_svg(url):
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    # Let CSS size the code to the screen instead of the fixed millimetres qrcode writes.
    head, _sep, rest = svg.partition(" version=")
    return head.split(" width=")[0] + ' role="img" class="qr-svg" version=' + rest


def _code_payload(request, session, slot):
    issued = checkin_service.issue_code(session, slot, by=request.user)
    url = absolute_url(reverse("attendance_check_in", args=[issued.code]), request)
    now = timezone.now()
    return {
        "code": issued.code,
        "url": url,
        "svg": _qr_svg(url),
        "slot": slot.label,
        "refresh_in": max(1, int((issued.refresh_at - now).total_seconds()) + 1),
        "expires_at": issued.expires_at.isoformat(),
        "checked_in": checkin_service.checked_in_count(session, slot),
        "expected": session.registrations.confirmed().count(),
    }


@login_required
@never_cache
def checkin_screen(request, session_id):
    session = _managed_session(request, session_id)
    slots = attendance_service.session_slots(session)
    slot, slot_error = _selected_slot(request, session, slots)
    if slot_error:
        messages.error(request, slot_error)
    try:
        payload = _code_payload(request, session, slot)
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error.message))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("trainer_dashboard")
    return render(
        request,
        "courses/attendance/checkin_screen.html",
        {
            "session": session,
            "session_title": _session_title(session),
            "slot": slot,
            "slot_links": _slot_links("attendance_checkin_screen", session, slots, slot),
            "payload": payload,
            "not_today": slot.day != timezone.localdate(),
            "code_url": _slot_url("attendance_checkin_code", session, slot),
            "rotation_seconds": checkin_service.ROTATION_SECONDS,
        },
    )


@login_required
@never_cache
def checkin_code(request, session_id):
    """JSON for the screen's script: a fresh code, its QR as SVG, and how many checked in."""
    session = _managed_session(request, session_id)
    slots = attendance_service.session_slots(session)
    slot, slot_error = _selected_slot(request, session, slots)
    if slot_error:
        return JsonResponse({"detail": slot_error}, status=400)
    try:
        return JsonResponse(_code_payload(request, session, slot))
    except PermissionDeniedError as error:
        return JsonResponse({"detail": str(error.message)}, status=403)
    except DomainError as error:
        return JsonResponse({"detail": str(error.message)}, status=400)


# QR check-in: the participant's side ------------------------------------------------------------


def _scan_key(code):
    return hashlib.sha256(code.encode()).hexdigest()[:24]


def _remember_scan(request, code, now):
    scans = {
        key: moment
        for key, moment in request.session.get(SCANS_KEY, {}).items()
        if moment > now.timestamp() - checkin_service.SCAN_GRACE.total_seconds()
    }
    scans.setdefault(_scan_key(code), now.timestamp())
    request.session[SCANS_KEY] = scans


def _scanned_at(request, code):
    moment = request.session.get(SCANS_KEY, {}).get(_scan_key(code))
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, tz=UTC)


@never_cache
@require_http_methods(["GET", "POST"])
def check_in(request, code):
    """GET: show what will be recorded and a confirm button. POST: record it (method "qr")."""
    now = timezone.now()
    context = {"code": code}
    try:
        checkin_service.read_code(code, now=now, scanned_at=_scanned_at(request, code))
    except DomainError as error:
        context["error"] = str(error.message)
        return render(request, "courses/attendance/check_in.html", context, status=400)
    # A valid scan: remember when (server time) so logging in or a slow tap does not lose it.
    _remember_scan(request, code, now)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scanned_at = _scanned_at(request, code)
    try:
        if request.method == "POST":
            result = checkin_service.check_in(request.user, code, now=now, scanned_at=scanned_at)
            context.update(
                {
                    "done": True,
                    "session_title": _session_title(result.session),
                    "slot": result.slot,
                    "attendance": result.attendance,
                    "already": result.already_checked_in,
                }
            )
        else:
            session, slot, registration = checkin_service.preview(request.user, code, now=now, scanned_at=scanned_at)
            context.update({"session_title": _session_title(session), "slot": slot, "registration": registration})
    except DomainError as error:
        context["error"] = str(error.message)
        status = 403 if isinstance(error, PermissionDeniedError) else 400
        return render(request, "courses/attendance/check_in.html", context, status=status)
    return render(request, "courses/attendance/check_in.html", context)


# Paper: sign-in sheet and entry afterwards ------------------------------------------------------


@login_required
def signin_sheet(request, session_id):
    session = _managed_session(request, session_id)
    pdf = render_signin_sheet(attendance_service.build_signin_sheet(session))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"sign-in-sheet-{session.pk}.pdf")
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def paper_entry(request, session_id):
    """A grid, participants × days or blocks, to type in a signed paper sheet (method "paper")."""
    session = _managed_session(request, session_id)
    agenda_items = list(session.agenda_items.all())
    slots = attendance_service.session_slots(session, agenda_items)
    registrations = list(attendance_service.confirmed_registrations(session))
    marks = attendance_service.session_marks(session)
    errors = []
    if request.method == "POST":
        entries = []
        for registration in registrations:
            for slot in slots:
                value = request.POST.get(f"a-{registration.pk}-{slot.key}", "")
                if not value:
                    continue
                current = marks.get((registration.pk, *slot.lookup))
                if current is not None and current.status == value:
                    continue
                entries.append(
                    {"registration": registration.pk, "day": slot.day, "agenda_item": slot.agenda_item, "status": value}
                )
        if not entries:
            messages.info(request, _("Nothing changed."))
            return redirect("attendance_paper", session_id=session.pk)
        try:
            written = attendance_service.mark_attendance(
                session, entries, by=request.user, method=AttendanceMethod.PAPER
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error.message))
        except DomainError as error:
            errors.append(str(error.message))
        else:
            messages.success(request, _("Saved %(count)s attendance marks.") % {"count": len(written)})
            return redirect("attendance_paper", session_id=session.pk)
    rows = []
    for registration in registrations:
        cells = []
        for slot in slots:
            mark = marks.get((registration.pk, *slot.lookup))
            selected = request.POST.get(f"a-{registration.pk}-{slot.key}") if errors else None
            cells.append(
                {
                    "name": f"a-{registration.pk}-{slot.key}",
                    "value": selected if selected is not None else (mark.status if mark else ""),
                    "method": mark.get_method_display() if mark else "",
                }
            )
        rows.append({"registration": registration, "cells": cells})
    return render(
        request,
        "courses/attendance/paper_entry.html",
        {
            "session": session,
            "session_title": _session_title(session),
            "slots": slots,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# Assignments ------------------------------------------------------------------------------------


@login_required
@never_cache
def assignments(request, session_id):
    session = _managed_session(request, session_id)
    submissions = (
        AssignmentSubmission.objects.for_session(session)
        .select_related("registration__user__profile", "reviewed_by__profile")
        .order_by("status", "-submitted_at", "-pk")
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/attendance/assignments.html",
        {"session": session, "session_title": _session_title(session), "page_obj": page},
    )


@login_required
@require_POST
def review_submission(request, submission_id):
    submission = get_object_or_404(
        AssignmentSubmission.objects.select_related("registration__session__course"), pk=submission_id
    )
    session = submission.registration.session
    if not can_manage_session(request.user, session):
        raise PermissionDenied
    try:
        completion_service.review_assignment(
            submission,
            decision=request.POST.get("decision"),
            feedback=request.POST.get("feedback", ""),
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if submission.status == AssignmentSubmission.Status.ACCEPTED:
            messages.success(request, _("The assignment is accepted."))
        else:
            messages.success(request, _("The assignment is returned with your feedback."))
    return redirect("attendance_assignments", session_id=session.pk)


@login_required
def submission_file(request, submission_id):
    """The file of a submission, for its owner, the session's trainers and admins only."""
    submission = get_object_or_404(
        AssignmentSubmission.objects.select_related("registration__session"), pk=submission_id
    )
    if not completion_service.can_view_submission(request.user, submission):
        raise PermissionDenied
    try:
        handle = submission.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The file is missing."))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=submission.original_name,
        content_type=submission.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_assignment(request, session_id):
    """The participant's page to hand in the course's assignment (the joint action plan, БАП)."""
    registration = get_object_or_404(
        Registration.objects.select_related("session__course"), session_id=session_id, user=request.user
    )
    session = registration.session
    error = None
    if request.method == "POST":
        try:
            completion_service.submit_assignment(registration, request.FILES.get("file"), by=request.user)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Thank you! Your file is handed in; the trainer will review it."))
            return redirect("attendance_my_assignment", session_id=session.pk)
    submissions = list(registration.submissions.select_related("reviewed_by__profile"))
    accepted = any(s.status == AssignmentSubmission.Status.ACCEPTED for s in submissions)
    course = session.course.localized
    return render(
        request,
        "courses/attendance/my_assignment.html",
        {
            "session": session,
            "session_title": _session_title(session),
            "course": course,
            "registration": registration,
            "submissions": submissions,
            "can_upload": session.course.requires_assignment
            and registration.status == RegistrationStatus.CONFIRMED
            and not accepted,
            "error": error,
            "max_bytes": _max_bytes(),
        },
        status=400 if error else 200,
    )


def _max_bytes():
    from django.conf import settings

    return settings.ACADEMY_MAX_UPLOAD_BYTES


# Completion ---------------------------------------------------------------------------------------


@login_required
@never_cache
def completion(request, session_id):
    session = _managed_session(request, session_id)
    registrations = list(attendance_service.confirmed_registrations(session))
    results = completion_service.evaluate_session(session, save=False)
    rows = [{"registration": r, "result": results.get(r.pk)} for r in registrations]
    return render(
        request,
        "courses/attendance/completion.html",
        {
            "session": session,
            "session_title": _session_title(session),
            "rows": rows,
            "ended": session.ends_at <= timezone.now(),
            "completed_count": sum(1 for row in rows if row["result"] and row["result"].completed),
        },
    )


@login_required
@require_POST
def override(request, registration_id):
    registration = get_object_or_404(Registration.objects.select_related("session__course"), pk=registration_id)
    if not can_manage_session(request.user, registration.session):
        raise PermissionDenied
    value = request.POST.get("completed")
    completed = {"yes": True, "no": False}.get(value)
    try:
        completion_service.override_completion(
            registration, completed=completed, reason=request.POST.get("reason", ""), by=request.user
        )
    except DomainError as error:
        messages.error(request, f"{registration.user}: {error.message}")
    else:
        messages.success(request, _("The result of %(name)s is changed.") % {"name": registration.user})
    return redirect(reverse("attendance_completion", args=[registration.session_id]) + f"#r{registration.pk}")


@login_required
@require_POST
def finalise(request, session_id):
    session = _managed_session(request, session_id)
    try:
        result = completion_service.finalise_session(session, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        message = _("%(completed)s of %(total)s participants completed the session.") % {
            "completed": result.completed,
            "total": result.participants,
        }
        if not result.session_completed:
            message += " " + _("The session has not ended yet, so it stays open; finalise it again after the end.")
        messages.success(request, message)
    return redirect("attendance_completion", session_id=session.pk)
