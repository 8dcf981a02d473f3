"""The public submission form: who may use it, what it stores, and how it refuses bad files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import ContestSubmission, PracticePage, SubmissionStatus
from tests import factories
from tests.cms import contest_helpers
from tests.cms.contest_helpers import entry, jpeg, make_round, pdf

# The contest fixtures, shared with the other test_contest_* modules.
contest_page, contest_round, mayor = contest_helpers.contest_page, contest_helpers.contest_round, contest_helpers.mayor

pytestmark = pytest.mark.django_db


def submit_url(page):
    return page.url + "submit/"


def test_anonymous_visitors_are_sent_to_sign_in(client, contest_page, contest_round):
    response = client.get(submit_url(contest_page))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]


def test_a_person_without_a_municipality_is_told_how_to_take_part(client, contest_page, contest_round):
    person = factories.participant()
    client.force_login(person)
    response = client.post(submit_url(contest_page), entry(), follow=False)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and "/accounts/profile/" in body
    assert not ContestSubmission.objects.exists()


def test_a_municipality_submits_its_practice_with_photos_and_documents(client, contest_page, contest_round, mayor):
    from wagtail.images import get_image_model

    client.force_login(mayor)
    response = client.get(submit_url(contest_page))
    assert response.status_code == 200 and 'enctype="multipart/form-data"' in response.content.decode()
    data = entry(photos=[jpeg("a.jpg"), jpeg("b.jpg")], documents=[pdf()], submit="1")
    response = client.post(submit_url(contest_page), data)
    assert response.status_code == 302 and response["Location"].endswith("/contest/my/")
    submission = ContestSubmission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.municipality.code == "kyshtut"
    assert submission.submitted_by == mayor and submission.round == contest_round
    page = PracticePage.objects.get(pk=submission.practice_id)
    assert not page.live and page.locale.language_code == "ky"
    assert page.workflow_in_progress
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Кыштут: суу түтүгү"
    assert draft.problem == "<p>Суу жетишпейт.</p><p>Айылда 3 көчө суусуз.</p>"
    assert draft.image is not None and len(draft.photos) == 2 and len(draft.documents) == 1
    assert get_image_model().objects.filter(uploaded_by_user=mayor).count() == 2


def test_a_draft_is_saved_without_starting_the_review(client, contest_page, contest_round, mayor):
    client.force_login(mayor)
    response = client.post(submit_url(contest_page), entry(save="1"))
    assert response.status_code == 302
    submission = ContestSubmission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    assert not PracticePage.objects.get(pk=submission.practice_id).workflow_in_progress


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"photos": [SimpleUploadedFile("fake.jpg", b"not a picture", "image/jpeg")]}, "окулбай турган"),
        ({"photos": [SimpleUploadedFile("notes.txt", b"hello", "text/plain")]}, "сүрөт эмес"),
        ({"photos": [jpeg(f"p{n}.jpg") for n in range(7)]}, "Эң көп 6 файл тиркеңиз."),
        ({"documents": [SimpleUploadedFile("plan.pdf", b"MZ\x90\x00", "application/pdf")]}, "бузулган"),
        (
            {"documents": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")]},
            "PDF, Word, Excel",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, contest_page, contest_round, mayor, files, message
):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    client.force_login(mayor)
    response = client.post(submit_url(contest_page), {**entry(submit="1"), **files})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContestSubmission.objects.exists() and not PracticePage.objects.exists()
    assert not get_image_model().objects.exists() and not get_document_model().objects.exists()


def test_a_too_large_photo_is_refused(client, contest_page, contest_round, mayor, monkeypatch):
    monkeypatch.setattr("cms.contest.forms.PHOTO_MAX_SIZE", 100)
    client.force_login(mayor)
    response = client.post(submit_url(contest_page), {**entry(submit="1"), "photos": [jpeg()]})
    assert response.status_code == 200 and "0 МБдан чоң" in response.content.decode()
    assert not ContestSubmission.objects.exists()


def test_missing_fields_and_a_future_year_are_errors_in_kyrgyz(client, contest_page, contest_round, mayor):
    client.force_login(mayor)
    response = client.post(submit_url(contest_page), entry(title="", year="2999", submit="1"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="errorlist"') >= 2 and "This field is required." not in body
    assert not ContestSubmission.objects.exists()


def test_a_closed_round_takes_no_submission(client, contest_page, mayor):
    make_round(2025, open_=False)
    client.force_login(mayor)
    assert "кабыл алуу жабылды" in client.get(submit_url(contest_page)).content.decode()
    response = client.post(submit_url(contest_page), entry(submit="1"))
    assert response.status_code == 200 and not ContestSubmission.objects.exists()
    assert "closed" not in response.content.decode()


def test_the_contest_page_shows_the_round_and_its_criteria_in_each_language(client, contest_page, contest_round):
    from wagtail.models import Locale

    for code, words in (("ky", "Натыйжа"), ("ru", "Результат"), ("en", "Citizen participation")):
        page = contest_page.get_translation(Locale.objects.get(language_code=code))
        assert f'href="{page.url}"' in client.get(page.get_parent().url).content.decode()  # the home page links it
        response = client.get(page.url)
        assert response.status_code == 200
        assert (
            words in response.content.decode() and contest_round.__dict__[f"title_{code}"] in response.content.decode()
        )
