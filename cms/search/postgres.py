"""The PostgreSQL search: one statement gives both the counts by kind and year and one ranked page.

Where the time went (EXPLAIN ANALYZE at 40,700 documents, `python -m bench.search`, BENCHMARKS.md): the kind
counts and the ranked page each scanned the matches (two statements); the title's trigram similarity was
computed for every match (170 of 300 ms for a word in a third of the documents); the trigram index was OR-ed
into every query (4,000 more rows to recheck for "тариф"); the `language` condition was applied after reading
both languages' rows; and the planner, misjudging how many rows a prefix matches, joined the pages by a nested
loop. Now the matches are read once from the language's own GIN index (partial, one per language), kept in a
materialised CTE with their rank (ts_rank only: cheap), counted by (kind, year), and the page of results is its
top rows; pages that are not live or are restricted are left out by an anti-join. Titles similar to the words
(pg_trgm, typos and forms the stemmer misses) are searched only when the words themselves find fewer than
FEW_MATCHES documents, and then they rank by that similarity too.
"""

from django.db import connection

FEW_MATCHES = 5
RANK_WEIGHTS = "{0,0,0.1,1}"  # D, C, B, A: a word in the title counts ten times a word in the text

SQL = """
WITH matches AS MATERIALIZED (
    SELECT d.id, d.kind, d.year,
           ({rank}) * ({boost}) AS score
    FROM site_search_searchdocument d, to_tsquery('simple', %(tsquery)s) q(query)
    WHERE d.language = %(language)s AND ({match}){region}
      AND NOT EXISTS (
          SELECT 1 FROM wagtailcore_page p
          WHERE p.id = d.page_id AND (NOT p.live OR p.path LIKE ANY(%(restricted)s::text[]))
      )
)
SELECT NULL, kind, year, count(*), NULL FROM matches GROUP BY kind, year
UNION ALL
(SELECT id, kind, year, 0, score FROM matches WHERE TRUE{year}{kind}
 ORDER BY score DESC, year DESC NULLS LAST, id LIMIT %(limit)s OFFSET %(offset)s)
"""
RANK = "ts_rank(%(weights)s::real[], d.vector, q.query)"
SIMILARITY = "word_similarity(%(phrase)s, d.title_norm) * 0.2"


def run(stems, words, *, language, boosts, restricted, kind, region_id, year, offset, limit, similar=False):
    """(rows, counts): the ids of the page's documents in order, and [(kind, year, count)] of every match."""
    params = {
        "tsquery": " & ".join(f"{stem}:*" for stem in stems),
        "language": language,
        "restricted": [f"{path}%" for path in restricted],
        "weights": RANK_WEIGHTS,
        "phrase": " ".join(words),
        "region": region_id,
        "year": year,
        "kind": kind,
        "offset": offset,
        "limit": limit,
    }
    match, rank = "d.vector @@ q.query", RANK
    if similar:
        trigram = " AND ".join(f"d.title_norm %%> %(word{i})s" for i in range(len(words)))
        params.update({f"word{i}": word for i, word in enumerate(words)})
        match, rank = f"d.vector @@ q.query OR ({trigram})", f"{RANK} + {SIMILARITY}"
    cases = []
    for number, (boost_kind, boost) in enumerate(boosts.items()):
        params[f"boost_kind{number}"], params[f"boost{number}"] = boost_kind, boost
        cases.append(f"WHEN %(boost_kind{number})s THEN %(boost{number})s::float")
    sql = SQL.format(
        rank=rank,
        boost=f"CASE d.kind {' '.join(cases)} ELSE 1.0 END" if cases else "1.0",
        match=match,
        region=" AND d.region_id = %(region)s" if region_id else "",
        year=" AND year = %(year)s" if year else "",
        kind=" AND kind = %(kind)s" if kind else "",
    )
    counts, ids = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row_id, row_kind, row_year, count, _score in cursor.fetchall():
            if row_id is None:
                counts.append((row_kind, row_year, count))
            else:
                ids.append(row_id)
    return ids, counts
