"""Accessibility: axe-core (from npm, injected locally) on the public pages, with no serious or critical
violation, contrast included; and the registration done with the keyboard alone."""

import re

import pytest

from courses.models import Registration
from tests import factories
from tests.e2e import world
from tests.e2e.conftest import PASSWORD, axe_violations, describe, expect, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def site(live_server, homes, course_index):
    from cms.services.site import translate_page

    course = factories.make_course(
        course_index, title="Муниципалдык кызмат көрсөтүүлөр", hours=16, summary="Эки күндүк практикалык тренинг"
    )
    translate_page(course, "ru", title="Муниципальные услуги")
    translate_page(course, "en", title="Municipal services")
    trainer = factories.trainer()
    session = world.make_session(course, in_days=14, trainers=[trainer], venue=world.make_venue())
    world.make_agenda(session)
    participant = factories.participant()
    held = world.make_session(course, in_days=-30, trainers=[trainer], status="completed")
    done = world.complete(Registration.objects.create(session=held, user=participant, status="confirmed"))
    Registration.objects.create(session=session, user=participant, status="confirmed")
    certificate = world.issue_certificate(done, factories.academy_admin())
    return {
        "course": course,
        "session": session,
        "participant": participant,
        "certificate": certificate,
        "index_url": course_index.get_url(),
        "course_url": course.get_url(),
    }


def public_pages(site):
    return [
        "/ky/",
        "/ru/",
        "/en/",
        site["index_url"],
        site["course_url"],
        "/ky/catalogue/",
        "/ky/sessions/",
        f"/ky/sessions/{site['session'].pk}/",
        "/ky/accounts/signup/",
        "/ky/accounts/login/",
        f"/verify/{site['certificate'].code}/",
        "/ru/accounts/signup/",
        "/en/accounts/login/",
    ]


def participant_pages(site):
    return [
        "/ky/my/trainings/",
        "/ky/my/trainings/?show=past",
        "/ky/my/certificates/",
        f"/ky/sessions/{site['session'].pk}/",
        "/ky/accounts/profile/",
    ]


def audit(page, base, paths):
    """{path: violations} for every page with serious or critical violations."""
    problems = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        violations = axe_violations(page)
        if violations:
            problems[path] = describe(violations)
    return problems


def report(problems):
    return "\n".join(f"{path}\n{text}" for path, text in problems.items())


def test_public_and_participant_pages_have_no_serious_axe_violations(live_server, site, page):
    problems = audit(page, live_server.url, public_pages(site))
    log_in(page, live_server.url, site["participant"])
    logged_in = audit(page, live_server.url, participant_pages(site))
    problems.update({f"{path} (logged in)": text for path, text in logged_in.items()})
    assert not problems, report(problems)


def test_the_participants_pages_on_a_phone_have_no_serious_axe_violations(live_server, site, phone):
    """The same rules at 360×640, where the header wraps and cards stack: the pages a participant uses."""
    anonymous = ["/ky/", f"/ky/sessions/{site['session'].pk}/", "/ky/accounts/signup/", "/ky/accounts/login/"]
    problems = audit(phone, live_server.url, [*anonymous, f"/verify/{site['certificate'].code}/"])
    log_in(phone, live_server.url, site["participant"])
    logged_in = audit(phone, live_server.url, ["/ky/my/trainings/", "/ky/my/certificates/"])
    problems.update({f"{path} (logged in)": text for path, text in logged_in.items()})
    assert not problems, report(problems)


def test_a_form_with_errors_has_no_serious_axe_violations(live_server, site, page):
    page.goto(f"{live_server.url}/ky/accounts/signup/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def focus_on(page, selector, presses=60, key="Tab"):
    """Press Tab until the element matching `selector` has the focus; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate("(selector) => document.activeElement && document.activeElement.matches(selector)", selector):
            return page.locator(":focus")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def assert_focus_visible(page):
    """The focused element shows a focus ring (an outline or a box shadow)."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }"""
    )
    assert (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none", style


def test_registering_with_the_keyboard_only(live_server, site, phone):
    session = site["session"]
    newcomer = factories.participant()
    base = live_server.url
    phone.goto(f"{base}/ky/sessions/{session.pk}/")

    # The skip link is the first stop, and leads to the content.
    phone.keyboard.press("Tab")
    expect(phone.locator(":focus")).to_have_class(re.compile("skip-link"))
    assert_focus_visible(phone)

    focus_on(phone, ".register-box a[href*='/accounts/login/']")
    assert_focus_visible(phone)
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"/ky/accounts/login/"))
    if not phone.evaluate("document.activeElement.name === 'username'"):  # autofocus, else Tab to it
        focus_on(phone, "input[name=username]")
    phone.keyboard.type(newcomer.email)
    phone.keyboard.press("Tab")
    expect(phone.locator(":focus")).to_have_attribute("name", "password")
    phone.keyboard.type(PASSWORD)
    phone.keyboard.press("Enter")

    expect(phone).to_have_url(re.compile(rf"/ky/sessions/{session.pk}/"))
    focus_on(phone, f".register-box form[action$='/sessions/{session.pk}/register/'] button")
    assert_focus_visible(phone)
    phone.keyboard.press("Enter")
    expect(phone.locator(".register-box .badge")).to_be_visible()
    expect(phone.locator(".messages .success")).to_be_visible()
    assert Registration.objects.get(session=session, user=newcomer).status == "confirmed"
    violations = axe_violations(phone)  # the page with its confirmation message
    assert not violations, describe(violations)


def test_the_trainer_takes_the_roll_with_the_keyboard(live_server, site, page):
    """Roll call buttons are real buttons: Tab reaches them, Enter or Space presses them."""
    participant = site["participant"]
    trainer = site["session"].trainers.get()
    # Marks are taken on the day itself (a day that has not come is refused): a session running today.
    session = world.make_session(site["course"], in_days=0, trainers=[trainer], venue=site["session"].venue)
    registration = Registration.objects.create(session=session, user=participant, status="confirmed")
    log_in(page, live_server.url, trainer)
    page.goto(f"{live_server.url}/ky/trainer/sessions/{session.pk}/attendance/")
    focus_on(page, f"#r{registration.pk} button.rc-present")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(page.locator(f"#r{registration.pk}")).to_have_attribute("data-status", "present")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_axe_does_catch_a_contrast_problem(page):
    """The engine itself works here: a pale grey text on white is reported (so a clean run means something)."""
    page.set_content(
        '<html lang="en"><title>t</title><main><p style="color:#bbb;background:#fff">Pale text</p></main></html>'
    )
    assert "color-contrast" in {violation["id"] for violation in axe_violations(page)}
