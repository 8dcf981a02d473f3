"""Content about tariffs in every kind the search finds, and things it must never show."""

from datetime import date

from wagtail.models import PageViewRestriction

from cms.search import indexing
from cms.services.site import ensure_child, translate_page
from tests import factories
from tests.cms.conftest import make_practice


def make_tariff_world(homes, practice_index, practices, journal, course_index):
    from cms.models import ArticlePage, ArticlePracticeLink, NewsIndexPage, NewsPage
    from courses.models import Material, Venue

    course = factories.make_course(
        course_index,
        title="Тарифтик саясат жана коммуналдык кызматтар",
        summary="Суу жана таштанды үчүн акы кантип эсептелет.",
    )
    course_ru = translate_page(
        course, "ru", title="Тарифная политика и коммунальные услуги", summary="Как считать плату."
    )
    other_course = factories.make_course(course_index, title="Жергиликтүү бюджет", summary="Бюджеттин долбоору.")
    practice = make_practice(
        practice_index,
        "suu-bashy-tariffs",
        title="Суу-Башы: суунун тарифи боюнча угуулар",
        summary="<script>alert('x')</script> Айыл өкмөтү тарифтерди жамаат менен талкуулады.",
        year=2023,
    )
    practice_ru = translate_page(practice, "ru", title="Суу-Башы: слушания по тарифам на воду")
    budget_text = make_practice(
        practice_index,
        "budget-text",
        municipality="bishkek_city",
        title="Бюджеттик угуулар",
        summary="Шаар бюджетин талкуулады.",
        what_was_done="<p>Акыры суунун тарифтери да каралды.</p>",
        year=2021,
    )
    article = ensure_child(
        journal["new"],
        ArticlePage,
        "who-sets-tariffs",
        title="Тарифтерди ким бекитет?",
        authors="Асел Токтосунова",
        summary="Коммуналдык кызматтардын тарифтери тууралуу.",
        practice_links=[ArticlePracticeLink(practice=practice)],
    )
    news_index = ensure_child(homes["ky"], NewsIndexPage, "news", title="Жаңылыктар")
    news = ensure_child(news_index, NewsPage, "tariff-news", title="Тариф боюнча семинар", date=date(2024, 3, 1))
    draft = make_practice(practice_index, "draft-tariff", title="Долбоор: тариф жашыруун", year=2023)
    draft.unpublish()
    private = make_practice(practice_index, "private-tariff", title="Жабык тариф барагы", year=2023)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    venue = Venue.objects.create(name="Баткен залы", municipality=factories.municipality("batken_city"), capacity=40)
    session = factories.make_session(course, venue=venue, starts_at=factories.bishkek(2026, 12, 15))
    draft_session = factories.make_session(
        course, venue=venue, starts_at=factories.bishkek(2026, 12, 20), status="draft", title="Тариф долбоор сессия"
    )
    public_material = Material.objects.create(
        course=course, title="Тариф эсептөө үлгүсү", kind="link", url="https://example.org/t"
    )
    hidden_material = Material.objects.create(
        course=course,
        title="Жашыруун тариф таблицасы",
        kind="link",
        url="https://example.org/h",
        visibility="participants",
    )
    indexing.rebuild()
    return {
        "course": course,
        "course_ru": course_ru,
        "other_course": other_course,
        "practice": practice,
        "practice_ru": practice_ru,
        "budget_text": budget_text,
        "article": article,
        "news": news,
        "draft": draft,
        "private": private,
        "session": session,
        "draft_session": draft_session,
        "public_material": public_material,
        "hidden_material": hidden_material,
    }
