"""The donor summary PDF: title, author (the academy), subject (the period) and creation time in the info
dictionary and XMP; only embedded fonts that are used."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from tests.pdf_academy import NAMES, set_academy_names
from tests.pdf_checks import DC, PDFAID, font_problems, info_xmp_mismatches, metadata, pdf_date


def test_donor_summary_pdf_metadata(client, world):
    set_academy_names()
    client.force_login(world.admin)
    url = reverse("reports_admin:donor_summary")
    params = {"funding_project": world.p1.pk, "date_from": "2026-01-01", "date_to": "2026-12-31", "output": "pdf"}
    before = timezone.now().replace(microsecond=0)
    response = client.get(url, params)
    assert response.status_code == 200
    info, xmp, _raw = metadata(response.content)
    language = translation.get_language()[:2]
    with translation.override(language):
        title = translation.gettext("Donor summary")
    assert info["Title"].startswith(f"{title}: ")
    assert info["Author"] == NAMES[f"name_{language}"]
    assert "2026" in info["Subject"]  # the period line
    assert before - timedelta(seconds=1) <= pdf_date(info["CreationDate"]) <= timezone.now() + timedelta(seconds=1)
    assert info_xmp_mismatches(info, xmp) == []
    assert xmp[f"{DC}language"] == {language}
    assert f"{PDFAID}part" not in xmp
    assert font_problems(response.content) == []
