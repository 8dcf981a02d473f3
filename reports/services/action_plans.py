"""Action plans followed up (issue 19.3): the share of joint action plan items done, per session, course,
municipality and funding project, and the items themselves.

* An item counts by its **latest reported status** (courses.ActionPlanItem.status): done, in progress, dropped,
  or not reported yet. **Share done** = items done ÷ all items, in percent (None without items).
* Filters are the shared ones, on the item's session (dates, course, funding project, trainer); the oblast and
  district filters choose items by the item's municipality (session-wide items have none and drop out).
* Trainers who are not admins see the items of the sessions they train (reports.services.base.for_user).

One grouped query per table (sessions, courses, municipalities, funding projects), one for the totals, one for
the course titles and one for the items shown: seven queries whatever the number of items.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import ActionPlanItem, ActionPlanStatus

from .base import percent, session_q
from .labels import course_titles, name_fields, session_label, translated_name
from .structures import DATE, INT, PERCENT, Column, Figure, LazyRows, Report, Table

#: Items listed on the screen (the export carries every item).
ITEM_ROWS = 200
STATUSES = [value for value, _label in ActionPlanStatus.choices]


def items(filters):
    """The action plan items the filters choose."""
    queryset = ActionPlanItem.objects.filter(session_q(filters, "session__"))
    if filters.region_id:
        queryset = queryset.filter(municipality__district__region_id=filters.region_id)
    if filters.district_id:
        queryset = queryset.filter(municipality__district_id=filters.district_id)
    return queryset


def _counts():
    return {
        "total": Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in STATUSES},
    }


def _share(row):
    row["share_done"] = percent(row[ActionPlanStatus.DONE], row["total"])
    return row


def _grouped(queryset, *fields):
    return [_share(row) for row in queryset.values(*fields).annotate(**_counts()).order_by(*fields)]


def figures(filters):
    """Totals and rows per session, course, municipality and funding project (dicts with the status counts,
    `total` and `share_done`)."""
    base = items(filters)
    totals = _share(base.aggregate(**_counts()))
    sessions = _grouped(base, "session_id", "session__title", "session__starts_at", "session__course__translation_key")
    courses = _grouped(base, "session__course__translation_key")
    municipalities = _grouped(base, "municipality_id", *name_fields("municipality__"))
    projects = _grouped(base, "session__funding_project_id", *name_fields("session__funding_project__"))
    titles = course_titles({row["session__course__translation_key"] for row in courses})
    for row in sessions:
        course = titles.get(row["session__course__translation_key"], "")
        row["course"] = course
        row["session"] = session_label(row["session__title"], course, row["session__starts_at"])
    for row in courses:
        row["course"] = titles.get(row["session__course__translation_key"], "")
    for row in municipalities:
        row["municipality"] = translated_name(row, "municipality__") if row["municipality_id"] else ""
    for row in projects:
        row["funding_project"] = (
            translated_name(row, "session__funding_project__") if row["session__funding_project_id"] else ""
        )
    return {
        "totals": totals,
        "sessions": sessions,
        "courses": sorted(courses, key=lambda row: row["course"]),
        "municipalities": sorted(municipalities, key=lambda row: (not row["municipality"], row["municipality"])),
        "funding_projects": sorted(projects, key=lambda row: (not row["funding_project"], row["funding_project"])),
    }


def _count_columns():
    return [
        Column("total", _("Items"), INT),
        Column(ActionPlanStatus.DONE, _("Done"), INT),
        Column(ActionPlanStatus.IN_PROGRESS, _("In progress"), INT),
        Column(ActionPlanStatus.DROPPED, _("Dropped"), INT),
        Column(ActionPlanStatus.NOT_REPORTED, _("Not reported"), INT),
        Column("share_done", _("Share done, %"), PERCENT),
    ]


ITEM_FIELDS = (
    "session__title",
    "session__course__title",
    "session__starts_at",
    "municipality_id",
    *name_fields("municipality__"),
    "what",
    "responsible_name",
    "responsible_user_id",
    "due_date",
    "status",
    "status_changed_at",
)


def _convert_items(rows):
    labels = dict(ActionPlanStatus.choices)
    return [
        {
            "session": session_label(row["session__title"], row["session__course__title"], row["session__starts_at"]),
            "municipality": translated_name(row, "municipality__") if row["municipality_id"] else _("whole session"),
            "what": row["what"],
            "responsible": row["responsible_name"],
            "account": _("yes") if row["responsible_user_id"] else _("no one to ask"),
            "due_date": row["due_date"],
            "status": labels.get(row["status"], row["status"]),
            "status_changed_at": timezone.localdate(row["status_changed_at"]) if row["status_changed_at"] else None,
        }
        for row in rows
    ]


def _item_rows(filters):
    """Read lazily: the screen reads the first ITEM_ROWS (and a count), the export every item."""
    queryset = items(filters).order_by("session__starts_at", "session_id", "due_date", "pk").values(*ITEM_FIELDS)
    return LazyRows(queryset, _convert_items)


def report(filters):
    """The action plans report screen and its .xlsx/.csv exports."""
    data = figures(filters)
    totals = data["totals"]
    counts = _count_columns()
    return Report(
        key="action_plans",
        title=_("Action plans"),
        figures=[
            Figure("items", _("Action plan items"), totals["total"]),
            Figure("done", _("Done"), totals[ActionPlanStatus.DONE]),
            Figure("in_progress", _("In progress"), totals[ActionPlanStatus.IN_PROGRESS]),
            Figure("dropped", _("Dropped"), totals[ActionPlanStatus.DROPPED]),
            Figure("not_reported", _("Not reported"), totals[ActionPlanStatus.NOT_REPORTED]),
            Figure("share_done", _("Share done, %"), totals["share_done"], PERCENT, note=_("by the latest reports")),
        ],
        tables=[
            Table(
                "funding_projects",
                _("By funding project"),
                [Column("funding_project", _("Funding project")), *counts],
                [
                    {**row, "funding_project": row["funding_project"] or _("no funding project")}
                    for row in data["funding_projects"]
                ],
            ),
            Table("courses", _("By course"), [Column("course", _("Course")), *counts], data["courses"]),
            Table(
                "municipalities",
                _("By municipality"),
                [Column("municipality", _("Municipality")), *counts],
                [{**row, "municipality": row["municipality"] or _("whole session")} for row in data["municipalities"]],
            ),
            Table("sessions", _("By session"), [Column("session", _("Session")), *counts], data["sessions"]),
            Table(
                "items",
                _("Items"),
                [
                    Column("session", _("Session")),
                    Column("municipality", _("Municipality")),
                    Column("what", _("What")),
                    Column("responsible", _("Responsible")),
                    Column("account", _("Account")),
                    Column("due_date", _("Due by"), DATE),
                    Column("status", _("Status")),
                    Column("status_changed_at", _("Status changed"), DATE),
                ],
                _item_rows(filters),
                display_limit=ITEM_ROWS,
            ),
        ],
    )
