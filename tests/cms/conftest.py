"""Fixtures of the site-content area: a best-practice index with practices in several places, and a journal."""

from datetime import date

import pytest

from cms.data.pictures import photo_jpeg
from cms.services.media import image_titled
from cms.services.site import ensure_child, translate_page
from tests import factories


def make_topic(code, name_ky, name_ru=None, name_en=None):
    from cms.models import PracticeTopic

    return PracticeTopic.objects.get_or_create(
        code=code, defaults={"name_ky": name_ky, "name_ru": name_ru or name_ky, "name_en": name_en or code}
    )[0]


def make_photo(key="village"):
    return image_titled(f"Сүрөт {key}", lambda: photo_jpeg(key), f"{key}.jpg")


def make_practice(index, slug, *, municipality="kyshtut", year=2024, topics=(), title=None, **fields):
    from cms.models import PracticePage

    values = {
        "title": title or f"Тажрыйба {slug}",
        "summary": "Айыл өкмөтү жамаат менен бирге көйгөйдү чечти.",
        "municipality": factories.municipality(municipality),
        "year": year,
        "topics": list(topics),
        "problem": "<p>Суу жетишпейт.</p>",
        "what_was_done": "<p>Суу түтүгү өткөрүлдү.</p>",
        **fields,
    }
    return ensure_child(index, PracticePage, slug, **values)


@pytest.fixture
def topics(db):
    return {
        "water": make_topic("water-supply", "Суу менен камсыздоо", "Водоснабжение", "Water supply"),
        "budget": make_topic("citizens-budget", "Жарандык бюджет", "Гражданский бюджет", "Citizens' budget"),
    }


@pytest.fixture
def practice_index(homes):
    from cms.models import PracticeIndexPage

    index = ensure_child(homes["ky"], PracticeIndexPage, "practices", title="Мыкты тажрыйбалар")
    translate_page(index, "ru", title="Лучшие практики")
    translate_page(index, "en", title="Best practices")
    return index


@pytest.fixture
def practices(practice_index, topics):
    """Four practices: two in Batken oblast (a rural municipality and a town), one in Naryn, one in Bishkek."""
    return {
        "kyshtut": make_practice(practice_index, "kyshtut-water", topics=[topics["water"]], year=2024),
        "kadamjai": make_practice(
            practice_index, "kadamjai-budget", municipality="kadamjai_town", topics=[topics["budget"]], year=2021
        ),
        "chet_nura": make_practice(
            practice_index, "chet-nura-water", municipality="chet_nura", topics=[topics["water"]], year=2013
        ),
        "bishkek": make_practice(
            practice_index,
            "bishkek-budget",
            municipality="bishkek_city",
            topics=[topics["budget"], topics["water"]],
            year=2021,
        ),
    }


@pytest.fixture
def journal(homes, practices):
    """The archive with a 2013 issue (two articles, one linking a practice) and a 2022 issue."""
    from cms.models import ArticlePage, ArticlePracticeLink, JournalIndexPage, JournalIssuePage, JournalRubric

    rubric = JournalRubric.objects.create(
        code="local-development", name_ky="Жергиликтүү өнүгүү", name_ru="Местное развитие", name_en="Local development"
    )
    index = ensure_child(homes["ky"], JournalIndexPage, "municipalitet", title="«Муниципалитет» журналы")
    old = ensure_child(index, JournalIssuePage, "2013-12", title="№12 (25), 2013", number=12, date=date(2013, 12, 20))
    new = ensure_child(index, JournalIssuePage, "2022-04", title="№4, 2022", number=4, date=date(2022, 4, 15))
    article = ensure_child(
        old,
        ArticlePage,
        "strategies",
        title="Муниципалитетти өнүктүрүүнүн стратегиясы",
        authors="Надежда Добрецова, Асылбек Чекиров",
        rubric=rubric,
        summary="Тоолуу айылдардан мисалдар.",
        body=[{"type": "paragraph", "value": "<p>Стратегия – бул өзөк.</p>"}],
        practice_links=[ArticlePracticeLink(practice=practices["chet_nura"])],
    )
    second = ensure_child(old, ArticlePage, "editorial", title="Сөз башынын ордуна", rubric=rubric)
    return {"index": index, "old": old, "new": new, "article": article, "second": second, "rubric": rubric}
