"""Content-Security-Policy in Chromium: the participant's, trainer's and admin's pages run with no violation
reported (no script, style, image, frame or worker refused), and a script without the nonce is refused."""

import pytest

from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import participant_pages, public_pages, site  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def watch(page):
    """Record CSP violations: the page's own events, and what Chromium writes to the console."""
    page.context.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: "Content Security Policy" in message.text and console.append(message.text))
    return console


def visit(page, base, paths, console):
    """{path: violations} for every page that reported one."""
    problems = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        assert "Content-Security-Policy" in {name.title() for name in response.headers} or response.headers.get(
            "content-security-policy"
        ), path
        page.wait_for_load_state("networkidle")
        reported = page.evaluate("window.__cspViolations || []") + console[:]
        console.clear()
        if reported:
            problems[path] = reported
    return problems


def report(problems):
    return "\n".join(f"{path}: {violations}" for path, violations in problems.items())


def test_a_script_without_the_nonce_is_refused_and_reported(live_server, site, page):  # noqa: F811
    console = watch(page)
    page.goto(live_server.url + "/ky/")
    page.wait_for_load_state("networkidle")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
                   document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("window.__cspViolations.length") >= 1 or console


def test_public_and_participant_pages_report_no_violation(live_server, site, page):  # noqa: F811
    console = watch(page)
    problems = visit(page, live_server.url, [*public_pages(site), "/api/docs/", "/api/redoc/"], console)
    log_in(page, live_server.url, site["participant"])
    problems.update(visit(page, live_server.url, participant_pages(site), console))
    assert not problems, report(problems)


def test_trainer_pages_run_their_scripts_with_no_violation(live_server, site, page):  # noqa: F811
    session = site["session"]
    trainer = session.trainers.first()
    console = watch(page)
    log_in(page, live_server.url, trainer)
    paths = [
        f"/ky/trainer/sessions/{session.pk}/check-in/",
        f"/ky/trainer/sessions/{session.pk}/attendance/",
        f"/ky/sessions/{session.pk}/",
        f"/ky/sessions/{session.pk}/handout/",
    ]
    problems = visit(page, live_server.url, paths, console)
    assert not problems, report(problems)


def test_admin_pages_report_no_violation(live_server, site, page):  # noqa: F811
    admin = factories.academy_admin()
    console = watch(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", admin.email)
    page.fill("input[name=password]", "pass-Word-123")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    paths = [
        "/admin/",
        f"/admin/pages/{site['course'].pk}/edit/",
        f"/admin/snippets/courses/session/edit/{site['session'].pk}/",
        f"/admin/certificates/actions/issue/?session={site['session'].pk}",
    ]
    problems = visit(page, live_server.url, paths, console)
    assert not problems, report(problems)
