"""The handout PDF: title, author (the academy), subject and print date in the info dictionary and XMP,
only embedded fonts that are used, QR codes that still decode."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.handout import Handout, HandoutItem, render_handout_pdf
from tests.pdf_academy import NAMES, set_academy_names
from tests.pdf_checks import DC, PDFAID, XMP, font_problems, info_xmp_mismatches, metadata, pdf_date

from .conftest import make_material
from .test_qr_decode import decode, pdf_pages


def handout(**overrides):
    data = {
        "titles": ["Жергиликтүү кызмат көрсөтүүлөр", "Местные услуги"],
        "dates": "15.12.2026 – 16.12.2026",
        "place": "Баткен шаары",
        "pack_url": "http://testserver/q/pack234",
        "items": [HandoutItem(title="Тарифтер", url="http://testserver/q/tarif23", extension="pdf")],
        "author": "Жергиликтүү башкаруу академиясы",
        "printed_on": date(2026, 12, 14),
    }
    data.update(overrides)
    return Handout(**data)


def test_handout_metadata_in_info_and_xmp():
    content = render_handout_pdf(handout())
    info, xmp, _raw = metadata(content)
    assert info["Title"] == "Тренингдин материалдары / Жергиликтүү кызмат көрсөтүүлөр"
    assert info["Author"] == "Жергиликтүү башкаруу академиясы"
    assert info["Subject"] == "15.12.2026 – 16.12.2026 · Баткен шаары"
    assert info["Creator"] == "Academy portal: handouts"
    assert info["CreationDate"] == "D:20261214000000+06'00'"
    assert info_xmp_mismatches(info, xmp) == []
    assert xmp[f"{DC}language"] == {"ky"}
    assert f"{PDFAID}part" not in xmp  # a handout makes no PDF/A claim
    assert font_problems(content) == []
    assert decode(pdf_pages(content)[0]) == ["http://testserver/q/pack234", "http://testserver/q/tarif23"]


def test_a_multi_page_handout_uses_every_font_it_references():
    items = [HandoutItem(title=f"Материал {index}", url=f"http://testserver/q/item{index:03d}") for index in range(14)]
    content = render_handout_pdf(handout(items=items))
    assert len(pdf_pages(content, scale=0.5)) == 2
    assert font_problems(content) == []


@pytest.mark.django_db
def test_the_handout_view_names_the_academy_and_the_print_day(client, session, trainer):
    set_academy_names()
    make_material(trainer, session)
    client.force_login(trainer)
    response = client.get(reverse("session_handout_pdf", kwargs={"session_id": session.pk}))
    assert response.status_code == 200
    info, xmp, _raw = metadata(response.content)
    assert info["Author"] == NAMES["name_ky"]
    assert pdf_date(info["CreationDate"]).date() == timezone.localdate()
    assert xmp[f"{XMP}CreateDate"].startswith(timezone.localdate().isoformat())
    assert font_problems(response.content) == []
