"""Every kind of QR code the product prints decodes to a URL on the site's address, and that URL answers
(issue #14 §4). Production ("configured"): WAGTAILADMIN_BASE_URL, whatever Host a request names. The embedded
mode ("served", dev settings): the address the site is being served on, e.g. a laptop's LAN address."""

import io
import re
from datetime import timedelta
from urllib.parse import urlparse

import cairosvg
import pytest
import zxingcpp
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from academy.base_url import RequestBaseUrlMiddleware
from courses.models import Registration
from tests import factories
from tests.certificates.conftest import make_template, qr_urls, register
from tests.materials.conftest import make_material, pdf_bytes, upload
from tests.materials.test_qr_decode import pdf_pages

CONFIGURED = "http://testserver"
SERVED_HOST = "192.168.1.20:8080"
SERVED = f"http://{SERVED_HOST}"


@pytest.fixture(params=["configured", "served"])
def mode(request, settings):
    settings.ACADEMY_SHORT_LINK_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = CONFIGURED
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SERVED_HOST.split(":")[0]]
    if request.param == "served":
        settings.ACADEMY_BASE_URL_FROM_REQUEST = True
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "academy.base_url.RequestBaseUrlMiddleware"]
        return {"base": SERVED, "host": SERVED_HOST}
    settings.ACADEMY_BASE_URL_FROM_REQUEST = False
    return {"base": CONFIGURED, "host": SERVED_HOST}  # a request's Host never leaks into production links


def decode_png(content):
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(content)).convert("L"))]


def decode_svg(svg):
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=600, output_height=600, background_color="white")
    return decode_png(png)


def assert_answers(client, urls, base, host):
    assert urls, "no QR code found"
    for url in urls:
        assert url.startswith(base + "/"), url
        parsed = urlparse(url)
        response = client.get(parsed.path + (f"?{parsed.query}" if parsed.query else ""), HTTP_HOST=host)
        assert response.status_code in (200, 302), (url, response.status_code)


@pytest.mark.django_db
def test_material_qr_image_in_the_admin(client, course, trainer, admin_user, mode):
    session = factories.make_session(course, trainers=[trainer])
    material = make_material(trainer, session, upload=upload("plan.pdf", pdf_bytes("QR")))
    client.force_login(admin_user)
    png = client.get(reverse("short_link_png", kwargs={"code": material.short_link.code}), HTTP_HOST=mode["host"])
    assert png.status_code == 200
    assert_answers(client, decode_png(png.content), mode["base"], mode["host"])


@pytest.mark.django_db
def test_handout_pdf_qr_codes(client, course, trainer, mode):
    session = factories.make_session(course, trainers=[trainer])
    session.save()
    make_material(trainer, session, upload=upload("plan.pdf", pdf_bytes("QR")))
    client.force_login(trainer)
    response = client.get(reverse("session_handout_pdf", kwargs={"session_id": session.pk}), HTTP_HOST=mode["host"])
    assert response.status_code == 200
    urls = [result.text for image in pdf_pages(response.content) for result in zxingcpp.read_barcodes(image)]
    assert_answers(client, urls, mode["base"], mode["host"])


@pytest.mark.django_db
def test_check_in_screen_qr(client, course, trainer, participant, mode, clock):
    # The clock: a session that started an hour ago must end later today, whatever hour the suite runs at.
    session = factories.make_session(course, starts_at=timezone.now() - timedelta(hours=1), days=1, trainers=[trainer])
    session.save()
    Registration.objects.create(session=session, user=participant, status="confirmed")
    client.force_login(trainer)
    page = client.get(reverse("attendance_checkin_screen", args=[session.pk]), HTTP_HOST=mode["host"])
    assert page.status_code == 200
    svg = re.search(r"<svg.*?</svg>", page.content.decode(), re.S).group(0)
    client.force_login(participant)
    assert_answers(client, decode_svg(svg), mode["base"], mode["host"])


@pytest.mark.django_db
def test_certificate_pdf_qr(client, course, trainer, participant, admin_user, mode):
    from certificates.services.issuance import issue_certificate

    make_template()
    session = factories.make_session(
        course, starts_at=factories.bishkek(2026, 11, 10), trainers=[trainer], status="completed"
    )
    session.save()
    registration = register(session, participant)

    def issue(request):  # issued while the admin's request is served, as the embedded mode's eager task is
        certificate, _created = issue_certificate(registration, issued_by=admin_user)
        return certificate

    certificate = RequestBaseUrlMiddleware(issue)(RequestFactory().get("/", HTTP_HOST=mode["host"]))
    client.force_login(participant)
    response = client.get(reverse("my_certificate_pdf", args=[certificate.pk]), HTTP_HOST=mode["host"])
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert_answers(client, qr_urls(content), mode["base"], mode["host"])
