"""Demo budgets (issue 19.4), run by reports/demo.py: cost lines for the Batken training and the other past
demo sessions, in the amounts the academy's budgets use (idempotent: a session that has lines is left alone).

Per session: the venue at 15,000–30,000 KGS a day, each trainer's fee at 5,000–8,000 KGS a day, per diem of
1,500 KGS per participant per day, travel from the participants' municipalities to the venue (more the
farther they come) and 350 KGS of printed materials per participant. One session of the reports demo is
left without lines, as happens in practice: the report lists it as "no costs entered".
"""

from decimal import Decimal

from django.db.models import Count, Q

from courses.demo.catalogue import SESSIONS as CATALOGUE_SESSIONS
from courses.models import CostKind, RegistrationStatus, Session, SessionCost

PER_DIEM = 1_500
MATERIALS = 350
VENUE_PER_DAY = [18_000, 25_000, 15_000, 30_000, 22_000, 20_000, 27_000]
TRAINER_PER_DAY = [6_000, 8_000, 5_000, 7_000, 6_500]
#: Travel of one participant, round trip: same municipality, same district, same oblast, elsewhere.
TRAVEL = {"municipality": 0, "district": 600, "region": 1_400, "elsewhere": 3_000}
#: Where the venue is unknown (an online or reports-only demo session): a typical trip inside an oblast.
TRAVEL_UNKNOWN_VENUE = 1_000
#: Past catalogue sessions given a budget (the Batken training first).
CATALOGUE_KEYS = ("batken_past", "budget_past", "planning_past", "monitoring_past")


def _days(session):
    start, end = session.starts_at.date(), session.ends_at.date()
    return max(1, (end - start).days + 1)


def _travel(session, participants):
    venue = session.venue.municipality if session.venue_id else None
    total = 0
    for registration in participants:
        profile = getattr(registration.user, "profile", None)
        home = profile.municipality if profile is not None else None
        if venue is None or home is None:
            total += TRAVEL_UNKNOWN_VENUE
        elif home.pk == venue.pk:
            total += TRAVEL["municipality"]
        elif home.district_id == venue.district_id:
            total += TRAVEL["district"]
        elif home.district.region_id == venue.district.region_id:
            total += TRAVEL["region"]
        else:
            total += TRAVEL["elsewhere"]
    return total


def budget_lines(session, index):
    """The budget lines of one session: [(kind, amount, note)]."""
    days = _days(session)
    participants = list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related(
            "user__profile__municipality__district"
        )
    )
    trainers = max(1, session.trainers.count())
    venue_rate, trainer_rate = VENUE_PER_DAY[index % len(VENUE_PER_DAY)], TRAINER_PER_DAY[index % len(TRAINER_PER_DAY)]
    lines = [
        (CostKind.VENUE, venue_rate * days, f"{days} × {venue_rate:,}".replace(",", " ")),
        (
            CostKind.TRAINER_FEES,
            trainer_rate * days * trainers,
            f"{trainers} × {days} × {trainer_rate:,}".replace(",", " "),
        ),
    ]
    if participants:
        count = len(participants)
        lines += [
            (CostKind.PER_DIEM, PER_DIEM * count * days, f"{count} × {days} × {PER_DIEM:,}".replace(",", " ")),
            (CostKind.TRAVEL, _travel(session, participants), ""),
            (CostKind.MATERIALS, MATERIALS * count, f"{count} × {MATERIALS}"),
        ]
    return [(kind, Decimal(amount), note) for kind, amount, note in lines if amount]


def _sessions(context, report_sessions):
    chosen = []
    known = context.get("sessions") if isinstance(context.get("sessions"), dict) else {}
    titles = {spec[0]: spec[2] for spec in CATALOGUE_SESSIONS}
    for key in CATALOGUE_KEYS:
        session = known.get(key) or Session.objects.filter(title=titles.get(key, "")).order_by("pk").first()
        if session is not None:
            chosen.append(session)
    # Every reports demo session but the newest: that one has no costs entered yet.
    chosen += list(report_sessions)[:-1]
    unique = {}
    for session in chosen:
        unique.setdefault(session.pk, session)
    return list(unique.values())


def seed(context, report_sessions=()):
    """Budget lines for the chosen past sessions that have none yet; returns how many lines were made."""
    sessions = _sessions(context, report_sessions)
    with_lines = set(
        Session.objects.filter(pk__in=[session.pk for session in sessions])
        .annotate(lines=Count("costs"))
        .filter(~Q(lines=0))
        .values_list("pk", flat=True)
    )
    made = []
    for index, session in enumerate(sessions):
        if session.pk in with_lines:
            continue
        session = Session.objects.select_related("venue__municipality__district").get(pk=session.pk)
        made += [
            SessionCost(session=session, kind=kind, amount=amount, note=note, sort_order=order)
            for order, (kind, amount, note) in enumerate(budget_lines(session, index))
        ]
    SessionCost.objects.bulk_create(made)
    return len(made)
