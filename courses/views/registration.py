"""Public pages of the registration area: register, cancel, "My trainings"."""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from academy import roles
from academy.errors import DomainError
from courses.models import Registration, RegistrationSource, RegistrationStatus, Session
from courses.pagination import first_page
from courses.services import registration as service
from courses.services import waitlist_offers

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


@login_required
def my_trainings(request):
    now = timezone.now()
    scope = request.GET.get("show") if request.GET.get("show") in ("upcoming", "past") else "upcoming"
    registrations = (
        Registration.objects.of(request.user)
        # The course is a Wagtail page (wide rows, costly to build): only the two values the cards show.
        .select_related("session__venue")
        .annotate(
            course_title=F("session__course__title"),
            course_requires_assignment=F("session__course__requires_assignment"),
        )
        .with_waitlist_position()
    )
    if scope == "upcoming":
        registrations = registrations.filter(session__ends_at__gte=now).order_by("session__starts_at", "pk")
    else:
        registrations = registrations.filter(session__ends_at__lt=now).order_by("-session__starts_at", "-pk")
    if request.GET.get("page", "1") == "1":
        registrations = first_page(registrations, PAGE_SIZE)  # with its total: no COUNT query
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # The template shows the course's title in the page's language: the titles alone, in one query.
    titles = service.localized_course_titles(row.session.course_id for row in rows)
    for row in rows:
        row.session.localized_course = SimpleNamespace(
            title=titles.get(row.session.course_id, row.course_title)
        )
        row.can_cancel = row.is_active and row.session.starts_at > now
        row.can_answer_offer = row.is_offered and row.offer_expires_at is not None and row.offer_expires_at > now
        row.session_url = session_url(row.session)
    return render(
        request,
        "courses/registration/my_trainings.html",
        {
            "page": page,
            "registrations": rows,
            "scope": scope,
            "now": now,
            # A municipality's head or HR officer finds their staff, nominations and approvals from here.
            "officer": roles.municipality_officer(request.user),
        },
    )
