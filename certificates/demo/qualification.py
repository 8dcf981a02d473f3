"""Demo qualification records (idempotent): external and past trainings, so the demo shows every cycle status.

Runs after the demo certificates (ORDER 60). Titles and providers are plausible, not from the seeds; dates
are counted back from the day the demo is first seeded:

* Nurbek Mamatov (the README's participant, a head of an ayil okmotu) gets two past trainings beside his
  academy trainings, so "My qualification record" and his transcript have something from elsewhere;
* a municipal servant trained 80 hours ten months ago: up to date;
* a person whose hours stop counting in 45 days: due soon;
* a person whose only training is four years old: overdue.

The last two are the first demo participants whose academy trainings alone fall short of their rule (the
academy hours of the last three years, newer than the 80 hours, stay under it: so the 80 hours decide),
so their status is what is written here. Cholpon Sadykova (Suu-Bashy) comes first, so Batken District
shows all three statuses; its Samarkandek and Ak-Sai have nobody on record, so no one trained there in
three years (the qualification report's demo). A person who already has demo trainings is left alone: a
second run adds nothing.
"""

from datetime import timedelta

from django.utils import timezone

from academy.models import User
from certificates.models import ExternalTraining, ExternalTrainingSource
from certificates.services import hours_ledger
from certificates.services.qualification_cycle import add_years, cycle_state, rule_for

ORDER = 65

UNION = "Жергиликтүү өз алдынча башкаруу органдарынын союзу"
PERSONNEL = "Мамлекеттик кадр кызматы"
DPI = "Өнүктүрүү саясат институту"

# (title, provider, days it lasted, hours)
BUDGET = ("Жергиликтүү бюджетти пландоо жана аткаруу", UNION, 5, 40)
PROPERTY = ("Муниципалдык менчикти башкаруу", PERSONNEL, 3, 24)
HEARINGS = ("Коомдук угуулар жана жарандардын катышуусу", DPI, 2, 16)
SERVICE = ("Муниципалдык кызматтын негиздери", PERSONNEL, 10, 80)
GENDER = ("Гендердик бюджеттөө", DPI, 1, 8)

NURBEK = "nurbek.mamatov@example.org"
UP_TO_DATE = "gulnara.tashieva@example.org"
# Candidates for "due soon" and "overdue": the first ones without completed academy trainings are used.
CANDIDATES = [
    "cholpon.sadykova@example.org",
    "nazgul.abdraimova@example.org",
    "dastan.bekmuratov@example.org",
    "tilek.asanov@example.org",
    "saltanat.kubatbekova@example.org",
    "nuriza.mamytova@example.org",
    "askal.argynbaev@example.org",
]


def _add(user, training, ends_on, admin):
    title, provider, days, hours = training
    ExternalTraining.objects.get_or_create(
        user=user,
        title=title,
        starts_on=ends_on - timedelta(days=days - 1),
        ends_on=ends_on,
        defaults={"provider": provider, "hours": hours, "source": ExternalTrainingSource.DEMO, "created_by": admin},
    )


def _short_of_hours(user, today, rules):
    """Whether `user`'s academy trainings alone leave them short of their rule today. Only those count, not
    the external trainings added here, so a second run picks the same people."""
    profile = hours_ledger.profile_of(user)
    rule = rule_for(profile.position if profile else "", rules)
    state = cycle_state(hours_ledger.credits(hours_ledger.academy_entries(user, names={})), rule, today)
    return state.hours_in_cycle < state.min_hours


def seed(context):
    today = timezone.localtime(context.get("now") or timezone.now()).date()
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    people = {user.email: user for user in User.objects.filter(email__in=[NURBEK, UP_TO_DATE, *CANDIDATES])}
    seeded = set(
        ExternalTraining.objects.filter(source=ExternalTrainingSource.DEMO).values_list("user__email", flat=True)
    )
    rules = hours_ledger.rules()
    free = [people[email] for email in CANDIDATES if email in people and _short_of_hours(people[email], today, rules)]
    plan = []
    if NURBEK in people:
        plan.append((people[NURBEK], [(PROPERTY, today - timedelta(days=420)), (HEARINGS, add_years(today, -4))]))
    if UP_TO_DATE in people:
        plan.append((people[UP_TO_DATE], [(SERVICE, today - timedelta(days=300)), (GENDER, add_years(today, -5))]))
    if free:  # due soon: the 80 hours that meet the rule stop counting 45 days from now
        plan.append((free[0], [(BUDGET, add_years(today, -4)), (SERVICE, add_years(today, -3) + timedelta(days=45))]))
    if len(free) > 1:  # overdue: trained once, four years ago
        plan.append((free[1], [(PROPERTY, add_years(today, -4))]))

    added = 0
    for user, trainings in plan:
        if user.email in seeded:
            continue
        for training, ends_on in trainings:
            _add(user, training, ends_on, admin)
            added += 1
    statuses = []
    for user, _trainings in plan:
        record = hours_ledger.record(user, today)
        statuses.append(f"{user.email.split('@')[0]}: {record.state.status}")
    return f"{added} external trainings; " + ", ".join(statuses)
