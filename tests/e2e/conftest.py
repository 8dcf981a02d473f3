"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: Playwright launches /usr/bin/chromium. Without it the tests skip, unless
ACADEMY_REQUIRE_BROWSER=1 (CI), where a missing browser or axe-core fails the run.
A failing test leaves a full-page screenshot in test-artifacts/.
"""

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("ACADEMY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("ACADEMY_REQUIRE_BROWSER") == "1"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pass-Word-123"  # the factories' password


try:
    from playwright.sync_api import expect
except ImportError:  # the tests then skip (or fail under ACADEMY_REQUIRE_BROWSER) in the fixtures below
    expect = None


def pytest_collection_modifyitems(config, items):
    """Without the browser (a developer machine), skip before any database work; CI fails in the fixture."""
    if CHROMIUM.exists() or REQUIRE_BROWSER:
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install chromium (or make test-browser-deps)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _unavailable(reason):
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (ACADEMY_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    # Playwright's sync API keeps an asyncio loop in the main thread; the ORM calls the test itself makes
    # between browser steps (fixtures, assertions) are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # While that loop runs, Django's thread-critical connection storage switches to a context-local one and
    # would hand out new connection objects: without the test database's serialized contents (so the next
    # serialized_rollback test would start from an empty database). Keep the very same connections.
    from django.db import connections

    current = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as driver:
            for alias, connection in current.items():
                connections[alias] = connection
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


class OneAtATime:
    """The live server's requests and the test's own code take turns, one at a time.

    On SQLite the live server shares the test's in-memory database connection between threads, and pages
    keep talking to the server on their own (the check-in screen and the certificate batch page poll, the
    Wagtail editor pings): the test's ORM calls must never run in the middle of a request. The test thread
    holds this lock except while it waits for the browser; each request takes it from start to finish.
    """

    def __init__(self):
        self._lock = threading.RLock()

    def request_started(self, **kwargs):
        self._lock.acquire()

    def request_finished(self, **kwargs):
        self._lock.release()

    @contextmanager
    def waiting_for_the_browser(self):
        state = self._lock._release_save() if self._lock._is_owned() else None
        try:
            yield
        finally:
            if state is not None:
                self._lock._acquire_restore(state)

    @contextmanager
    def held(self):
        self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()


@pytest.fixture
def one_at_a_time(live_server, monkeypatch):
    from django.core.signals import request_finished, request_started
    from playwright._impl import _sync_base

    turns = OneAtATime()
    wait_for_future = _sync_base.wait_for_future

    def wait_for_the_browser(*args, **kwargs):
        with turns.waiting_for_the_browser():
            return wait_for_future(*args, **kwargs)

    monkeypatch.setattr(_sync_base, "wait_for_future", wait_for_the_browser)
    request_started.connect(turns.request_started, dispatch_uid="e2e-one-at-a-time-start")
    request_finished.connect(turns.request_finished, dispatch_uid="e2e-one-at-a-time-finish")
    try:
        with turns.held():
            yield turns
    finally:
        request_started.disconnect(dispatch_uid="e2e-one-at-a-time-start")
        request_finished.disconnect(dispatch_uid="e2e-one-at-a-time-finish")


def _open_page(browser, request, label, **context_options):
    context = browser.new_context(locale="ky-KG", timezone_id="Asia/Bishkek", **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    failed = any(
        getattr(request.node, f"report_{when}", None) and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        for index, open_page in enumerate(context.pages):
            try:
                open_page.screenshot(path=str(ARTIFACTS / f"{name}-{label}{index}.png"), full_page=True)
                (ARTIFACTS / f"{name}-{label}{index}.html").write_text(open_page.content())
            except Exception:  # the page may be gone; the failure itself is what matters
                pass
    context.close()


@pytest.fixture
def page(browser, one_at_a_time, request):
    """A desktop-sized page."""
    yield from _open_page(browser, request, "page", viewport=DESKTOP)


@pytest.fixture
def phone(browser, one_at_a_time, request):
    """A phone: 360×640, touch, as a municipal servant's Android handset."""
    yield from _open_page(
        browser, request, "phone", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )


def log_in(page, base_url, user, password=PASSWORD, language="ky"):
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def submit(page, button):
    """Click a form's submit button and return the response to its POST (302: the form was accepted)."""
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        button.click()
    page.wait_for_load_state()
    return posted.value


SERIOUS = {"serious", "critical"}


def axe_violations(page, impacts=SERIOUS):
    """Run axe-core (from node_modules, never a CDN) on the page; the serious and critical violations."""
    if not AXE.exists():
        _unavailable("node_modules/axe-core is missing: run `npm ci`")
    # Evaluated through the DevTools protocol rather than added as a <script>: the site's
    # Content-Security-Policy refuses an inline script without the page's nonce.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
               runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
               resultTypes: ['violations'],
           })"""
    )
    return [violation for violation in result["violations"] if violation["impact"] in impacts]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)
