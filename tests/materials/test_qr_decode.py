"""Every generated QR code is read back with a real decoder (zxing-cpp) and followed to the file."""

import io

import cairosvg
import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from courses.handout import Handout, HandoutItem, render_handout_pdf
from courses.qr import qr_png, qr_svg
from courses.services import materials as service

from .conftest import file_content, make_material, pdf_bytes, upload


def decode(image):
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


def svg_to_image(svg):
    return Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode() if isinstance(svg, str) else svg, output_width=400)))


def pdf_pages(content, scale=2.5):
    document = pypdfium2.PdfDocument(content)
    try:
        return [document[index].render(scale=scale).to_pil() for index in range(len(document))]
    finally:
        document.close()


def follow_to_file(client, url):
    path = url.removeprefix("http://testserver")
    response = client.get(path, follow=True)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("url", ["http://testserver/q/abc2345", "https://academy.kg/q/" + "x" * 7])
def test_qr_helpers_round_trip(url):
    assert decode(Image.open(io.BytesIO(qr_png(url)))) == [url]
    assert decode(Image.open(io.BytesIO(qr_png(url, 3)))) == [url]
    assert decode(svg_to_image(qr_svg(url))) == [url]


@pytest.mark.django_db
def test_png_and_svg_codes_lead_to_the_file(client, session, trainer):
    material = make_material(trainer, session, upload=upload("plan.pdf", pdf_bytes("QR аркылуу")))
    code = material.short_link.code
    png = client.get(reverse("short_link_png", kwargs={"code": code}))
    svg = client.get(reverse("short_link_svg", kwargs={"code": code}))
    expected = f"http://testserver/q/{code}?lang=ky"  # the material's language
    assert decode(Image.open(io.BytesIO(png.content))) == [expected]
    assert decode(svg_to_image(svg.content)) == [expected]
    response = follow_to_file(client, expected)
    with material.document.open_file() as handle:
        assert file_content(response) == handle.read()


@pytest.mark.django_db
def test_short_links_use_the_configured_public_address(client, session, trainer, settings):
    settings.ACADEMY_SHORT_LINK_BASE_URL = "https://academy.example.kg/"
    material = make_material(trainer, session)
    png = client.get(reverse("short_link_png", kwargs={"code": material.short_link.code}))
    assert decode(Image.open(io.BytesIO(png.content))) == [
        f"https://academy.example.kg/q/{material.short_link.code}?lang=ky"
    ]


@pytest.mark.django_db
def test_every_code_on_the_pdf_handout_decodes_and_leads_to_its_material(client, session, trainer, confirmed):
    documents = [
        make_material(trainer, session, title=f"Баяндама {index}", upload=upload(f"b{index}.pdf", pdf_bytes(f"Б {index}")))
        for index in range(8)
    ]
    video = make_material(trainer, session, kind="link", title="Видео", url="https://www.youtube.com/watch?v=batken")
    restricted = make_material(trainer, session, title="Катышуучулар үчүн", visibility="participants")
    hidden = make_material(trainer, session, title="Тренерлер үчүн", visibility="trainers")
    data = service.handout_data(trainer, session)
    pages = pdf_pages(render_handout_pdf(data))
    assert len(pages) == 2  # 10 codes on page one would not fit with the header
    found = [text for page in pages for text in decode(page)]
    pack = session.material_pack_link
    expected = {f"http://testserver/q/{m.short_link.code}?lang=ky" for m in [*documents, video, restricted]}
    assert set(found) == expected | {f"http://testserver/q/{pack.code}?lang=ky"}
    assert f"http://testserver/q/{hidden.short_link.code}?lang=ky" not in found

    for material in documents:
        response = follow_to_file(client, f"http://testserver/q/{material.short_link.code}")
        assert file_content(response).startswith(b"%PDF-")
    response = client.get(f"/q/{video.short_link.code}")
    assert response["Location"] == video.url
    # The restricted one asks for a login; a confirmed participant gets the file.
    assert client.get(f"/q/{restricted.short_link.code}").status_code == 302
    client.force_login(confirmed)
    assert file_content(follow_to_file(client, f"http://testserver/q/{restricted.short_link.code}")).startswith(b"%PDF-")
    # The pack code opens the list.
    page = follow_to_file(client, f"http://testserver/q/{pack.code}").content.decode()
    assert "Катышуучулар үчүн" in page and "Тренерлер үчүн" not in page


@pytest.mark.django_db
def test_the_pdf_handout_view_output_decodes(client, session, trainer):
    material = make_material(trainer, session)
    client.force_login(trainer)
    response = client.get(reverse("session_handout_pdf", kwargs={"session_id": session.pk}))
    found = decode(pdf_pages(response.content, scale=2)[0])
    assert f"http://testserver/q/{material.short_link.code}?lang=ky" in found


def test_render_handout_pdf_is_a_pure_function():
    handout = Handout(
        titles=["Жергиликтүү кызмат көрсөтүүлөр", "Местные услуги"],
        dates="15.12.2026 – 16.12.2026",
        place="Баткен шаары",
        pack_url="http://testserver/q/pack234",
        items=[HandoutItem(title="Тарифтер", url="http://testserver/q/tarif23", extension="pdf")],
    )
    first = render_handout_pdf(handout)
    assert first == render_handout_pdf(handout)
    assert first.startswith(b"%PDF-")
    text = pypdfium2.PdfDocument(first)
    try:
        page_text = text[0].get_textpage().get_text_range()
    finally:
        text.close()
    assert "Тренингдин материалдары" in page_text and "Материалы тренинга" in page_text
    assert "көрсөтүүлөр" in page_text  # Kyrgyz letters survive (embedded DejaVu font)
    assert decode(pdf_pages(first)[0]) == ["http://testserver/q/pack234", "http://testserver/q/tarif23"]


def test_an_empty_handout_still_renders():
    content = render_handout_pdf(Handout(titles=["Курс"], dates="", place="", pack_url="http://testserver/q/abcdefg"))
    assert decode(pdf_pages(content)[0]) == ["http://testserver/q/abcdefg"]
