"""The trainer pages offline (issue #14 §2): the service worker's script, and the list of pages it keeps.

The worker is served from /<lang>/trainer/sw.js, so its scope is /<lang>/trainer/: the dashboard and every
roll call of that language, nothing else of the site."""

import hashlib
import json
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from academy.roles import is_staff_member
from courses.models import Session, SessionStatus
from courses.permissions import manageable_sessions
from courses.services import attendance as attendance_service

# What the kept pages need besides themselves.
ASSETS = ["img/favicon.svg", "css/academy.css", "css/attendance.css", "js/fold.js", "js/rollcall.js"]
OFFLINE_DAYS = 2  # today and tomorrow


@lru_cache(maxsize=1)
def _worker_source(assets_json, scope, static_url):
    body = render_to_string(
        "courses/attendance/service_worker.js",
        {"version": "{version}", "assets": assets_json, "scope": json.dumps(scope), "static_url": static_url},
    )
    # A new worker (and a fresh cache) whenever the worker or the files it keeps change.
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    return body.replace("{version}", version, 1)


@require_GET
def service_worker(request):
    scope = reverse("trainer_dashboard")
    assets = json.dumps([static(name) for name in ASSETS])
    response = HttpResponse(
        _worker_source(assets, scope, json.dumps(settings.STATIC_URL)),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = scope
    # Browsers check for a new worker at most daily anyway; never let a proxy hold an old one longer.
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@never_cache
@require_GET
def offline_pages(request):
    """The pages the worker keeps: the dashboard, and the roll call of every slot of the trainer's
    sessions on today and tomorrow."""
    if not is_staff_member(request.user):
        raise PermissionDenied(_("This page is for trainers and academy admins."))
    today = timezone.localdate()
    days = {today + timedelta(days=offset) for offset in range(OFFLINE_DAYS)}
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=OFFLINE_DAYS)
    sessions = (
        manageable_sessions(request.user, Session.objects.exclude(status=SessionStatus.DRAFT))
        .filter(starts_at__lt=end, ends_at__gt=start)
        .prefetch_related("agenda_items")
        .order_by("starts_at", "pk")
    )
    urls = [reverse("trainer_dashboard")]
    for session in sessions:
        base = reverse("attendance_roll_call", args=[session.pk])
        urls.append(base)
        for slot in attendance_service.session_slots(session, list(session.agenda_items.all())):
            if slot.day in days:
                query = f"?day={slot.day.isoformat()}"
                if slot.agenda_item is not None:
                    query += f"&block={slot.agenda_item.pk}"
                urls.append(base + query)
    return JsonResponse({"urls": urls})
