"""Who is due, where: for an oblast, a district or a municipality, each municipality's trained staff and
hours, and the people due soon or overdue.

Who may see it: academy admins everything; a municipality officer (academy.models.MunicipalityOfficer)
their own municipality only. Trainers and participants may not: it names people and their standing,
which is personal data beyond the sessions a trainer runs. `scope_for(user)` says which municipalities a
user may see; `build(place, scope)` never shows anything outside `scope`.

Queries: the municipalities asked for (1), the distinct positions of their people (1), the academy's
rules (1), the figures per municipality (1) and one page of people (1) - however many people there are.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import PermissionDeniedError
from academy.models import Municipality, Profile
from academy.roles import is_academy_admin, municipality_officer
from certificates.models.qualification import CycleStatus, RoleGroup
from certificates.services.hours_ledger import rules as academy_rules
from certificates.services.qualification_cycle import add_years, role_group_for

from ..base import with_report_memory
from ..labels import translated_name
from . import sql
from .thresholds import NOT_TRAINED_YEARS, first_day_counting, group_limits

DUE_STATUSES = (CycleStatus.OVERDUE, CycleStatus.DUE_SOON)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Place:
    """What is asked for: at most one of each, narrower ones inside the wider (checked by the filter form)."""

    region: object = None
    district: object = None
    municipality: object = None

    @property
    def narrowest(self):
        return self.municipality or self.district or self.region

    def municipalities(self):
        queryset = Municipality.objects.all()
        if self.municipality is not None:
            queryset = queryset.filter(pk=self.municipality.pk)
        if self.district is not None:
            queryset = queryset.filter(district_id=self.district.pk)
        if self.region is not None:
            queryset = queryset.filter(district__region_id=self.region.pk)
        return queryset


def officer_municipalities(user):
    """The municipality `user` speaks for as a municipality officer (academy.roles), as a queryset; empty for
    everyone else."""
    officer = municipality_officer(user)
    if officer is None:
        return Municipality.objects.none()
    return Municipality.objects.filter(pk=officer.municipality_id)


def scope_for(user):
    """None (everything) for academy admins, their municipality (a queryset) for municipality officers;
    anyone else gets PermissionDeniedError."""
    if is_academy_admin(user):
        return None
    if municipality_officer(user) is not None:
        return officer_municipalities(user)
    raise PermissionDeniedError(_("Only academy admins and municipality officers can see who is due for training."))


def can_view(user):
    try:
        scope_for(user)
    except PermissionDeniedError:
        return False
    return True


def _in_scope(queryset, scope):
    if scope is None:
        return queryset
    if hasattr(scope, "values"):
        return queryset.filter(pk__in=scope.values("pk"))
    return queryset.filter(pk__in=list(scope))


@dataclass
class Result:
    place: Place
    today: date
    municipalities: list  # dicts, by district then name
    totals: dict
    people: list  # dicts, one page (all of them when no page size was given)
    people_count: int  # of the statuses asked for, in every page
    statuses: tuple
    rules: dict = field(default_factory=dict)  # {role group: Rule}


def positions_by_group(municipality_ids, rules):
    """{head/deputy: [position text]} among the people of these municipalities (one query over the
    distinct positions, not the people)."""
    result = {}
    positions = (
        Profile.objects.filter(municipality_id__in=municipality_ids)
        .exclude(position="")
        .values_list("position", flat=True)
        .distinct()
    )
    for position in positions:
        group = role_group_for(position, rules)
        if group != RoleGroup.SERVANT:
            result.setdefault(group, []).append(position)
    return result


def _places(place, scope):
    from ..labels import name_fields

    queryset = _in_scope(place.municipalities(), scope).order_by("district__name_en", "name_en", "pk")
    return list(
        queryset.values(
            "pk",
            "code",
            "kind",
            "district_id",
            "district__code",
            "district__kind",
            "district__region__code",
            *name_fields(""),
            *name_fields("district__"),
        )
    )


def _person(row, names, today, labels):
    user_id, municipality_id, group, hours, min_hours, years, due_credit, status, full_name, position = row
    due_by = add_years(due_credit, years) if due_credit else None
    municipality = names.get(municipality_id, {})
    return {
        "user_id": user_id,
        "name": full_name or f"#{user_id}",
        "position": position or "",
        "municipality_id": municipality_id,
        "municipality": translated_name(municipality, ""),
        "district": translated_name(municipality, "district__"),
        "role_group": group,
        "role_group_label": str(labels.get(group, group)),
        "hours_in_cycle": hours,
        "min_hours": min_hours,
        "hours_missing": max(0, min_hours - hours),
        "due_by": due_by,
        "days_left": (due_by - today).days if due_by else None,
        "status": status,
        "status_label": str(labels.get(status, status)),
    }


TOTAL_KEYS = ("people", "trained", "hours", "up_to_date", "due_soon", "overdue")


@with_report_memory
def build(place=None, scope=None, *, today=None, statuses=DUE_STATUSES, limit=PAGE_SIZE, offset=0):
    """The report for `place` (None: the whole country) within `scope` (None: everything; else a queryset
    or ids of municipalities). `limit=None` lists every person of `statuses` (exports)."""
    place = place or Place()
    today = today or timezone.localdate()
    statuses = tuple(str(status) for status in statuses) or tuple(str(status) for status in DUE_STATUSES)
    places = _places(place, scope)
    ids = [row["pk"] for row in places]
    rules = academy_rules()
    limits = group_limits(rules, today)
    not_trained_from = first_day_counting(today, NOT_TRAINED_YEARS)
    rows, person_rows = [], []
    if ids:
        grouped = positions_by_group(ids, rules)
        rows, person_rows = sql.report_rows(ids, grouped, limits, today, not_trained_from, statuses, limit, offset)
    figures = {row[0]: row[1:] for row in rows}

    municipalities = []
    totals = dict.fromkeys((*TOTAL_KEYS, "no_one_trained"), 0)
    for row in places:
        people, trained, hours, up_to_date, due_soon, overdue, recent = figures.get(row["pk"], (0,) * 7)
        item = {
            "id": row["pk"],
            "code": row["code"],
            "municipality": translated_name(row, ""),
            "district_id": row["district_id"],
            "district_code": row["district__code"],
            "district_is_city": row["district__kind"] == "city",
            "region_code": row["district__region__code"],
            "district": translated_name(row, "district__"),
            "people": people,
            "trained": trained,
            "hours": hours,
            "up_to_date": up_to_date,
            "due_soon": due_soon,
            "overdue": overdue,
            "trained_in_three_years": recent,
            "no_one_trained": recent == 0,
        }
        municipalities.append(item)
        for key in TOTAL_KEYS:
            totals[key] += item[key]
        totals["no_one_trained"] += item["no_one_trained"]
    totals["municipalities"] = len(municipalities)

    names = {row["pk"]: row for row in places}
    labels = {**dict(RoleGroup.choices), **dict(CycleStatus.choices)}
    return Result(
        place=place,
        today=today,
        municipalities=municipalities,
        totals=totals,
        people=[_person(row, names, today, labels) for row in person_rows],
        people_count=sum(totals[status] for status in statuses if status in totals),
        statuses=statuses,
        rules={limit.role_group: limit.rule for limit in limits},
    )
