"""The staff list of a municipality's officer: each person's qualification standing, read in bulk.

The same rules as one person's record (certificates/services/hours_ledger.py): completed registrations
credit their course's hours on the completion date, external trainings on their end date, and the
qualification cycle rule of the person's role group decides where they stand. Here only the figures
are read (no titles, no certificates), for everybody at once: a fixed number of queries, whatever the
size of the municipality.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from certificates.models import ExternalTraining
from certificates.services.hours_ledger import rules as cycle_rules
from certificates.services.qualification_cycle import Credit, cycle_state, rule_for
from courses.models import Registration
from courses.services import nominations


@dataclass
class StaffRecord:
    profile: object
    state: object
    trainings: int  # academy and external trainings on the record
    last_trained_on: date | None
    upcoming: int  # active registrations for sessions that have not ended

    @property
    def user_id(self):
        return self.profile.user_id

    def as_dict(self):
        return {
            "id": self.profile.user_id,
            "full_name": self.profile.full_name,
            "position": self.profile.position,
            "organization": self.profile.organization.name if self.profile.organization_id else "",
            "trainings": self.trainings,
            "last_trained_on": self.last_trained_on.isoformat() if self.last_trained_on else None,
            "upcoming_registrations": self.upcoming,
            "qualification": self.state.as_dict(),
        }


def staff_records(officer, today=None, now=None):
    """StaffRecord of every person of the officer's municipality, by name (5 queries)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    profiles = list(nominations.staff_profiles(officer))
    ids = [profile.user_id for profile in profiles]
    credits = {user_id: [] for user_id in ids}
    for user_id, completed_at, hours in Registration.objects.filter(
        user_id__in=ids, completed_at__isnull=False
    ).values_list("user_id", "completed_at", "session__course__hours"):
        credits[user_id].append(Credit(timezone.localtime(completed_at).date(), hours or 0))
    for user_id, ends_on, hours in ExternalTraining.objects.filter(user_id__in=ids).values_list(
        "user_id", "ends_on", "hours"
    ):
        credits[user_id].append(Credit(ends_on, hours))
    upcoming = {}
    for user_id in (
        Registration.objects.active()
        .filter(user_id__in=ids, session__ends_at__gt=now)
        .values_list("user_id", flat=True)
    ):
        upcoming[user_id] = upcoming.get(user_id, 0) + 1
    rules = cycle_rules()
    records = []
    for profile in profiles:
        own = credits[profile.user_id]
        records.append(
            StaffRecord(
                profile=profile,
                state=cycle_state(own, rule_for(profile.position, rules), today),
                trainings=len(own),
                last_trained_on=max((credit.on for credit in own), default=None),
                upcoming=upcoming.get(profile.user_id, 0),
            )
        )
    return records


def summary(records):
    """How many of the staff are up to date, due soon, overdue."""
    counts = {"up_to_date": 0, "due_soon": 0, "overdue": 0}
    for record in records:
        counts[str(record.state.status)] = counts.get(str(record.state.status), 0) + 1
    counts["total"] = len(records)
    return counts
