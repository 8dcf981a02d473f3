"""Names a certificate cannot print are refused before issuing (naming the letters); any name fits the page."""

import pypdfium2
import pytest
from django.urls import reverse

from academy.errors import DomainError
from certificates.models import Certificate, CertificateStatus, IssuanceBatch
from certificates.pdf import NAME_SIZE, fitting_size, render_certificate_pdf, text_width, wrap
from certificates.services import batches, revocation
from certificates.services.issuance import issue_certificate
from certificates.services.printability import printing_problem, unprintable_letters
from certificates.services.templates import fonts
from tests import factories
from tests.certificates.conftest import register
from tests.certificates.test_pdf import sample_data

ARABIC = "محمد علي"
HEBREW = "דוד כהן"
LONG_WORD = "Өмүрбекова" * 20  # 200 letters, no space to break at


def with_name(user, full_name, full_name_latin=""):
    user.profile.full_name = full_name
    user.profile.full_name_latin = full_name_latin
    user.profile.save()
    return user


# The check ----------------------------------------------------------------------------------------


def test_kyrgyz_russian_and_latin_names_are_printable():
    assert unprintable_letters("Айгүл Өмүрбекова-Ңоо") == []
    assert unprintable_letters("Щёлкова Ольга Юрьевна") == []
    assert unprintable_letters("Aigül O'Neill") == []


@pytest.mark.parametrize(("name", "letters"), [(ARABIC, set("محمدعلي")), (HEBREW, set("דוכהן"))])
def test_right_to_left_letters_are_not_printable(name, letters):
    assert set(unprintable_letters(name)) == letters


def test_emoji_are_not_printable():
    assert unprintable_letters("Айгүл 😀") == ["😀"]
    assert "❤" in unprintable_letters("Айгүл ❤️")


def test_the_message_names_the_letters_with_their_codes():
    message = printing_problem("Айгүл محمد 😀", "", ["ky", "ru"])
    assert "م (U+0645)" in message and "😀 (U+1F600)" in message and "Айгүл محمد 😀" in message
    assert "Ай" not in message.split(":")[-1]  # the printable letters are not listed


def test_an_english_certificate_checks_the_latin_spelling_it_prints():
    assert printing_problem(ARABIC, "Muhammad Ali", ["en"]) == ""
    assert printing_problem(ARABIC, "Muhammad Ali", ["ky", "en"])  # the Kyrgyz half prints the Arabic
    assert printing_problem("Мухаммад", "Muhammad 😀", ["en"])


def test_the_message_is_translated(settings):
    from django.utils import translation

    with translation.override("ru"):
        russian = printing_problem(ARABIC, "", ["ky", "ru"])
    assert "The certificate cannot print" not in russian


# Issuing refuses --------------------------------------------------------------------------------


def test_issuing_refuses_an_arabic_name_and_names_the_letters(template, registration, admin_user):
    with_name(registration.user, ARABIC)
    with pytest.raises(DomainError) as refused:
        issue_certificate(registration, issued_by=admin_user)
    assert refused.value.code == "unprintable"
    assert "م (U+0645)" in str(refused.value.message) and "ع (U+0639)" in str(refused.value.message)
    assert not Certificate.objects.exists()


def test_a_batch_skips_an_unprintable_name_and_issues_the_rest(
    template, past_session, admin_user, django_capture_on_commit_callbacks
):
    fine = register(past_session, factories.participant())
    arabic = register(past_session, with_name(factories.participant(), ARABIC))
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.start_batch(created_by=admin_user, session=past_session, language="en")
    batch = IssuanceBatch.objects.get(pk=batch.pk)
    assert batch.issued_count == 1
    assert [item["registration"] for item in batch.skipped] == [arabic.pk]
    assert batch.skipped[0]["code"] == "unprintable"
    assert "م (U+0645)" in batch.skipped[0]["reason"]
    assert list(Certificate.objects.values_list("registration", flat=True)) == [fine.pk]
    assert list(Certificate.objects.values_list("sequence", flat=True)) == [1]  # no number used up


def test_reissuing_with_an_unprintable_name_is_refused_and_changes_nothing(certificate, admin_user):
    with pytest.raises(DomainError) as refused:
        revocation.reissue_certificate(certificate, reason="Typo", actor=admin_user, holder_name=HEBREW)
    assert refused.value.code == "unprintable"
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    assert Certificate.objects.count() == 1


def test_the_issue_screen_warns_and_leaves_the_name_unticked(client, admin_user, template, past_session):
    fine = register(past_session, factories.participant())
    arabic = register(past_session, with_name(factories.participant(), ARABIC))
    client.force_login(admin_user)
    body = client.get(reverse("certificates_admin:issue"), {"session": past_session.pk}).content.decode()
    assert "م (U+0645)" in body
    assert f'value="{fine.pk}" id="registration-{fine.pk}" checked' in body
    assert f'value="{arabic.pk}" id="registration-{arabic.pk}">' in body  # offered, not ticked


# Any name fits the page -------------------------------------------------------------------------


def _text_boxes(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage()
        boxes = [text.get_charbox(index) for index in range(text.count_chars())]
        return page.get_width(), text.get_text_range(), boxes
    finally:
        document.close()


@pytest.mark.parametrize("name", [LONG_WORD, "Айгүл " * 40, "Ш" * 60])
@pytest.mark.parametrize(("page_size", "orientation"), [("A4", "landscape"), ("A5", "portrait")])
def test_a_long_name_is_wrapped_or_shrunk_to_fit_the_page(name, page_size, orientation):
    pdf = render_certificate_pdf(
        sample_data(holder_name=name, page_size=page_size, orientation=orientation, languages=("ky",))
    )
    width, text, boxes = _text_boxes(pdf)
    assert "".join(text.split()).count("".join(name.split())) == 1  # every letter printed, in order
    left = min(box[0] for box in boxes)
    right = max(box[2] for box in boxes)
    assert left >= 0 and right <= width, (left, right, width)


def test_a_usual_name_keeps_its_size_and_a_long_word_shrinks_no_further_than_the_minimum():
    font = fonts().registered()["serif_bold"]
    assert fitting_size("Айгүл Өмүрбекова", font, NAME_SIZE, 700, NAME_SIZE * 0.6) == NAME_SIZE
    shrunk = fitting_size("Айгүл Өмүрбековаааааааааааааааааааааааа", font, NAME_SIZE, 400, NAME_SIZE * 0.6)
    assert NAME_SIZE * 0.6 < shrunk < NAME_SIZE
    assert fitting_size(LONG_WORD, font, NAME_SIZE, 400, NAME_SIZE * 0.6) == NAME_SIZE * 0.6


def test_wrap_breaks_inside_a_word_only_when_it_alone_is_too_wide():
    font = fonts().registered()["serif_bold"]
    lines = wrap("Айгүл " + LONG_WORD + " Өмүрбекова", font, 16, 400)
    assert lines[0] == "Айгүл"
    assert "".join(lines[1:]).replace(" ", "") == LONG_WORD + "Өмүрбекова"
    assert all(text_width(line, font, 16) <= 400 for line in lines)
    assert wrap("Айгүл Өмүрбекова", font, 16, 400) == ["Айгүл Өмүрбекова"]
