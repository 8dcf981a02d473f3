"""Phone first, at 360×640: the catalogue shows a course on its first screen (the filters are folded behind
one button), the signed-in header stays compact, the session page's Register button is on the first screen,
and no page scrolls sideways. Long Kyrgyz titles are used on purpose."""

import pytest

from tests import factories
from tests.e2e import world
from tests.e2e.conftest import PASSWORD, expect, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREEN_HEIGHT = 640
LONG_TITLE = "Жергиликтүү өз алдынча башкаруу органдарынын муниципалдык кызмат көрсөтүүлөрүнүн сапатын жогорулатуу"


@pytest.fixture
def site(live_server, homes, course_index):
    course = factories.make_course(course_index, title=LONG_TITLE, hours=16, summary="Эки күндүк практикалык тренинг")
    factories.make_course(course_index, title="Муниципалдык менчикти башкаруу жана эсепке алуу", hours=8)
    session = world.make_session(course, in_days=14, trainers=[factories.trainer()], venue=world.make_venue())
    world.make_agenda(session)
    return {"index_url": course_index.get_url(), "session": session, "participant": factories.participant()}


def no_sideways_scroll(phone):
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{phone.url} scrolls sideways: {width} px wide"


def test_the_catalogue_shows_a_course_on_the_first_screen(live_server, site, phone):
    phone.goto(f"{live_server.url}{site['index_url']}")
    first_title = phone.locator(".card-list .card h2").first
    box = first_title.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN_HEIGHT, f"first course title at {box}"
    # The filters are folded: one button, its form hidden until opened; opening shows them.
    filters = phone.locator("details.filter-fold")
    expect(filters.locator("select, input[type=search]").first).to_be_hidden()
    filters.locator("summary").click()
    expect(filters.locator("select, input[type=search]").first).to_be_visible()
    no_sideways_scroll(phone)


def test_the_filter_button_counts_the_active_filters(live_server, site, phone):
    phone.goto(f"{live_server.url}{site['index_url']}?q=кызмат")
    expect(phone.locator("details.filter-fold summary")).to_contain_text("1")
    phone.goto(f"{live_server.url}/ky/sessions/")
    expect(phone.locator("details.filter-fold summary .badge")).to_have_count(0)
    expect(phone.locator(".card-list .card").first).to_be_in_viewport()
    no_sideways_scroll(phone)


def test_the_signed_in_header_is_compact_and_its_menu_opens(live_server, site, phone):
    log_in(phone, live_server.url, site["participant"], PASSWORD)
    phone.goto(f"{live_server.url}{site['index_url']}")
    height = phone.locator("header.site-header").bounding_box()["height"]
    assert height <= 120, f"signed-in header {height} px high"
    menu = phone.locator("header details.menu")
    log_out = menu.locator(".main-nav button.link")
    expect(log_out).to_be_hidden()
    menu.locator("summary").click()
    expect(log_out).to_be_visible()
    expect(menu.locator(".language-switcher a[hreflang=ru]")).to_be_visible()
    no_sideways_scroll(phone)


def test_the_register_button_is_on_the_first_screen_of_a_session(live_server, site, phone):
    log_in(phone, live_server.url, site["participant"], PASSWORD)
    phone.goto(f"{live_server.url}/ky/sessions/{site['session'].pk}/")
    button = phone.locator(".register-box button[type=submit]")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["y"] + box["height"] <= SCREEN_HEIGHT, f"Register button ends at {box['y'] + box['height']} px"
    title = phone.locator("main h1").bounding_box()
    assert title["height"] <= 150, f"the long Kyrgyz title takes {title['height']} px"
    no_sideways_scroll(phone)


def test_wide_screens_show_the_menu_and_filters_open(live_server, site, page):
    page.goto(f"{live_server.url}{site['index_url']}")
    expect(page.locator("header .main-nav a").first).to_be_visible()
    expect(page.locator("header details.menu summary")).to_be_hidden()
    expect(page.locator("details.filter-fold select, details.filter-fold input[type=search]").first).to_be_visible()


def test_the_course_page_shows_its_next_session_on_the_first_screen(live_server, site, phone):
    phone.goto(f"{live_server.url}{site['session'].course.url}")
    box = phone.locator(".session-list .card a").first.bounding_box()
    assert box["y"] + box["height"] <= SCREEN_HEIGHT, f"the next session's link ends at {box['y'] + box['height']} px"
    no_sideways_scroll(phone)


def test_the_qualification_record_fits_a_phone(live_server, site, phone):
    # Three table columns with Kyrgyz dates and long titles ran 434 px wide on the seeded demo.
    from datetime import date

    from certificates.services import external_trainings

    participant = site["participant"]
    for year in (2023, 2024, 2025):
        external_trainings.add_training(
            participant,
            by=factories.academy_admin(),
            title=LONG_TITLE,
            provider="Жергиликтүү өз алдынча башкаруу органдарынын союзу",
            starts_on=date(year, 12, 9),
            ends_on=date(year, 12, 11),
            hours=24,
        )
    log_in(phone, live_server.url, participant, PASSWORD)
    phone.goto(f"{live_server.url}/ky/my/qualification/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    no_sideways_scroll(phone)
    expect(phone.get_by_role("heading", level=3).first).to_contain_text("Жергиликтүү")
