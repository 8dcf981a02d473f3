"""The sign-in sheet PDF: title, author (the academy), subject and print date in the info dictionary and
XMP, in the language of the person printing; only embedded fonts that are used."""

from django.urls import reverse
from django.utils import timezone, translation

from tests.pdf_academy import NAMES, set_academy_names
from tests.pdf_checks import DC, font_problems, info_xmp_mismatches, metadata, pdf_date

from .conftest import register


def test_signin_sheet_metadata_in_the_language_of_the_request(client, block_session, named_participant, trainer):
    set_academy_names()
    register(block_session, named_participant)
    client.force_login(trainer)
    response = client.get(reverse("attendance_signin_sheet", args=[block_session.pk]))
    assert response.status_code == 200
    language = response.wsgi_request.LANGUAGE_CODE[:2]
    info, xmp, _raw = metadata(response.content)
    with translation.override(language):
        subject = translation.gettext("Sign-in sheet")
        title = translation.gettext("Sign-in sheet: %(title)s") % {"title": block_session.course.title}
    assert info["Title"] == title
    assert info["Author"] == NAMES[f"name_{language}"]
    assert info["Subject"] == subject
    assert pdf_date(info["CreationDate"]).date() == timezone.localdate()
    assert info_xmp_mismatches(info, xmp) == []
    assert xmp[f"{DC}language"] == {language}
    assert font_problems(response.content) == []


def test_signin_sheet_in_russian_names_the_academy_in_russian(client, block_session, named_participant, trainer):
    set_academy_names()
    register(block_session, named_participant)
    client.force_login(trainer)
    with translation.override("ru"):
        response = client.get(reverse("attendance_signin_sheet", args=[block_session.pk]), HTTP_ACCEPT_LANGUAGE="ru")
        info, xmp, _raw = metadata(response.content)
        title = translation.gettext("Sign-in sheet: %(title)s") % {"title": block_session.course.title}
    assert response.wsgi_request.LANGUAGE_CODE == "ru"
    assert info["Title"] == title
    assert info["Author"] == NAMES["name_ru"]
    assert xmp[f"{DC}language"] == {"ru"}
    assert font_problems(response.content) == []
