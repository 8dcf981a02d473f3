"""Journal articles tied to courses (CourseArticleLink, on courses: cms never imports courses): the course page lists
its articles and the article page the courses, each in its own language (ky, ru, en); drafts and private pages are
left out; both sides cached, both sides dropped when either changes."""

import pytest

from cms.services.site import translate_page
from courses.models import CourseArticleLink
from tests import factories
from tests.page_queries import get_page

pytestmark = pytest.mark.django_db

COURSE_HEADING = {"ky": "Бул макалага таянган курстар", "ru": "Курсы, опирающиеся на эту статью"}
ARTICLES_HEADING = {"ky": "«Муниципалитет» журналында", "ru": "В журнале «Муниципалитет»"}


@pytest.fixture
def course(course_index):
    return factories.make_course(course_index, title="Стратегиялык пландоо")


def link(course, *articles):
    course.article_links = [
        CourseArticleLink(article=article, sort_order=order) for order, article in enumerate(articles)
    ]
    course.save_revision().publish()


def test_a_course_lists_its_articles_and_the_article_the_course_in_kyrgyz(client, course, journal):
    link(course, journal["second"], journal["article"])
    html = client.get(course.url).content.decode()
    assert ARTICLES_HEADING["ky"] in html
    assert html.index(journal["second"].title) < html.index(journal["article"].title)  # the editor's order
    assert f'href="{journal["article"].url}"' in html
    page = client.get(journal["article"].url).content.decode()
    assert COURSE_HEADING["ky"] in page and f'href="{course.url}"' in page
    other = factories.make_course(course.get_parent(), title="Башка курс")
    assert ARTICLES_HEADING["ky"] not in client.get(other.url).content.decode()


def test_russian_and_english_pages_show_the_other_side_in_their_language(client, course, journal):
    link(course, journal["article"])  # the Kyrgyz article, picked once on the Kyrgyz course
    pages = {}
    for language, title in (("ru", "Стратегическое планирование"), ("en", "Strategic planning")):
        course_tr = translate_page(course, language, title=title)
        for key in ("index", "old"):
            translate_page(journal[key], language)
        article_tr = translate_page(journal["article"], language, title=f"{language}: стратегия")
        pages[language] = (course_tr, article_tr)
    for language, (course_tr, article_tr) in pages.items():
        html = client.get(course_tr.url).content.decode()
        assert f'href="{article_tr.url}"' in html and f'href="{journal["article"].url}"' not in html
        page = client.get(article_tr.url).content.decode()
        assert f'href="{course_tr.url}"' in page and f'href="{course.url}"' not in page
        if language in ARTICLES_HEADING:
            assert ARTICLES_HEADING[language] in html and COURSE_HEADING[language] in page
    assert "Courses that draw on this article" in client.get(pages["en"][1].url).content.decode()


def test_drafts_and_private_pages_are_not_listed(client, course, journal):
    from wagtail.models import PageViewRestriction

    link(course, journal["article"], journal["second"])
    journal["second"].unpublish()
    PageViewRestriction.objects.create(page=journal["article"], restriction_type=PageViewRestriction.LOGIN)
    assert ARTICLES_HEADING["ky"] not in client.get(course.url).content.decode()
    from cms.models import ArticlePage
    from cms.services.site import ensure_child

    third = ensure_child(journal["new"], ArticlePage, "third", title="Үчүнчү макала")
    hidden = factories.make_course(course.get_parent(), title="Жашыруун курс")
    link(hidden, third)
    assert "Жашыруун курс" in client.get(third.url).content.decode()
    hidden.unpublish()
    assert "Жашыруун курс" not in client.get(third.url).content.decode()


def test_changing_either_side_drops_the_other_sides_cache(client, course, journal, django_capture_on_commit_callbacks):
    article = journal["article"]
    link(course, article)
    get_page(client, course.url)
    get_page(client, article.url)
    assert get_page(client, course.url)[1] < 10 and get_page(client, article.url)[1] < 10  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Стратегия: жаңы макала"
        article.save_revision().publish()
    assert "Стратегия: жаңы макала" in get_page(client, course.url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        link(course, journal["second"])  # the links change with the course's publish
    assert f'href="{course.url}"' not in get_page(client, article.url)[0]
    assert f'href="{course.url}"' in get_page(client, journal["second"].url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        journal["second"].unpublish()
    assert ARTICLES_HEADING["ky"] not in get_page(client, course.url)[0]


def test_the_course_admin_edits_the_links_and_visitors_cannot(client, course, admin_user, participant):
    edit = f"/admin/pages/{course.pk}/edit/"
    assert client.get(edit).status_code == 302  # to the sign-in page
    client.force_login(participant)
    assert client.get(edit).status_code in (302, 403)
    client.force_login(admin_user)
    html = client.get(edit).content.decode()
    assert 'id="id_article_links-TOTAL_FORMS"' in html


def test_bounded_queries_whatever_the_number_of_links(client, course, journal, participant):
    from cms.models import ArticlePage
    from cms.services.site import ensure_child

    client.force_login(participant)  # signed in: never served from the cache
    link(course, journal["article"])
    client.get(course.url)
    few = get_page(client, course.url)[1]
    many = [ensure_child(journal["new"], ArticlePage, f"a-{number}", title=f"Макала {number}") for number in range(8)]
    link(course, journal["article"], *many)
    html, queries = get_page(client, course.url)
    assert html.count("Макала ") >= 8
    assert queries <= few + 1
