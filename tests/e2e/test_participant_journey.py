"""The municipal servant, on a 360×640 phone: signs up, enrols, opens a material from its QR code, checks in
with the trainer's rotating code, and downloads the certificate."""

import io
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from academy.models import User
from courses.models import Attendance, Registration
from tests import factories
from tests.e2e import world
from tests.e2e.conftest import PHONE, axe_violations, describe, expect, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "aigul.toktosunova@example.org"
PASSWORD = "Kyshtut-2026-tariff"


def decode_qr(png):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found"
    return results[0].text


def pdf_page_text(data):
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def assert_fits_the_phone(phone):
    """Nothing sticks out sideways: no horizontal scrolling on a 360 px screen."""
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], phone.url


@pytest.fixture
def batken(live_server, course_index, settings):
    """An upcoming session (tomorrow) of a course, its trainer, a participants-only handout, a certificate template."""
    from courses.services import materials as material_service
    from courses.services import shortlinks
    from tests.materials.conftest import pdf_bytes

    settings.ACADEMY_SHORT_LINK_BASE_URL = live_server.url  # what the printed QR codes point at
    course = factories.make_course(course_index, title="Муниципалдык кызмат көрсөтүүлөр", hours=16)
    trainer = factories.trainer()
    session = world.make_session(course, in_days=1, trainers=[trainer], venue=world.make_venue(), capacity=25)
    world.make_agenda(session, world.BATKEN_TIMES[:4])
    material = material_service.create_material(
        trainer,
        session=session,
        title="Тарифтер боюнча колдонмо",
        kind="document",
        visibility="participants",
        upload=material_service.Upload(
            file=io.BytesIO(pdf_bytes("Тарифтер жана кызмат көрсөтүүлөр")), name="tarif.pdf"
        ),
    )
    link = shortlinks.ensure_material_link(material)
    world.certificate_template()
    return {"session": session, "trainer": trainer, "material": material, "link": link}


def test_municipal_servant_signs_up_enrols_scans_checks_in_and_downloads_the_certificate(
    live_server, batken, phone, page, settings
):
    session = batken["session"]
    base = live_server.url
    settings.WAGTAILADMIN_BASE_URL = base  # printed codes name the configured site address (academy/base_url.py)

    # 1. The session page, then "Create an account" from its registration box.
    phone.goto(f"{base}/ky/sessions/{session.pk}/")
    assert_fits_the_phone(phone)
    phone.locator(".register-box a[href*='/accounts/signup/']").tap()
    expect(phone).to_have_url(re.compile(r"/ky/accounts/signup/"))
    phone.fill("#id_email", EMAIL)
    phone.fill("#id_password", PASSWORD)
    phone.fill("#id_full_name", "Айгүл Токтосунова")
    phone.fill("#id_full_name_latin", "Aigul Toktosunova")
    phone.select_option("#id_gender", "female")
    phone.fill("#id_position", "Айыл өкмөтүнүн адиси")
    phone.select_option("#id_organization_kind", "ayil_okmotu")
    phone.fill("#id_organization_name", "Кыштут айыл өкмөтү")
    phone.select_option("#id_municipality", str(factories.municipality("kyshtut").pk))
    phone.fill("#id_phone", "+996 555 123 456")
    phone.check("#id_consent")
    assert_fits_the_phone(phone)
    phone.locator("main form button[type=submit]").tap()

    # 2. Back on the session page, logged in: register.
    expect(phone).to_have_url(re.compile(rf"/ky/sessions/{session.pk}/"))
    user = User.objects.get(email=EMAIL)
    assert user.profile.full_name == "Айгүл Токтосунова" and user.profile.consent_given_at is not None
    phone.locator(f".register-box form[action$='/sessions/{session.pk}/register/'] button").tap()
    expect(phone.locator(".messages .success")).to_be_visible()
    expect(phone.locator(".register-box .badge")).to_be_visible()
    registration = Registration.objects.get(session=session, user=user)
    assert registration.status == "confirmed"

    # 3. The handout's printed QR code leads to the PDF, now that she is a participant.
    qr = Client().get(f"/q/{batken['link'].code}.png").content
    material_url = decode_qr(qr)
    assert material_url == f"{base}/q/{batken['link'].code}?lang=ky"  # the link speaks the material's language
    response = phone.goto(material_url)  # Chromium shows the PDF in its viewer
    assert response.ok and response.headers["content-type"] == "application/pdf", response.url
    assert "/documents/" in response.url
    # The viewer's own copy is not exposed; fetch it again with the same cookies, as "Save" would.
    assert "Тарифтер" in pdf_page_text(phone.request.get(response.url).body())

    # 4. The training day arrives. The trainer's screen shows the rotating code; she scans it and confirms.
    world.bring_forward(session)
    log_in(page, base, batken["trainer"])
    page.goto(f"{base}/ky/trainer/sessions/{session.pk}/check-in/")
    screen = page.locator("#qr-box svg")
    expect(screen).to_be_visible()
    checkin_url = decode_qr(screen.screenshot())
    assert re.search(r"/ky/check-in/[^/]+/$", checkin_url), checkin_url
    phone.goto(checkin_url)
    assert_fits_the_phone(phone)
    violations = axe_violations(phone)
    assert not violations, describe(violations)
    phone.locator(".checkin-box form button[type=submit]").tap()
    expect(phone.locator(".checkin-box .status-ok")).to_be_visible()
    attendance = Attendance.objects.get(registration=registration)
    assert attendance.method == "qr" and attendance.status in ("present", "late")
    # The trainer's screen counts her within a few seconds (it polls every rotation).
    page.reload()
    expect(page.locator("#qr-checked")).to_have_text("1")

    # 5. The training is over and the academy issues her certificate; she downloads it from "My certificates".
    world.complete(registration)
    certificate = world.issue_certificate(registration, factories.academy_admin())
    phone.goto(f"{base}/ky/")
    phone.locator("header details.menu > summary").tap()  # on a phone the links are folded behind "Menu"
    phone.locator("header a[href$='/my/certificates/']").tap()
    expect(phone.locator("main .card h2")).to_have_count(1)
    assert_fits_the_phone(phone)
    with phone.expect_download() as download_info:
        phone.locator(f"main a[href$='/my/certificates/{certificate.pk}/pdf/']").tap()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert certificate.number in pdf_page_text(pdf)
    assert not phone.js_errors and not page.js_errors
