"""The trainer's field pages stay light on a phone (issue #14 §3): each page, loaded cold at 360×640 as a
signed-in trainer, transfers under 150 KB in all (document, CSS, JavaScript, images, fonts).

The Wagtail userbar alone weighed about 1.2 MB (userbar.js, vendor.js, core.css) on every one of them."""

import io

import pytest

from courses.models import Registration
from tests import factories
from tests.e2e import world
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LIMIT = 150 * 1024


def cold_weight(browser_context, url):
    """Open url in a fresh page with the cache off; the bytes of every response (bodies and headers)."""
    page = browser_context.new_page()
    cdp = browser_context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    # The trainer pages' service worker would answer from its own cache (and report 0 bytes): a cold visit
    # is the first one, before any worker, so every request goes to the network.
    cdp.send("Network.setBypassServiceWorker", {"bypass": True})
    received = {}
    cdp.on("Network.loadingFinished", lambda event: received.update({event["requestId"]: event["encodedDataLength"]}))
    urls = []
    page.on("response", lambda response: urls.append(response.url))
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, (url, response.status)
    page.close()
    return sum(received.values()), urls


def test_field_pages_weigh_under_150_kb_on_a_phone(live_server, course_index, phone):
    from courses.services import materials as material_service
    from tests.materials.conftest import pdf_bytes

    course = factories.make_course(course_index, title="Муниципалдык кызмат көрсөтүүлөр", hours=16)
    trainer = factories.trainer()
    session = world.make_session(course, in_days=0, trainers=[trainer], venue=world.make_venue())
    world.make_agenda(session, world.BATKEN_TIMES[:4])
    for _ in range(3):
        Registration.objects.create(session=session, user=factories.participant(), status="confirmed")
    material_service.create_material(
        trainer,
        session=session,
        title="Тарифтер боюнча колдонмо",
        kind="document",
        visibility="participants",
        upload=material_service.Upload(file=io.BytesIO(pdf_bytes("Тарифтер")), name="tarif.pdf"),
    )
    assert trainer.has_perm("wagtailadmin.access_admin")  # the case that drew the userbar in

    log_in(phone, live_server.url, trainer)
    pages = {
        "trainer dashboard": "/ky/trainer/",
        "roll call": f"/ky/trainer/sessions/{session.pk}/attendance/",
        "check-in screen": f"/ky/trainer/sessions/{session.pk}/check-in/",
        "handout": f"/ky/sessions/{session.pk}/handout/",
    }
    weights = {}
    for name, path in pages.items():
        weight, urls = cold_weight(phone.context, live_server.url + path)
        weights[name] = weight
        print(f"{name}: {weight / 1024:.1f} KB in {len(urls)} responses")
        assert not [url for url in urls if "/static/wagtailadmin/" in url], (name, urls)
    heavy = {name: weight for name, weight in weights.items() if weight >= LIMIT}
    assert not heavy, {name: f"{weight / 1024:.1f} KB" for name, weight in heavy.items()}
