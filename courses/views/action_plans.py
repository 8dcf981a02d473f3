"""Action plans: the trainer's page of a session's joint action plan (add, edit, delete, take items from a
participant's plan, report for someone), and the responsible person's phone page reached by the signed link in
the follow-up message. Views only call courses.services.action_plans and show its translated messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.models import Municipality
from courses.models import REPORTED_STATUSES, ActionPlanReport, ActionPlanStatus
from courses.permissions import can_manage_session
from courses.services import action_plans as service
from courses.services.action_plans.items import session_people
from courses.views.trainer_access import managed_session as _managed_session
from courses.views.trainer_access import session_title as _session_title

FIELDS = ("what", "municipality", "responsible_name", "responsible_user", "due_date", "submission")


def _managed_item(request, item_id):
    try:
        return service.manageable_item(request.user, item_id)
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error.message)) from None


def _status_choices():
    return [(value, label) for value, label in ActionPlanStatus.choices if value in REPORTED_STATUSES]


def _form_context(session, values):
    municipalities = Municipality.objects.select_related("district").order_by("district__name_ky", "name_ky")
    people = session_people(session).select_related("profile").order_by("profile__full_name", "pk")
    return {"values": values, "municipalities": municipalities, "people": people}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_plan(request, session_id):
    """The plan's items with their latest status; the add form (prefilled from a participant's plan with ?from=)."""
    session = _managed_session(request, session_id)
    status, values = 200, {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        try:
            service.add_item(request.user, session, values)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error.message)) from None
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 400
        else:
            messages.success(request, _("The item was added to the action plan."))
            return redirect("action_plan_session", session.pk)
    elif request.GET.get("from"):
        try:
            values = service.prefill_from_submission(request.user, session, request.GET["from"])
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 400
    items = list(service.session_items(session))
    today = timezone.localdate()
    context = {
        "session": session,
        "session_title": _session_title(session),
        "items": items,
        "done": sum(item.status == ActionPlanStatus.DONE for item in items),
        "no_one_to_ask": sum(not item.has_someone_to_ask for item in items),
        "rounds": [
            {"months": months, "due_on": service.round_due_on(session, months)} for months in service.follow_up_months()
        ],
        "due_rounds": service.due_rounds(session, today),
        "statuses": _status_choices(),
        "candidates": service.import_candidates(request.user, session),
        **_form_context(session, values),
    }
    return render(request, "courses/action_plans/session.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit_item(request, item_id):
    item = _managed_item(request, item_id)
    status = 200
    values = {
        "what": item.what,
        "municipality": item.municipality_id,
        "responsible_name": item.responsible_name,
        "responsible_user": item.responsible_user_id,
        "due_date": item.due_date.isoformat(),
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        try:
            service.edit_item(request.user, item, values)
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 400
        else:
            messages.success(request, _("The item was saved."))
            return redirect("action_plan_session", item.session_id)
    context = {"item": item, "session": item.session, "session_title": _session_title(item.session)}
    context.update(_form_context(item.session, values))
    return render(request, "courses/action_plans/edit.html", context, status=status)


@login_required
@require_POST
def delete_item(request, item_id):
    item = _managed_item(request, item_id)
    service.delete_item(request.user, item)
    messages.success(request, _("The item was deleted from the action plan."))
    return redirect("action_plan_session", item.session_id)


@login_required
@require_POST
def report_for(request, item_id):
    """A trainer or admin reports an item, e.g. for a responsible person without an account."""
    item = _managed_item(request, item_id)
    try:
        service.report_item(
            request.user,
            item,
            status=request.POST.get("status"),
            round=request.POST.get("round"),
            comment=request.POST.get("comment", ""),
            file=request.FILES.get("file"),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The report was saved."))
    return redirect("action_plan_session", item.session_id)


@login_required
def report_file(request, report_id):
    """The photo or document of a report: for the session's trainers, admins and the person who is responsible."""
    report = get_object_or_404(ActionPlanReport.objects.select_related("item__session"), pk=report_id)
    item = report.item
    if request.user.pk != item.responsible_user_id and not can_manage_session(request.user, item.session):
        raise PermissionDenied
    if not report.file:
        raise Http404(_("This report has no file."))
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The file is missing.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.original_name or "file",
        content_type=report.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The responsible person's page -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request, token):
    """The items of the person the link was sent to, each with done / in progress / dropped, a comment and a file.
    An expired or broken link shows a translated message and changes nothing."""
    try:
        person, session, months, items = service.items_for_link(token)
    except service.LinkError as error:
        status = 404 if error.code == "invalid_link" else 410
        return render(request, "courses/action_plans/follow_up.html", {"error": str(error.message)}, status=status)
    status = 200
    if request.method == "POST":
        chosen = next((item for item in items if str(item.pk) == str(request.POST.get("item", "")).strip()), None)
        try:
            if chosen is None:
                raise DomainError(_("This action plan item is not yours to report."), field="item")
            service.report_item(
                person,
                chosen,
                status=request.POST.get("status"),
                round=months,
                comment=request.POST.get("comment", ""),
                file=request.FILES.get("file"),
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 400
        else:
            messages.success(request, _("Thank you! Your report was saved."))
            return redirect(request.path)
    context = {
        "person": person,
        "session": session,
        "session_title": _session_title(session),
        "months": months,
        "items": items,
        "statuses": _status_choices(),
    }
    return render(request, "courses/action_plans/follow_up.html", context, status=status)
