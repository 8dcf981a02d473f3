"""Demo registrations for the upcoming demo sessions (idempotent).

Through the registration service, like real people: the smallest open session is filled and
gets a waitlist; the session that needs approval gets pending registrations (two already
approved by its trainer), and one more place offered to the first person waiting, who has 48 hours to
accept it; the other open sessions get a few confirmed registrations and one registration cancelled
by its owner. Past sessions are left to the attendance step, which
registers the people it marks present. No e-mail is sent. Running it again creates nothing.
"""

from django.db.models import F

from academy.errors import DomainError
from academy.models import User
from academy.roles import PARTICIPANTS
from courses.models import Registration, RegistrationSource, RegistrationStatus, Session, SessionStatus
from courses.services import registration as service
from courses.services import waitlist_offers

ORDER = 40
WAITLIST = 4
PER_SESSION = 6
PENDING = 5
APPROVED = 2
OFFER_HOURS = 48


def _sessions(context, now):
    sessions = context.get("sessions")
    if isinstance(sessions, dict):
        sessions = list(sessions.values())
    if not sessions:
        sessions = Session.objects.all()
    return sorted(
        (
            session
            for session in sessions
            if session.status == SessionStatus.OPEN
            and Session.objects.open_for_registration(now).filter(pk=session.pk).exists()
        ),
        key=lambda session: (session.starts_at, session.pk),
    )


def _participants(context):
    people = list(context.get("participants") or [])
    if not people:
        people = list(User.objects.filter(groups__name=PARTICIPANTS).order_by("email"))
    return people


def _register(session, people, limit, counts, *, offset=0):
    """Register up to `limit` eligible people who are not registered yet, starting at `offset` in the list."""
    taken = set(Registration.objects.filter(session=session).values_list("user_id", flat=True))
    done = len(taken)
    rotated = people[offset % len(people) :] + people[: offset % len(people)] if people else []
    made = []
    for person in rotated:
        if done >= limit:
            break
        if person.pk in taken:
            continue
        try:
            made.append(service.register(session, person, source=RegistrationSource.WEB, notify=False))
        except DomainError:
            continue
        done += 1
        counts["created"] += 1
    return made


def seed(context):
    now = context["now"]
    people = _participants(context)
    sessions = _sessions(context, now)
    if not people or not sessions:
        return "no open sessions or participants"
    counts = {"created": 0}
    approval = [session for session in sessions if session.requires_approval]
    plain = [session for session in sessions if not session.requires_approval]
    full = min(plain, key=lambda session: (session.capacity, session.starts_at)) if plain else None
    summary = []
    if full is not None:
        if not full.registrations.offered().exists():  # once offered, the seat added for it would take one more
            _register(full, people, full.capacity + WAITLIST, counts)
        _offer_a_place(full, now)
        waitlisted = full.registrations.filter(status="waitlisted").count()
        summary.append(f"full session {full.pk} with {waitlisted} waitlisted and one place offered")
    for session in approval[:1]:
        made = _register(session, people, PENDING + APPROVED, counts)
        trainer = session.trainers.first()
        if made and trainer is not None:
            service.approve(session, [registration.pk for registration in made[:APPROVED]], actor=trainer, notify=False)
        summary.append(f"approval session {session.pk} with {session.registrations.pending().count()} pending")
    for index, session in enumerate(session for session in plain if session != full):
        made = _register(session, people, PER_SESSION, counts, offset=7 * (index + 1))
        if made:
            service.cancel(made[-1], actor=made[-1].user, notify=False)
    context["registrations"] = list(Registration.objects.filter(session__in=sessions).order_by("pk"))
    return f"{counts['created']} new registrations; " + "; ".join(summary)


def _offer_a_place(session, now):
    """One seat more, offered to the first person waiting: written directly, so that no message is sent."""
    first = session.registrations.waitlist().first()
    if first is None or session.registrations.offered().exists():
        return
    Session.objects.filter(pk=session.pk).update(capacity=F("capacity") + 1, waitlist_offer_hours=OFFER_HOURS)
    session.refresh_from_db()
    Registration.objects.filter(pk=first.pk).update(
        status=RegistrationStatus.OFFERED,
        status_changed_at=now,
        offer_expires_at=waitlist_offers.offer_deadline(session, now),
    )
