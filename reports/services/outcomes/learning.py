"""Learning for the outcome report: the session's pre-test and post-test, compared per participant, summed per
session in one grouped query.

A person's score on a test is the percentage `Attempt.percent` gives (questions answered fully right out of
the test's questions, rounded to a whole percent, halves to even as Python's `round`), so that these figures
are the ones the session's test results page shows (courses.services.assessments.results). Only participants
(reports/services/base.py) count, and only attempts at the tests of their own session.

Per session: how many took the pre-test, the post-test, both; over those who took both, the sums of their pre
and post percentages, of their pre and post points, and how many scored a higher percentage after.
"""

from django.db import connections

from courses.models import Attempt, KnowledgeTest, KnowledgeTestKind, Session

from ..base import participants, percent, rounded, session_q

SUMS = ("took_pre", "took_post", "both", "pre_percent", "post_percent", "pre_points", "post_points", "improved")


def _percent_sql(alias):
    """`Attempt.percent` in SQL (integer arithmetic, the same on PostgreSQL and SQLite): round(100·score/max),
    halves to the even neighbour as Python rounds them; 0 when the test had no question."""
    scaled, top = f"(100 * {alias}.score)", f"{alias}.max_score"
    whole, rest = f"({scaled} / {top})", f"(2 * ({scaled} %% {top}))"
    return (
        f"CASE WHEN {top} > 0 THEN {whole} + CASE WHEN {rest} > {top} THEN 1 "
        f"WHEN {rest} = {top} THEN {whole} %% 2 ELSE 0 END ELSE 0 END"
    )


def session_sums(filters):
    """{session id: {name: int for name in SUMS}} for the participant registrations the filters allow."""
    inner = participants(filters).values("id", "session_id").order_by()
    connection = connections[inner.db]
    quote = connection.ops.quote_name
    sql, params = inner.query.sql_with_params()
    attempts, tests = quote(Attempt._meta.db_table), quote(KnowledgeTest._meta.db_table)
    pre, post = _percent_sql("pa"), _percent_sql("qa")
    both = "pa.id IS NOT NULL AND qa.id IS NOT NULL"

    # The tests of the sessions reported only: the attempts of other sessions are dropped before the join.
    tested, tested_params = Session.objects.filter(session_q(filters)).values("pk").query.sql_with_params()

    def joined(attempt, test, kind):
        return (
            f"LEFT JOIN ({attempts} {attempt} INNER JOIN {tests} {test} ON {test}.id = {attempt}.test_id "
            f"AND {test}.kind = '{kind}' AND {test}.session_id IN ({tested})) "
            f"ON {attempt}.registration_id = r.{quote('id')} AND {test}.session_id = r.{quote('session_id')}"
        )

    query = (
        f"SELECT r.{quote('session_id')}, COUNT(pa.id), COUNT(qa.id), "
        f"SUM(CASE WHEN {both} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {both} THEN {pre} ELSE 0 END), SUM(CASE WHEN {both} THEN {post} ELSE 0 END), "
        f"SUM(CASE WHEN {both} THEN pa.score ELSE 0 END), SUM(CASE WHEN {both} THEN qa.score ELSE 0 END), "
        f"SUM(CASE WHEN {both} AND {post} > {pre} THEN 1 ELSE 0 END) "
        f"FROM ({sql}) r {joined('pa', 'pt', KnowledgeTestKind.PRE.value)} "
        f"{joined('qa', 'qt', KnowledgeTestKind.POST.value)} "
        f"GROUP BY r.{quote('session_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, (*params, *tested_params, *tested_params))
        fetched = cursor.fetchall()
    return {
        session_id: dict(zip(SUMS, (int(value or 0) for value in values), strict=True))
        for session_id, *values in fetched
        if values[0] or values[1]
    }


def add(total, sums):
    for name in SUMS:
        total[name] = total.get(name, 0) + sums.get(name, 0)
    return total


def figures(sums):
    """The learning figures from `SUMS` (of a session, or added up over sessions)."""
    both = sums.get("both", 0)

    def average(name):
        return rounded(sums[name] / both, 1) if both else None

    return {
        "took_pre": sums.get("took_pre", 0),
        "took_post": sums.get("took_post", 0),
        "took_both": both,
        "average_pre": average("pre_percent"),
        "average_post": average("post_percent"),
        "gain_percentage_points": rounded((sums["post_percent"] - sums["pre_percent"]) / both, 1) if both else None,
        "gain_points": rounded((sums["post_points"] - sums["pre_points"]) / both, 2) if both else None,
        "improved": sums.get("improved", 0),
        "improved_share": percent(sums.get("improved", 0), both),
    }
