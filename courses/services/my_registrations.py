"""What a participant's own lists read ("my registrations" in the API, "My trainings"): one query a page.

Each row carries the registration, its waitlist position, its session (and venue) and the course's title in
the active language (the live translation in that language, else the course page's own title; the same
choice as `registration.localized_course_titles`). The first page, which is what people open, also carries
the total (a window COUNT) and runs SQL compiled once per process (`academy.prepared`): on these paths the
ORM's compiling cost more than the query.
"""

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import translation

from academy.prepared import Prepared
from courses.models import Registration

REGISTRATION_FIELDS = [
    "id",
    "status",
    "source",
    "created_at",
    "status_changed_at",
    "decided_by_id",
    "decision_note",
    "completed_at",
    "offer_expires_at",
]
SESSION_FIELDS = ["id", "course_id", "title", "starts_at", "ends_at", "status", "format", "language"]
VENUE_FIELDS = ["venue_id", "venue__name", "venue__address"]
NEWEST_FIRST = ("-session__starts_at", "-pk")
SOONEST_FIRST = ("session__starts_at", "pk")


def content_language():
    """The active language as Wagtail's content locales name it (the default language otherwise)."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def localized_course_title(language):
    """An expression on registrations: the course's title in `language` (a value or a sentinel)."""
    from wagtail.models import Page

    translated = Page.objects.filter(
        translation_key=OuterRef("session__course__translation_key"), locale__language_code=language, live=True
    ).values("title")[:1]
    return Coalesce(Subquery(translated), F("session__course__title"))


def _rows(queryset, language, *, venue=False, total=False):
    fields = [*REGISTRATION_FIELDS, *(f"session__{name}" for name in SESSION_FIELDS)]
    if venue:
        fields += [f"session__{name}" for name in VENUE_FIELDS] + ["course_requires_assignment"]
        queryset = queryset.annotate(course_requires_assignment=F("session__course__requires_assignment"))
    if total:
        queryset = queryset.annotate(rows_in_total=Window(Count("pk")))
        fields.append("rows_in_total")
    return (
        queryset.with_waitlist_position()
        .annotate(course_title=localized_course_title(language))
        .values(*fields, "waitlist_position", "course_title")
    )


# --- the API: GET /api/v1/me/registrations/ --------------------------------------------------------------------


def api_queryset(user_id, status=None, language=None):
    """The person's registrations as rows (dicts), newest session first; `status` filters."""
    queryset = Registration.objects.filter(user_id=user_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    return _rows(queryset.order_by(*NEWEST_FIRST), language or content_language())


@lru_cache(maxsize=64)
def _api_first_page(size, filtered):
    def build(user, language, status=None):
        queryset = Registration.objects.filter(user_id=user)
        if filtered:
            queryset = queryset.filter(status=status)
        return _rows(queryset.order_by(*NEWEST_FIRST), language, total=True)[:size]

    kinds = {"user": int, "language": str, **({"status": str} if filtered else {})}
    return Prepared(build, **kinds)


def api_first_page(user_id, size, status=None):
    """(rows of the first page, total) in one query."""
    values = {"user": user_id, "language": content_language(), **({"status": status} if status else {})}
    rows = _api_first_page(size, bool(status)).rows(**values)
    return rows, rows[0]["rows_in_total"] if rows else 0


# --- "My trainings" ---------------------------------------------------------------------------------------------


def trainings_queryset(user_id, now, upcoming, language=None, *, total=False):
    """Upcoming trainings (ending now or later), soonest first; or past ones, latest first. With the venue."""
    queryset = Registration.objects.filter(user_id=user_id)
    if upcoming:
        queryset = queryset.filter(session__ends_at__gte=now).order_by(*SOONEST_FIRST)
    else:
        queryset = queryset.filter(session__ends_at__lt=now).order_by(*NEWEST_FIRST)
    return _rows(queryset, language or content_language(), venue=True, total=total)


@lru_cache(maxsize=4)
def _trainings_first_page(size, upcoming):
    def build(user, now, language):
        return trainings_queryset(user, now, upcoming, language, total=True)[:size]

    return Prepared(build, user=int, now=datetime, language=str)


def trainings_first_page(user_id, now, upcoming, size):
    rows = _trainings_first_page(size, upcoming).rows(user=user_id, now=now, language=content_language())
    return rows, rows[0]["rows_in_total"] if rows else 0
