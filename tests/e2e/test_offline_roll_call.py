"""The roll call offline (issue #14 §2): the trainer opens the roll call, loses the connection, marks ten
people, reloads the page (it comes from the service worker, the ten marks still there as "not sent yet"),
and when the connection returns the ten marks reach the server exactly once."""

import pytest

from courses.models import Attendance, AttendanceChange, Registration
from tests import factories
from tests.e2e import world
from tests.e2e.conftest import PHONE, expect, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 10


@pytest.fixture
def phone_with_workers(browser, one_at_a_time, request):
    """A phone whose pages may run service workers (the conftest's phone is the same without the option)."""
    from tests.e2e.conftest import _open_page

    yield from _open_page(
        browser,
        request,
        "phone",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        service_workers="allow",
    )


def worker_ready(page):
    """Wait until the service worker controls the page and has kept the roll call."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        """async (url) => {
               const names = await caches.keys();
               for (const name of names) {
                   const cache = await caches.open(name);
                   if (await cache.match(url, {ignoreVary: true})) { return true; }
               }
               return false;
           }""",
        arg=page.url,
    )


def test_marks_taken_offline_reach_the_server_once(live_server, course_index, phone_with_workers):
    phone = phone_with_workers
    course = factories.make_course(course_index, title="Муниципалдык кызмат көрсөтүүлөр", hours=16)
    trainer = factories.trainer()
    session = world.make_session(course, in_days=0, trainers=[trainer], venue=world.make_venue())
    registrations = [
        Registration.objects.create(session=session, user=factories.participant(), status="confirmed")
        for _ in range(PEOPLE)
    ]
    base = live_server.url.replace("localhost", "127.0.0.1")  # a secure context: service workers run

    log_in(phone, base, trainer)
    roll_call = f"{base}/ky/trainer/sessions/{session.pk}/attendance/"
    phone.goto(roll_call)
    expect(phone.locator("#rc-offline")).to_have_attribute("data-ready", "true")
    # The first visit installs the worker (and has it keep today's roll calls); the next one is its.
    phone.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    phone.goto(roll_call)
    expect(phone.locator("#rc-offline")).to_have_attribute("data-ready", "true")
    worker_ready(phone)

    phone.context.set_offline(True)
    statuses = ["present", "late", "absent"]
    for index, registration in enumerate(registrations):
        row = phone.locator(f"#r{registration.pk}")
        status = statuses[index % 3]
        row.locator(f"button.rc-{status}").tap()
        expect(row).to_have_attribute("data-status", status)
        expect(row.locator(".rc-pending")).to_be_visible()
    expect(phone.locator("#rc-unsent [data-unsent]")).to_have_text(str(PEOPLE))
    assert Attendance.objects.count() == 0

    response = phone.reload()
    assert response.from_service_worker
    expect(phone.locator("#rc-offline")).to_have_attribute("data-ready", "true")
    expect(phone.locator(".rc-row.rc-unsent")).to_have_count(PEOPLE)
    expect(phone.locator("#rc-unsent [data-unsent]")).to_have_text(str(PEOPLE))
    for index, registration in enumerate(registrations):
        expect(phone.locator(f"#r{registration.pk}")).to_have_attribute("data-status", statuses[index % 3])

    phone.context.set_offline(False)
    expect(phone.locator("#rc-unsent")).to_be_hidden(timeout=30_000)
    expect(phone.locator(".rc-row.rc-unsent")).to_have_count(0)

    stored = {row.registration_id: row.status for row in Attendance.objects.filter(registration__session=session)}
    assert stored == {r.pk: statuses[i % 3] for i, r in enumerate(registrations)}
    assert Attendance.objects.count() == PEOPLE
    changes = list(AttendanceChange.objects.values_list("client_id", "registration_id"))
    assert len(changes) == PEOPLE
    assert len({client_id for client_id, _ in changes}) == PEOPLE
    assert len({registration for _, registration in changes}) == PEOPLE
    assert not phone.js_errors
