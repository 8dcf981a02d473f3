"""Public pages of the registration area: register, cancel, "My trainings"."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from academy import roles
from academy.errors import DomainError
from academy.reversing import cached_reverse
from courses.models import Registration, RegistrationSource, RegistrationStatus, Session
from courses.models.registrations import ACTIVE_STATUSES
from courses.pagination import CountedRows
from courses.services import my_registrations, waitlist_offers
from courses.services import registration as service

PAGE_SIZE = 20


def session_url(session):
    try:
        return reverse("session_detail", args=[session.pk])
    except NoReverseMatch:
        return reverse("my_trainings")


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


SUCCESS_MESSAGES = {
    RegistrationStatus.CONFIRMED: gettext_lazy("You are registered: your place is confirmed."),
    RegistrationStatus.WAITLISTED: gettext_lazy(
        "All places are taken, so you are on the waitlist. We will write to you if a place frees up."
    ),
    RegistrationStatus.PENDING: gettext_lazy(
        "Your registration has been received and awaits approval by the organisers."
    ),
}


@require_http_methods(["GET", "POST"])
def session_register(request, session_id):
    session = get_object_or_404(Session.objects.published(), pk=session_id)
    back = session_url(session)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if request.method == "GET":
        return redirect(back)
    try:
        registration = service.register(session, request.user, source=RegistrationSource.WEB)
    except DomainError as error:
        if error.code == "profile_incomplete":
            messages.warning(request, str(error.message))
            return redirect(reverse("account_profile") + "?" + urlencode({"next": back}))
        messages.error(request, str(error.message))
        return redirect(back)
    if getattr(registration, "quota_reason", ""):  # waitlisted although seats are free: their quota is full
        messages.warning(request, registration.quota_reason)
    else:
        messages.success(request, str(SUCCESS_MESSAGES[registration.status]))
    return redirect(back)


@login_required
@require_POST
def registration_cancel(request, registration_id):
    registration = get_object_or_404(Registration, pk=registration_id, user=request.user)
    back = _safe_next(request, reverse("my_trainings"))
    try:
        service.cancel(registration, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def registration_offer_accept(request, registration_id):
    """POST accepts the offered place. GET (the link in the offer message) opens My trainings at the offer,
    where the Accept and Decline buttons are: a link alone never answers."""
    registration = get_object_or_404(Registration, pk=registration_id, user=request.user)
    if request.method == "GET":
        return redirect(f"{reverse('my_trainings')}#registration-{registration.pk}")
    try:
        waitlist_offers.accept_offer(registration, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You accepted the place: your registration is confirmed."))
    return redirect(_safe_next(request, reverse("my_trainings")))


@login_required
@require_POST
def registration_offer_decline(request, registration_id):
    registration = get_object_or_404(Registration, pk=registration_id, user=request.user)
    try:
        waitlist_offers.decline_offer(registration, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You declined the place; it goes to the next person on the waitlist."))
    return redirect(_safe_next(request, reverse("my_trainings")))


def _link(name, arg=None):
    """The URL of `name` (worked out once per language: `cached_reverse`), None when the URL does not exist."""
    try:
        return cached_reverse(name, arg)
    except NoReverseMatch:
        return None


@dataclass
class Card:
    """What one card of "My trainings" shows, worked out here (the template only writes it out)."""

    pk: int
    title: str
    course_title: str  # under the title when the session has a title of its own
    starts_at: object
    ends_at: object
    place: str
    online: bool
    status: str
    status_display: str
    badge: str
    waitlist_position: int | None
    completed: bool
    note: str
    offer_deadline: object = None  # answer by then (Accept / Decline)
    offer_expired: bool = False
    session_cancelled: bool = False
    session_url: str | None = None
    links: list = field(default_factory=list)  # (url, label)
    cancel_url: str | None = None
    accept_url: str | None = None
    decline_url: str | None = None


_BADGES = {"confirmed": "ok", "waitlisted": "warn", "pending": "warn", "offered": "warn"}
_STATUS_LABELS = dict(RegistrationStatus.choices)


def _card(row, now, scope):
    pk, session_id, status = row["id"], row["session__id"], row["status"]
    course_title = row["course_title"]
    session_title = row["session__title"]
    active = status in ACTIVE_STATUSES
    offered = status == RegistrationStatus.OFFERED
    expires = row["offer_expires_at"]
    card = Card(
        pk=pk,
        title=session_title or course_title,
        course_title=course_title if session_title else "",
        starts_at=row["session__starts_at"],
        ends_at=row["session__ends_at"],
        place=", ".join(filter(None, [row["session__venue__name"], row["session__venue__address"]])),
        online=row["session__format"] == "online",
        status=status,
        status_display=_STATUS_LABELS.get(status, status),
        badge=_BADGES.get(status, ""),
        waitlist_position=row["waitlist_position"],
        completed=row["completed_at"] is not None,
        note=row["decision_note"] if status in ("rejected", "cancelled") else "",
        offer_expired=(
            status == RegistrationStatus.CANCELLED
            and expires is not None
            and row["decided_by_id"] is None
            and row["status_changed_at"] >= expires
        ),
        session_cancelled=row["session__status"] == "cancelled",
        session_url=_link("session_detail", session_id) or _link("my_trainings"),
    )
    if offered and expires is not None and expires > now:
        card.offer_deadline = expires
        card.accept_url = _link("registration_offer_accept", pk)
        card.decline_url = _link("registration_offer_decline", pk)
    links = []
    if active and not offered:
        links.append((_link("session_ical", session_id), _("Add to calendar")))
    if status == RegistrationStatus.CONFIRMED:
        links.append((_link("session_materials", session_id), _("Materials")))
        if row["course_requires_assignment"]:
            links.append((_link("attendance_my_assignment", session_id), _("Assignment")))
        if scope == "past":
            links.append((_link("feedback_form", pk), _("Give feedback")))
    if card.completed:
        links.append((_link("my_certificates"), _("Certificate")))
    card.links = [(url, label) for url, label in links if url]
    if active and row["session__starts_at"] > now and card.accept_url is None:
        card.cancel_url = _link("registration_cancel", pk)
    return card


@login_required
def my_trainings(request):
    """The signed-in person's trainings: one query a page (`courses.services.my_registrations`), links worked out
    once per language, cards built here."""
    now = timezone.now()
    scope = request.GET.get("show") if request.GET.get("show") in ("upcoming", "past") else "upcoming"
    upcoming = scope == "upcoming"
    if request.GET.get("page", "1") == "1":  # with its total, in SQL compiled once: no COUNT query
        rows = CountedRows(*my_registrations.trainings_first_page(request.user.pk, now, upcoming, PAGE_SIZE))
    else:
        rows = my_registrations.trainings_queryset(request.user.pk, now, upcoming)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [_card(row, now, scope) for row in page.object_list]
    return render(
        request,
        "courses/registration/my_trainings.html",
        {
            "page": page,
            "registrations": cards,
            "scope": scope,
            "now": now,
            # A municipality's head or HR officer finds their staff, nominations and approvals from here.
            "officer": roles.municipality_officer(request.user),
            "transcript_url": _link("my_transcript"),
            "catalogue_url": _link("course_catalogue"),
        },
    )
