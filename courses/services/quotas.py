"""Seat quotas: seats of a session kept for the people of an oblast or a municipality.

Some 450 municipalities share the academy's sessions; a session can keep, say, 3 seats for each of
five municipalities and 10 for an oblast (`SessionQuota`). While the quotas hold (until the session's
`quota_release_at`, set by the organiser; empty: until the session starts):

* every seat-holding registration (confirmed or offered) counts against one *bucket*: its person's
  municipality's quota when the session has one, else their oblast's quota, else the open seats
  (capacity minus the sum of the quotas);
* a seat is granted only while the person's bucket has room, and never beyond the capacity: the
  quotas only ever narrow what the capacity allows, so they cannot overbook the session;
* a person whose bucket is full is waitlisted (with the reason); the waitlist is served in order, but
  people whose bucket is full are passed over until it has room or the quotas are released.

From `quota_release_at` the quotas no longer limit anybody: every free seat is open to all, and the
waitlist promotion (its periodic catch-up task included) fills them in waitlist order.

Every function here runs inside the registration service's transaction, after the session row is
locked (`courses.services.registration._lock_session`), so the counts cannot change underneath. The
locked session carries `has_quotas` (an EXISTS in the locking query), so a session without quotas costs
no extra query.
"""

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError
from academy.formats import format_date
from academy.models import Profile
from courses.models import SEAT_STATUSES, Registration, SessionQuota

OPEN = ("open", None)  # the bucket of people no quota covers


def with_quota_flag(queryset):
    """Annotate `has_quotas` on sessions (used by the locking query)."""
    return queryset.annotate(has_quotas=Exists(SessionQuota.objects.filter(session=OuterRef("pk"))))


def has_quotas(session):
    flag = getattr(session, "has_quotas", None)
    if flag is None:
        flag = session.quotas.exists() if session.pk else False
    return flag


def released(session, now=None):
    return session.quota_release_at is not None and (now or timezone.now()) >= session.quota_release_at


def quotas_hold(session, now=None):
    """True while the quotas of `session` limit who takes a seat."""
    return not released(session, now) and has_quotas(session)


def bucket_of(municipality_id, region_id, limits):
    """The bucket a person of this municipality/oblast counts against, among the session's `limits`."""
    if municipality_id is not None and ("municipality", municipality_id) in limits:
        return ("municipality", municipality_id)
    if region_id is not None and ("region", region_id) in limits:
        return ("region", region_id)
    return OPEN


def places_of(user_ids):
    """{user id: (municipality id, oblast id)} from their profiles, in one query."""
    rows = Profile.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "municipality_id", "municipality__district__region_id"
    )
    return {user_id: (municipality_id, region_id) for user_id, municipality_id, region_id in rows}


