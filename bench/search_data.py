"""The search bench's data: 5,000 practices and articles and a target-scale catalogue, as index documents.

Written straight into the search index (cms.search.models.SearchDocument), in Kyrgyz and Russian, with
texts drawn from the portal's vocabulary; about one document in twenty speaks of tariffs. Creating
5,000 Wagtail pages one by one would take longer than the whole bench and is not what is measured:
the query runs against the index table, and its size and word mix are what matter. Every document
belongs to one live page of a small real tree (a home page per language), so the query's checks on
the page (live, not restricted) run as in production.
"""

import random

from cms.search.indexing import _write
from cms.search.models import SearchDocument
from cms.search.text import normalize

BENCH_MARK = "bench-search"
WORDS_KY = [
    "айыл",
    "өкмөтү",
    "жамаат",
    "бюджет",
    "суу",
    "түтүгү",
    "мектеп",
    "бала",
    "бакча",
    "коомдук",
    "угуулар",
    "жарандар",
    "депутаттар",
    "кеңеш",
    "долбоор",
    "грант",
    "мониторинг",
    "стратегия",
    "өнүгүү",
    "кызмат",
    "көрсөтүү",
    "таштанды",
    "жол",
    "көпүрө",
    "аялдар",
    "лидерлик",
    "жаштар",
    "спорт",
    "маданият",
    "саламаттык",
    "сактоо",
    "айыл",
    "чарба",
    "мал",
    "жайыт",
    "сугат",
    "арык",
    "каналы",
    "пландоо",
    "отчет",
]
WORDS_RU = [
    "айыл",
    "окмоту",
    "сообщество",
    "бюджет",
    "водопровод",
    "школа",
    "детский",
    "сад",
    "общественные",
    "слушания",
    "граждане",
    "депутаты",
    "кенеш",
    "проект",
    "грант",
    "мониторинг",
    "стратегия",
    "развитие",
    "услуги",
    "мусор",
    "дорога",
    "мост",
    "женщины",
    "лидерство",
    "молодежь",
    "спорт",
    "культура",
    "здравоохранение",
    "сельское",
    "хозяйство",
    "пастбище",
    "орошение",
    "канал",
    "планирование",
    "отчет",
]
TARIFF_KY = ["тариф", "тарифтер", "тарифтерди", "тарифтик"]
TARIFF_RU = ["тариф", "тарифы", "тарифов", "тарифная"]
KINDS = (  # kind, documents per language at the target scale, has a year, has an oblast
    ("practice", 2500, True, True),
    ("article", 2500, True, True),
    ("course", 50, False, False),
    ("session", 10000, True, True),
    ("material", 5000, True, True),
    ("news", 300, True, False),
)


def _text(rng, words, tariff, length):
    picked = [rng.choice(words) for _word in range(length)]
    if rng.random() < 0.05:
        picked[rng.randrange(length)] = rng.choice(tariff)
    return " ".join(picked)


def generate(pages, regions, seed=2026, scale=1.0):
    """pages: {language: page id}; regions: region ids. Replaces the previous bench documents."""
    rng = random.Random(seed)
    SearchDocument.objects.filter(url__startswith=f"/{BENCH_MARK}/").delete()
    rows, written = [], 0
    for kind, count, with_year, with_region in KINDS:
        for number in range(int(count * scale)):
            for language, page_id in pages.items():
                words, tariff = (WORDS_KY, TARIFF_KY) if language == "ky" else (WORDS_RU, TARIFF_RU)
                title = _text(rng, words, tariff, 6).capitalize()
                body = _text(rng, words, tariff, 60 if kind in ("practice", "article") else 12)
                rows.append(
                    SearchDocument(
                        kind=kind,
                        object_id=10_000_000 + number,
                        page_id=page_id,
                        language=language,
                        title=title,
                        body=body,
                        url=f"/{BENCH_MARK}/{kind}/{number}/",
                        region_id=rng.choice(regions) if with_region and regions else None,
                        year=rng.randint(2010, 2026) if with_year else None,
                        title_norm=normalize(title),
                        body_norm=normalize(body),
                    )
                )
                if len(rows) >= 2000:
                    written += _write(rows)
                    rows = []
    written += _write(rows)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum would do soon after: statistics for the planner
        cursor.execute("ANALYZE site_search_searchdocument")
    return written
