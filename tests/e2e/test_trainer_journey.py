"""The trainer: schedules a two-day session with its 11 agenda blocks in the Wagtail admin, then takes
attendance on a phone."""

import re

import pytest

from courses.models import AgendaItem, Attendance, Registration, Session
from tests import factories
from tests.e2e import world
from tests.e2e.conftest import expect, log_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_date(page, selector, value):
    """Type a date or time into one of Wagtail's picker fields, then close the picker as a click elsewhere does.

    The picker opens 100 ms after the field gets the focus: wait for it, or it would open after being closed
    and cover the Save button.
    """
    page.fill(selector, value)
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    page.locator("body").dispatch_event("mousedown")
    expect(picker).to_have_count(0)


def test_trainer_schedules_a_two_day_session_with_eleven_agenda_blocks(live_server, course_index, page):
    course = factories.make_course(course_index, title="Социалдык жоопкерчилик", hours=18)
    trainer = factories.trainer()
    venue = world.make_venue()
    # The course ran before: its last session had the first ten blocks of the Batken programme.
    previous = world.make_session(course, in_days=-30, trainers=[trainer], status="completed", venue=venue)
    world.make_agenda(previous, world.BATKEN_TIMES[:10], title="Блок")
    first_day, second_day = world.local_day(14), world.local_day(15)

    log_in(page, live_server.url, trainer)
    page.goto(f"{live_server.url}/admin/snippets/courses/session/add/")
    page.select_option("#id_course", str(course.pk))
    page.select_option("#id_status", "open")
    fill_date(page, "#id_starts_at", f"{first_day:%Y-%m-%d} 09:00")
    fill_date(page, "#id_ends_at", f"{second_day:%Y-%m-%d} 18:00")
    page.select_option("#id_venue", str(venue.pk))
    page.fill("#id_capacity", "25")
    page.check(f"input[name=trainers][value='{trainer.pk}']")
    assert submit(page, page.locator("button.action-save")).status == 302
    expect(page.locator(".messages .success")).to_be_visible()

    session = Session.objects.exclude(pk=previous.pk).get()
    assert session.venue == venue and list(session.trainers.all()) == [trainer]
    assert [timezone_date(session.starts_at), timezone_date(session.ends_at)] == [first_day, second_day]

    # Copy the previous agenda (ten blocks), from the edit page's header menu.
    page.goto(f"{live_server.url}/admin/snippets/courses/session/edit/{session.pk}/")
    copy_link = page.locator(f"a[href$='/copy-agenda/{session.pk}/']")
    if not copy_link.is_visible():
        page.locator("header .w-dropdown__toggle").click()  # the header's "more actions" menu
    copy_link.click()
    expect(page.locator("main ol li")).to_have_count(10)
    assert submit(page, page.locator("main form button[type=submit]")).status == 302

    # Back on the edit page: rename the opening block and type the eleventh, the joint action plan.
    expect(page.locator("#id_agenda_items-TOTAL_FORMS")).to_have_value("10")
    assert AgendaItem.objects.filter(session=session).count() == 10
    page.fill("#id_agenda_items-0-title", "Тренингдин ачылышы")
    page.locator("#id_agenda_items-ADD").click()
    fill_date(page, "#id_agenda_items-10-day", f"{second_day:%Y-%m-%d}")
    fill_date(page, "#id_agenda_items-10-starts_at", "16:45")
    fill_date(page, "#id_agenda_items-10-ends_at", "18:00")
    page.fill("#id_agenda_items-10-title", "Биргелешкен аракеттердин планы (БАП)")
    assert submit(page, page.locator("button.action-save")).status == 302

    items = list(AgendaItem.objects.filter(session=session).order_by("day", "starts_at"))
    assert len(items) == 11
    assert [item.day for item in items].count(first_day) == 6
    assert [item.day for item in items].count(second_day) == 5
    assert items[0].title == "Тренингдин ачылышы"
    assert items[-1].title == "Биргелешкен аракеттердин планы (БАП)"
    assert [(f"{item.starts_at:%H:%M}", f"{item.ends_at:%H:%M}") for item in items] == [
        (start, end) for _day, start, end in world.BATKEN_TIMES
    ]

    # The public session page shows the programme.
    page.goto(f"{live_server.url}/ky/sessions/{session.pk}/")
    expect(page.get_by_text("Биргелешкен аракеттердин планы (БАП)")).to_be_visible()
    assert not page.js_errors


def timezone_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_trainer_takes_attendance_on_a_phone(live_server, course_index, phone):
    course = factories.make_course(course_index, title="Муниципалдык кызмат көрсөтүүлөр", hours=16)
    trainer = factories.trainer()
    session = world.make_session(course, in_days=0, trainers=[trainer], venue=world.make_venue())
    people = [factories.participant() for _ in range(3)]
    registrations = [Registration.objects.create(session=session, user=p, status="confirmed") for p in people]

    log_in(phone, live_server.url, trainer)
    phone.goto(f"{live_server.url}/ky/trainer/")
    card = phone.locator(f"#s{session.pk}")
    card.locator(f"a[href$='/trainer/sessions/{session.pk}/attendance/']").click()
    expect(phone).to_have_url(re.compile(rf"/trainer/sessions/{session.pk}/attendance/"))

    rows = phone.locator(".rc-row")
    expect(rows).to_have_count(3)
    # Nothing sticks out sideways on a 360 px screen, in any language ("Отсутствует" once ran 425 px wide).
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for language in ("ru", "en"):
        phone.goto(f"{live_server.url}/{language}/trainer/sessions/{session.pk}/attendance/")
        expect(rows).to_have_count(3)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, language
    phone.goto(f"{live_server.url}/ky/trainer/sessions/{session.pk}/attendance/")

    marks = {registrations[0]: "present", registrations[1]: "late", registrations[2]: "absent"}
    for registration, status in marks.items():
        row = phone.locator(f"#r{registration.pk}")
        row.locator(f"button.rc-{status}").tap()
        expect(row).to_have_attribute("data-status", status)
        expect(row.locator(f"button.rc-{status}")).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#rc-summary [data-count=present]")).to_have_text("1")
    expect(phone.locator("#rc-summary [data-count=late]")).to_have_text("1")
    expect(phone.locator("#rc-summary [data-count=absent]")).to_have_text("1")
    # A mark shows at once and says "not sent yet" until the server has it (static/js/rollcall.js).
    expect(phone.locator(".rc-row.rc-unsent")).to_have_count(0)

    today = timezone_date(session.starts_at)
    stored = {row.registration_id: (row.status, row.method, row.day) for row in Attendance.objects.all()}
    assert stored == {r.pk: (status, "roll_call", today) for r, status in marks.items()}

    # A correction (late → present) replaces the mark, and the page shows the stored marks after a reload.
    phone.locator(f"#r{registrations[1].pk} button.rc-present").tap()
    expect(phone.locator(f"#r{registrations[1].pk}")).to_have_attribute("data-status", "present")
    expect(phone.locator(".rc-row.rc-unsent")).to_have_count(0)
    phone.reload()
    expect(phone.locator("#rc-summary [data-count=present]")).to_have_text("2")
    expect(phone.locator(f"#r{registrations[1].pk} button.rc-present")).to_have_attribute("aria-pressed", "true")
    assert Attendance.objects.get(registration=registrations[1]).status == "present"
    assert Attendance.objects.count() == 3
    assert not phone.js_errors