class SeatBook:
    """The seats of one locked session: how many are free overall and, while quotas hold, in each bucket.

    `take(user_id)` grants a seat when there is one for that person and counts it; built once per
    transaction step (an approval of several people, a waitlist pass), it keeps its own count.
    """

    def __init__(self, session, now, free):
        self.session = session
        self.free = max(free, 0)
        self.holds = quotas_hold(session, now)
        self.limits = {}
        self.used = {}
        self.quotas = {}
        self._places = {}
        self._loaded = False

    def _load(self):
        # Lazily: a session that is full, or without quotas, reads nothing more.
        if self._loaded:
            return
        self._loaded = True
        quotas = list(self.session.quotas.select_related("region", "municipality"))
        for quota in quotas:
            key = ("municipality", quota.municipality_id) if quota.municipality_id else ("region", quota.region_id)
            self.limits[key] = quota.seats
            self.quotas[key] = quota
        self.limits[OPEN] = max(self.session.capacity - sum(quota.seats for quota in quotas), 0)
        rows = Registration.objects.filter(session=self.session, status__in=SEAT_STATUSES).values_list(
            "user__profile__municipality_id", "user__profile__municipality__district__region_id"
        )
        for municipality_id, region_id in rows:
            key = bucket_of(municipality_id, region_id, self.limits)
            self.used[key] = self.used.get(key, 0) + 1

    def know(self, user_ids):
        """Read the places of these people at once (otherwise `take` reads them one by one)."""
        if self.holds:
            self._load()
            missing = [user_id for user_id in user_ids if user_id not in self._places]
            if missing:
                self._places.update(places_of(missing))

    def bucket_for(self, user_id):
        self._load()
        if user_id not in self._places:
            self.know([user_id])
        municipality_id, region_id = self._places.get(user_id, (None, None))
        return bucket_of(municipality_id, region_id, self.limits)

    def room_for(self, user_id):
        """Seats this person may take now."""
        if not self.holds:
            return self.free
        key = self.bucket_for(user_id)
        return max(min(self.free, self.limits[key] - self.used.get(key, 0)), 0)

    def take(self, user_id):
        if self.room_for(user_id) <= 0:
            return False
        self.free -= 1
        if self.holds:
            key = self.bucket_for(user_id)
            self.used[key] = self.used.get(key, 0) + 1
        return True

    def full_reason(self, user_id):
        """Why this person waits although seats are free: their quota is used up (empty otherwise)."""
        if not self.holds or self.free <= 0 or self.room_for(user_id) > 0:
            return ""
        key = self.bucket_for(user_id)
        if key == OPEN:
            message = _("The seats of this session that are open to everyone are taken; you are on the waitlist.")
        else:
            quota = self.quotas[key]
            message = _("The seats kept for %(place)s in this session are taken; you are on the waitlist.") % {
                "place": quota.municipality or quota.region
            }
        if self.session.quota_release_at:
            message += " " + _("Seats that the quotas leave unused open to everyone on %(date)s.") % {
                "date": format_date(self.session.quota_release_at, "datetime")
            }
        return message


def first_waiting(session, count, now):
    """The first people on the waitlist of the locked `session` who may take one of `count` free seats."""
    waitlist = session.registrations.waitlist().select_related("user")
    if not quotas_hold(session, now):
        return list(waitlist[:count])
    book = SeatBook(session, now, count)
    waiting = list(waitlist)
    book.know([registration.user_id for registration in waiting])
    chosen = []
    for registration in waiting:
        if book.free <= 0:
            break
        if book.take(registration.user_id):
            chosen.append(registration)
    return chosen


# --- what organisers set ----------------------------------------------------------------------------


def check_quotas(capacity, quotas):
    """Raise a DomainError when the quotas (iterable of (region, municipality, seats)) do not fit the session."""
    total = 0
    seen = set()
    for region, municipality, seats in quotas:
        if (region is None) == (municipality is None):
            raise DomainError(
                _("Choose either an oblast or a municipality for each quota, not both."), code="quota_place"
            )
        if not seats or seats < 1:
            raise DomainError(_("A quota keeps at least one seat."), field="seats", code="quota_seats")
        key = ("region", region.pk) if region is not None else ("municipality", municipality.pk)
        if key in seen:
            raise DomainError(
                _("%(place)s has two quotas in this session; keep one.") % {"place": region or municipality},
                code="quota_duplicate",
            )
        seen.add(key)
        total += seats
    if capacity is not None and total > capacity:
        raise DomainError(
            _("The quotas keep %(total)s seats, more than the session's capacity of %(capacity)s.")
            % {"total": total, "capacity": capacity},
            field="capacity",
            code="quota_over_capacity",
        )
    return total


def quota_summary(session, now=None):
    """Per quota: the place, its seats and how many are taken; plus the open seats. For the admin and officers."""
    now = now or timezone.now()
    quotas = list(session.quotas.select_related("region", "municipality"))
    if not quotas:
        return []
    book = SeatBook(session, now, 0)
    book._load()
    rows = [
        {"place": str(quota.municipality or quota.region), "seats": quota.seats, "taken": book.used.get(key, 0)}
        for key, quota in book.quotas.items()
    ]
    rows.append({"place": _("Open to everyone"), "seats": book.limits[OPEN], "taken": book.used.get(OPEN, 0)})
    return rows


def total_quota_seats(session):
    return session.quotas.aggregate(total=Sum("seats"))["total"] or 0
