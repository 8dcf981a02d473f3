"""Public pages of the catalogue: session page, session list, calendars, and the catalogue link."""

from datetime import timedelta
from itertools import groupby

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from academy.roles import TRAINERS
from courses import ical
from courses.filters import SessionFilter
from courses.models import AgendaItem, CourseIndexPage, Session
from courses.permissions import can_manage_session
from courses.services.catalogue import attach_localized_courses
from courses.services.public_pages import cached_catalogue_page

SESSIONS_PER_PAGE = 20
TRAINER_FEED_DAYS_BACK = 365


def course_catalogue(request):
    """The catalogue in the active language (base.html links here)."""
    language = (get_language() or "")[:2]
    index = (
        CourseIndexPage.objects.live().filter(locale__language_code=language).first()
        or CourseIndexPage.objects.live().order_by("pk").first()
    )
    if index is None:
        raise Http404(_("The course catalogue is not set up yet."))
    return redirect(index.get_url(request))


def _visible_session(request, pk):
    sessions = Session.objects.visible_to(request.user).with_seats().for_listing()
    session = get_object_or_404(sessions, pk=pk)
    attach_localized_courses([session])
    return session


def _agenda(session):
    return list(session.agenda_items.select_related("trainer__profile").order_by("day", "starts_at", "sort_order"))


@cached_catalogue_page
def session_detail(request, pk):
    session = _visible_session(request, pk)
    agenda = _agenda(session)
    trainers = [
        {"user": trainer, "profile": getattr(trainer, "trainer_profile", None)} for trainer in session.trainers.all()
    ]
    can_manage = request.user.is_authenticated and can_manage_session(request.user, session)
    context = {
        "session": session,
        "course": session.localized_course,
        "agenda_days": [(day, list(items)) for day, items in groupby(agenda, key=lambda item: item.day)],
        "trainers": trainers,
        "seats_left": session.seats_left,
        "can_manage": can_manage,
        "edit_url": reverse("wagtailsnippets_courses_session:edit", args=[session.pk]) if can_manage else "",
        "is_upcoming": session.ends_at >= timezone.now(),
    }
    return render(request, "courses/catalogue/session_detail.html", context)


@cached_catalogue_page
def session_list(request):
    """Upcoming sessions with filters; a fixed number of queries whatever the number of rows."""
    sessions = Session.objects.upcoming().with_seats().for_listing().order_by("starts_at", "pk")
    filterset = SessionFilter(request.GET or None, queryset=sessions, request=request)
    for name in ("status", "trainer", "starts_after", "starts_before"):
        filterset.filters.pop(name)
    page = Paginator(filterset.qs, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    attach_localized_courses(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "courses/catalogue/session_list.html",
        {"filter": filterset, "sessions": page, "filter_querystring": params.urlencode(), "has_filters": bool(params)},
    )


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def session_ical(request, pk):
    session = _visible_session(request, pk)
    body = ical.calendar(ical.summary(session), ical.session_events(session, _agenda(session)))
    return _ics_response(body, f"session-{session.pk}.ics")


def trainer_ical(request, pk):
    """A trainer's public schedule (published sessions of the past year and the future) as a feed."""
    trainer = get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk, groups__name=TRAINERS)
    taught = Session.trainers.through.objects.filter(user_id=trainer.pk).values("session_id")
    agenda = AgendaItem.objects.order_by("day", "starts_at", "sort_order")
    sessions = list(
        Session.objects.published()
        .filter(pk__in=taught, ends_at__gte=timezone.now() - timedelta(days=TRAINER_FEED_DAYS_BACK))
        .for_listing()
        .prefetch_related(Prefetch("agenda_items", queryset=agenda))
        .order_by("starts_at", "pk")[:500]
    )
    attach_localized_courses(sessions)
    events = [event for session in sessions for event in ical.session_events(session, session.agenda_items.all())]
    body = ical.calendar(_("Schedule of %(name)s") % {"name": trainer.display_name}, events)
    return _ics_response(body, f"trainer-{trainer.pk}.ics")
