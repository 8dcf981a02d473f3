"""Demo nomination by a municipality (idempotent): Kyshtut's HR officer, a session with seat quotas.

The officer (`kyshtut.kadr@example.org`, the demo password) speaks for the people of Kyshtut ayil
aimagy. One open upcoming session gets seat quotas (Kyshtut, Suu-Bashy, the rest of Batken oblast),
released to everyone a week before it starts, and asks for the municipality's approval of
self-registrations: the officer has nominated two of their people, and a third registered themself and
awaits the officer's approval. Through the services, like real people; no message is sent.
"""

from datetime import timedelta

from django.contrib.auth.models import Group

from academy.demo import DEMO_PASSWORD
from academy.errors import DomainError
from academy.models import Municipality, MunicipalityOfficer, Organization, Profile, Region, User
from academy.roles import PARTICIPANTS
from courses.models import Registration, Session, SessionQuota, SessionStatus
from courses.services import nominations, quotas
from courses.services import registration as service

ORDER = 42  # after the demo registrations (40): their sessions are filled first
OFFICER_EMAIL = "kyshtut.kadr@example.org"


def _officer(kyshtut, now):
    user = User.objects.filter(email=OFFICER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=OFFICER_EMAIL, password=DEMO_PASSWORD)
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "full_name": "Чолпон Абдырахманова",
            "full_name_latin": "Cholpon Abdyrakhmanova",
            "gender": "female",
            "year_of_birth": 1984,
            "position": "Кадрлар боюнча адис",
            "organization": Organization.objects.filter(municipality=kyshtut, kind="ayil_okmotu").first(),
            "organization_kind": "ayil_okmotu",
            "municipality": kyshtut,
            "preferred_language": "ky",
            "consent_given_at": now,
            "consent_version": "2026-01",
        },
    )
    user.groups.add(Group.objects.get_or_create(name=PARTICIPANTS)[0])
    MunicipalityOfficer.objects.get_or_create(user=user, defaults={"municipality": kyshtut, "role": "hr"})
    return user


def _session(now):
    """The open upcoming session with the most seats that asks no academy approval and has nobody waiting."""
    candidates = [
        session
        for session in Session.objects.open_for_registration(now).filter(requires_approval=False).order_by("pk")
        if not session.registrations.filter(status__in=["waitlisted", "offered"]).exists()
    ]
    return max(candidates, key=lambda session: (session.capacity, -session.pk), default=None)


def _bucket_counts(session, *places):
    taken = session.registrations.holding_seats()
    return [taken.filter(**{f"user__profile__{field}": place}).count() for field, place in places]


def seed(context):
    now = context["now"]
    kyshtut = Municipality.objects.filter(code="kyshtut").first()
    suu_bashy = Municipality.objects.filter(code="suu_bashy").first()
    batken = Region.objects.filter(code="batken").first()
    if kyshtut is None or suu_bashy is None or batken is None:
        return "no Batken municipalities"
    officer = _officer(kyshtut, now)
    session = Session.objects.filter(quotas__municipality=kyshtut, status=SessionStatus.OPEN).first() or _session(now)
    if session is None:
        return f"officer {OFFICER_EMAIL}; no open session for quotas"
    if not session.quotas.exists():
        in_kyshtut, in_suu_bashy = _bucket_counts(session, ("municipality", kyshtut), ("municipality", suu_bashy))
        rows = [(None, kyshtut, max(4, in_kyshtut + 3)), (None, suu_bashy, max(3, in_suu_bashy + 1))]
        room = session.capacity - sum(seats for _, _, seats in rows) - 2
        if room >= 3:
            rows.append((batken, None, min(8, room)))
        quotas.check_quotas(session.capacity, rows)
        for region, municipality, seats in rows:
            SessionQuota.objects.create(session=session, region=region, municipality=municipality, seats=seats)
        release = session.starts_at - timedelta(days=7)
        session.quota_release_at = release if release > now else session.starts_at - timedelta(hours=12)
        session.requires_municipality_approval = True
        session.save(update_fields=["quota_release_at", "requires_municipality_approval"])
    registered = set(Registration.objects.filter(session=session).values_list("user_id", flat=True))
    staff = [
        profile.user
        for profile in nominations.staff_profiles(officer.municipality_officer)
        if profile.user_id != officer.pk and profile.user_id not in registered
    ]
    made = 0
    already = session.registrations.filter(source="nomination").count()
    for person in staff[: max(0, 2 - already)]:
        try:
            nominations.nominate(session, person.pk, actor=officer, notify=False, now=now)
            made += 1
        except DomainError:
            continue
    if not session.registrations.filter(status="pending", user__profile__municipality=kyshtut).exists():
        for person in staff[2:]:
            try:
                service.register(session, person, notify=False, now=now)
                break
            except DomainError:
                continue
    pending = session.registrations.filter(status="pending").count()
    return f"officer {OFFICER_EMAIL}; session {session.pk} with quotas, {made} nominated, {pending} awaiting approval"
