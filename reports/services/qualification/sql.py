"""The one query of the report: figures per municipality and one page of the people due, together.

It follows the hours ledger and the cycle rule, for every person of the municipalities asked for:

* ``lines``: one line per person (their profile: municipality, role group, name) and one per credit:
  completed registrations (the course's academic hours on the Bishkek date of completion) and external
  trainings (their hours on their end date) from the earliest day any rule still counts;
* ``marked``: each line with its person's rule: the hours that still count, and whether it is a
  training of the last three years;
* ``running``: the running sum of counting hours from the newest day back (a window; peers on the same
  day together);
* ``people``: per person, hours in the cycle and the *due credit*: the oldest day still needed to reach
  the rule's hours (the latest counting day whose running sum reaches them); none means overdue;
* ``statuses``: up to date / due soon / overdue, from the day limits of `thresholds`.

Then the figures per municipality and the page of people asked for are read from ``statuses`` in one
statement (PostgreSQL computes it once). The role group comes from the position text, sorted in Python
from the distinct positions only (`role_group_case`). No left joins after aggregating: their row
estimates are guesses, and a wrong guess turns a hash join into a loop over every pair of people.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from academy.models import Profile
from certificates.models import ExternalTraining
from certificates.models.qualification import CycleStatus, RoleGroup
from courses.models import CoursePage, Registration, Session

MUNICIPALITY, PERSON = "m", "p"


def _local_date(connection, column):
    """The Asia/Bishkek calendar day of a timestamp column."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %s)::date", [settings.TIME_ZONE]
    # SQLite keeps naive UTC text; Kyrgyzstan has kept UTC+6 without summer time since 2005.
    return f"date({column}, %s)", ["+6 hours"]


def _date_param(connection, day):
    return day if connection.vendor == "postgresql" else day.isoformat()


def _midnight(day):
    """The start of `day` in Bishkek, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _in_list(values):
    values = list(values)
    if not values:
        return "(NULL)", []
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


def role_group_case(positions_by_group):
    """SQL for a person's role group from their exact position text (table alias ``p``):
    `positions_by_group` is {group: [position, ...]} for heads and deputies; everyone else is a servant."""
    parts, params = [], []
    for group in (RoleGroup.HEAD, RoleGroup.DEPUTY):
        positions = positions_by_group.get(group) or []
        if positions:
            in_sql, in_params = _in_list(positions)
            parts.append(f"WHEN p.position IN {in_sql} THEN %s")
            params += [*in_params, str(group)]
    if not parts:
        return "%s", [str(RoleGroup.SERVANT)]
    return "CASE " + " ".join(parts) + " ELSE %s END", [*params, str(RoleGroup.SERVANT)]


def _rules_cte(connection, limits):
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(limits))
    params = []
    for limit in limits:
        params += [
            str(limit.role_group),
            limit.rule.min_hours,
            limit.rule.cycle_years,
            _date_param(connection, limit.counts_from),
            _date_param(connection, limit.due_soon_until),
        ]
    columns = "rules (grp, min_hours, cycle_years, counts_from, due_soon_until)"
    if connection.vendor == "postgresql":  # typed once, so every comparison below is date to date
        sql = (
            f"{columns} AS (SELECT grp, min_hours::int, cycle_years::int, counts_from::date, "
            f"due_soon_until::date FROM (VALUES {rows}) AS v (grp, min_hours, cycle_years, counts_from, due_soon_until))"
        )
    else:
        sql = f"{columns} AS (VALUES {rows})"
    return sql, params


def statuses_sql(connection, municipality_ids, positions_by_group, limits, today, not_trained_from):
    """(``WITH ... statuses AS (...)`` SQL, params): one row per person of `municipality_ids`."""
    earliest = min([limit.counts_from for limit in limits] + [not_trained_from])
    group_sql, group_params = role_group_case(positions_by_group)
    places_sql, places_params = _in_list(municipality_ids)
    rules_sql, rules_params = _rules_cte(connection, limits)
    completed_day, day_params = _local_date(connection, "r.completed_at")
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Registration, Session, CoursePage, ExternalTraining, Profile)
    }
    # Completions are picked by time (Bishkek midnights), not by the day computed from it: a filter on
    # that expression has no statistics, and its collapsed row estimate makes PostgreSQL loop instead of hash.
    since, until = _midnight(earliest), _midnight(today + timedelta(days=1))
    sql = f"""
