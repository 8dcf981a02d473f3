"""academy.pdf_metadata: one description written alike to the info dictionary and XMP; the academy's name."""

import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from reportlab.pdfgen import canvas

from academy import pdf_metadata
from tests.pdf_academy import NAMES, set_academy_names
from tests.pdf_checks import DC, info_xmp_mismatches, metadata


def test_dates_are_written_in_the_academy_time_zone_in_both_forms():
    meta = pdf_metadata.PdfMetadata(title="T", author="A", created=date(2026, 12, 20))
    moment = meta.created_at()
    assert pdf_metadata.pdf_date(moment) == "D:20261220000000+06'00'"
    assert pdf_metadata.xmp_date(moment) == "2026-12-20T00:00:00+06:00"
    utc = pdf_metadata.PdfMetadata(title="T", author="A", created=datetime(2026, 12, 20, 3, 30, tzinfo=UTC))
    assert pdf_metadata.pdf_date(utc.created_at()) == "D:20261220093000+06'00'"
    west = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(-timedelta(hours=3, minutes=30)))
    assert pdf_metadata.pdf_date(west) == "D:20260102030405-03'30'"


def test_apply_writes_info_and_xmp_and_drops_empty_fields():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1, initialFontName="Helvetica")
    meta = pdf_metadata.PdfMetadata(
        title="Сертификат <1> & «2»", author="Академия", created=date(2026, 5, 1), language="ru"
    )
    pdf_metadata.apply(c, meta)
    c.showPage()
    c.save()
    info, xmp, raw = metadata(buffer.getvalue())
    assert info["Title"] == "Сертификат <1> & «2»"  # escaped in XMP, read back whole
    assert "Subject" not in info and "Keywords" not in info  # nothing to say: not said (XMP mirrors it)
    assert "Trapped" not in info
    assert info_xmp_mismatches(info, xmp) == []
    assert xmp[f"{DC}language"] == {"ru"}
    assert b"pdfaid" not in raw.split(b"xmlns:pdfaid")[1]  # declared, never claimed without to_pdfa


def test_the_same_description_gives_the_same_document_id():
    first = pdf_metadata.PdfMetadata(title="A", author="B", document_key="certificate:X-1")
    second = pdf_metadata.PdfMetadata(title="Other", author="C", document_key="certificate:X-1")
    assert first.document_id() == second.document_id()
    assert first.document_id() != pdf_metadata.PdfMetadata(title="A", author="B", document_key="x:2").document_id()


@pytest.mark.django_db
def test_academy_name_comes_from_the_site_settings_in_the_language_asked():
    from django.conf import settings

    assert pdf_metadata.academy_name("ru") == settings.WAGTAIL_SITE_NAME  # nothing set yet
    set_academy_names(name_ru="")
    assert pdf_metadata.academy_name("ky") == NAMES["name_ky"]
    assert pdf_metadata.academy_name("en") == NAMES["name_en"]
    assert pdf_metadata.academy_name("ru") == NAMES["name_ky"]  # no Russian name: the first one set