WITH {rules_sql},
lines AS (
    SELECT p.user_id, p.municipality_id, {group_sql} AS grp, p.full_name, p.position, NULL AS day, 0 AS hours
    FROM {table[Profile]} p
    WHERE p.municipality_id IN {places_sql}
    UNION ALL
    SELECT p.user_id, p.municipality_id, {group_sql} AS grp, NULL, NULL, {completed_day} AS day, c.hours
    FROM {table[Registration]} r
    JOIN {table[Profile]} p ON p.user_id = r.user_id
    JOIN {table[Session]} s ON s.id = r.session_id
    JOIN {table[CoursePage]} c ON c.page_ptr_id = s.course_id
    WHERE p.municipality_id IN {places_sql} AND r.completed_at >= %s AND r.completed_at < %s
    UNION ALL
    SELECT p.user_id, p.municipality_id, {group_sql} AS grp, NULL, NULL, e.ends_on AS day, e.hours
    FROM {table[ExternalTraining]} e
    JOIN {table[Profile]} p ON p.user_id = e.user_id
    WHERE p.municipality_id IN {places_sql} AND e.ends_on >= %s AND e.ends_on <= %s
),
marked AS (
    SELECT x.user_id, x.municipality_id, x.grp, x.full_name, x.position, x.day,
           ru.min_hours, ru.cycle_years, ru.due_soon_until,
           CASE WHEN x.hours > 0 AND x.day >= ru.counts_from THEN x.hours ELSE 0 END AS counting,
           CASE WHEN x.hours > 0 AND x.day >= %s THEN 1 ELSE 0 END AS recent
    FROM lines x JOIN rules ru ON ru.grp = x.grp
),
running AS (
    SELECT m.*, SUM(m.counting) OVER (PARTITION BY m.user_id ORDER BY m.day DESC) AS run
    FROM marked m
),
people AS (
    SELECT user_id, MAX(municipality_id) AS municipality_id, MAX(grp) AS grp, MAX(full_name) AS full_name,
           MAX(position) AS position, MAX(min_hours) AS min_hours, MAX(cycle_years) AS cycle_years,
           MAX(due_soon_until) AS due_soon_until, SUM(counting) AS hours, MAX(recent) AS recent,
           MAX(CASE WHEN counting > 0 AND run >= min_hours THEN day END) AS due_credit
    FROM running GROUP BY user_id
),
statuses AS (
    SELECT user_id, municipality_id, grp, full_name, position, min_hours, cycle_years, hours, recent, due_credit,
           CASE WHEN due_credit IS NULL THEN %s WHEN due_credit <= due_soon_until THEN %s ELSE %s END AS status
    FROM people
)
"""
    params = [
        *rules_params,
        *group_params,
        *places_params,
        *group_params,
        *day_params,
        *places_params,
        since,
        until,
        *group_params,
        *places_params,
        _date_param(connection, earliest),
        _date_param(connection, today),
        _date_param(connection, not_trained_from),
        str(CycleStatus.OVERDUE),
        str(CycleStatus.DUE_SOON),
        str(CycleStatus.UP_TO_DATE),
    ]
    return sql, params


def report_rows(municipality_ids, positions_by_group, limits, today, not_trained_from, statuses, limit, offset):
    """(municipality rows, person rows) in one statement.

    Municipality rows (only those with people): (id, people, trained in the cycle, hours, up to date,
    due soon, overdue, trained in three years). Person rows, one page of `statuses` (all when `limit` is
    None): overdue first (fewest hours first), then due soon (nearest due date first), then by name:
    (user id, municipality id, role group, hours, min hours, cycle years, due credit, status, name, position).
    """
    connection = connections[router.db_for_read(Registration)]
    sql, params = statuses_sql(connection, municipality_ids, positions_by_group, limits, today, not_trained_from)
    status_sql, status_params = _in_list(statuses)
    order = "CASE WHEN status = %s THEN 0 ELSE 1 END, CASE WHEN status = %s THEN hours ELSE 0 END, "
    order += "due_credit, full_name, user_id"
    page = "" if limit is None else "LIMIT %s OFFSET %s"
    no_number = "CAST(NULL AS BIGINT)"  # a bare NULL in a subquery is text to PostgreSQL, not a number
    sql += f"""
SELECT %s, municipality_id, NULL, COUNT(*), SUM(CASE WHEN hours > 0 THEN 1 ELSE 0 END), SUM(hours),
       SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), SUM(CASE WHEN status = %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), SUM(recent),
       NULL, NULL, NULL, NULL, NULL, NULL
FROM statuses GROUP BY municipality_id
UNION ALL
SELECT * FROM (
    SELECT %s, user_id, municipality_id, hours, min_hours, cycle_years, {no_number}, {no_number}, {no_number}, {no_number},
           ROW_NUMBER() OVER (ORDER BY {order}), grp, due_credit, status, full_name, position
    FROM statuses WHERE status IN {status_sql}
    ORDER BY {order}
    {page}
) page
"""
    overdue = str(CycleStatus.OVERDUE)
    params += [MUNICIPALITY, str(CycleStatus.UP_TO_DATE), str(CycleStatus.DUE_SOON), overdue]
    params += [PERSON, overdue, overdue, *status_params, overdue, overdue]
    if limit is not None:
        params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    municipalities = [
        tuple(int(value or 0) for value in row[1:2] + row[3:10]) for row in rows if row[0] == MUNICIPALITY
    ]
    people = sorted((row for row in rows if row[0] == PERSON), key=lambda row: row[10])
    return municipalities, [
        (row[1], row[2], row[11], int(row[3] or 0), int(row[4]), int(row[5]), _day(row[12]), row[13], row[14], row[15])
        for row in people
    ]


def _day(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
