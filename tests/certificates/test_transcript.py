"""The transcript: the participant's page, the PDF (ky+ru, QR decoded and followed), the public verification page
and GET /api/v1/me/transcript/; each allowed and denied."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from certificates.models import QualificationRule, Transcript
from certificates.services import external_trainings, transcripts
from tests import factories
from tests.certificates.conftest import path_of, pdf_text, qr_urls, register

pytestmark = pytest.mark.django_db

NOW = factories.bishkek(2026, 12, 1, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def record(past_session, participant, admin_user):
    """Participant with a completion (16 h on 11.11.2026) and an external training (24 h in 2025)."""
    register(past_session, participant)
    external_trainings.add_training(
        participant,
        by=admin_user,
        title="Муниципалдык бюджет жана сатып алуулар",
        provider="Жергиликтүү өз алдынча башкаруу органдарынын союзу",
        starts_on=date(2025, 3, 10),
        ends_on=date(2025, 3, 12),
        hours=24,
    )
    return participant


def pdf_all_text(pdf):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


# The page ---------------------------------------------------------------------------------------


def test_participant_sees_their_record_and_cycle_status(client, record, django_assert_max_num_queries):
    client.force_login(record)
    url = reverse("my_transcript")
    with django_assert_max_num_queries(14):
        response = client.get(url.replace("/ky/", "/en/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Муниципалдык бюджет жана сатып алуулар" in page and "External training" in page
    assert "Overdue" in page  # 40 of the 72 hours the servants' rule asks for
    assert "32 hours are missing" in page
    assert reverse("my_transcript_pdf").replace("/ky/", "/en/") in page


def test_an_up_to_date_person_sees_the_due_date(client, record):
    QualificationRule.objects.filter(role_group="servant").update(min_hours=40, cycle_years=3)
    client.force_login(record)
    page = client.get(reverse("my_transcript").replace("/ky/", "/en/")).content.decode()
    assert "Up to date" in page and "12 March 2028" in page


def test_my_trainings_links_to_the_record(client, participant):
    client.force_login(participant)
    page = client.get(reverse("my_trainings")).content.decode()
    assert reverse("my_transcript") in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (reverse("my_transcript"), reverse("my_transcript_pdf")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert not Transcript.objects.exists()


def test_the_page_shows_only_the_signed_in_persons_record(client, record, other_participant):
    client.force_login(other_participant)
    page = client.get(reverse("my_transcript")).content.decode()
    assert "Муниципалдык бюджет жана сатып алуулар" not in page


# The PDF and its verification -------------------------------------------------------------------


def test_the_pdf_lists_every_training_in_kyrgyz_and_russian_with_a_qr_that_verifies(client, record, course):
    client.force_login(record)
    response = client.get(reverse("my_transcript_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    transcript = Transcript.objects.get()
    text = " ".join(pdf_all_text(response.content).split())
    for words in (
        "КВАЛИФИКАЦИЯНЫ ЖОГОРУЛАТУУ БОЮНЧА КӨЧҮРМӨ",
        "ВЫПИСКА О ПОВЫШЕНИИ КВАЛИФИКАЦИИ",
        course.title,
        "Муниципалдык бюджет жана сатып алуулар",
        "Мөөнөтү өттү / Просрочено",
        "не менее 72 академических часов за 3 года",
        "40",
        record.profile.full_name,
    ):
        assert words in text, words

    (url,) = qr_urls(response.content)
    assert path_of(url) == transcript.get_verify_path() and "lang=ky" in url

    client.logout()  # anyone can verify
    check = client.get(path_of(url) + "?lang=ru")
    page = check.content.decode()
    assert check.status_code == 200
    assert "Муниципалдык бюджет жана сатып алуулар" in page and record.profile.full_name in page
    assert "badge ok" in page  # authentic
    for private in (record.email, record.profile.phone, record.profile.position, "1985"):
        assert private not in page


def test_downloading_the_same_record_twice_gives_the_same_transcript(client, record):
    client.force_login(record)
    first = client.get(reverse("my_transcript_pdf")).content
    second = client.get(reverse("my_transcript_pdf")).content
    assert first == second and Transcript.objects.count() == 1


def test_a_changed_record_gives_a_new_transcript_and_the_old_one_still_verifies(client, record, admin_user):
    client.force_login(record)
    client.get(reverse("my_transcript_pdf"))
    external_trainings.add_training(
        record, by=admin_user, title="Гендердик бюджет", starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 2), hours=8
    )
    client.get(reverse("my_transcript_pdf"))
    old, new = Transcript.objects.order_by("pk")
    assert old.code != new.code and old.snapshot["total_hours"] == 40 and new.snapshot["total_hours"] == 48
    assert transcripts.is_authentic(old) and transcripts.is_authentic(new)


def test_a_tampered_transcript_does_not_verify(client, record):
    transcript = transcripts.issue_transcript(record)
    Transcript.objects.filter(pk=transcript.pk).update(
        snapshot={**transcript.snapshot, "total_hours": 400}
    )
    page = client.get(transcript.get_verify_path() + "?lang=en").content.decode()
    assert "could not be confirmed" in page


def test_an_unknown_or_malformed_code_is_a_404(client):
    assert client.get(reverse("transcript_verify", args=["ABCDEFGHIJKLMNOPQRST"])).status_code == 404
    assert client.get(reverse("transcript_verify", args=["not-a-code!"])).status_code == 404


def test_the_pdf_of_a_long_record_runs_over_pages(record, admin_user):
    for index in range(60):
        external_trainings.add_training(
            record,
            by=admin_user,
            title=f"Семинар №{index}: жергиликтүү өз алдынча башкаруу органдарынын ишин пландоо жана отчеттуулук",
            provider="Провайдер",
            starts_on=date(2020, 1, 1 + index % 28),
            ends_on=date(2020, 1, 1 + index % 28),
            hours=2,
        )
    pdf = transcripts.transcript_pdf(transcripts.issue_transcript(record))
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    assert len(document) > 1
    document.close()
    assert "Семинар №59" in pdf_all_text(pdf)


def test_an_empty_record_still_draws(other_participant):
    pdf = transcripts.transcript_pdf(transcripts.issue_transcript(other_participant))
    assert "Окуу жазылган эмес." in pdf_text(pdf)


# The API ----------------------------------------------------------------------------------------


def test_api_gives_the_record_as_json(api_client, record, course, django_assert_max_num_queries):
    api_client.force_authenticate(record)
    with django_assert_max_num_queries(10):
        response = api_client.get(reverse("api-my-transcript"))
    assert response.status_code == 200
    body = response.json()
    assert body["total_hours"] == 40 and body["as_of"] == "2026-12-01"
    assert body["holder"]["name"] == record.profile.full_name
    cycle = body["cycle"]
    assert cycle["status"] == "overdue" and cycle["hours_in_cycle"] == 40 and cycle["hours_missing"] == 32
    assert cycle["min_hours"] == 72 and cycle["cycle_years"] == 3 and cycle["due_by"] is None
    assert cycle["role_group"] == "servant" and cycle["status_display"] == "Overdue"
    kinds = [(training["kind"], training["hours"]) for training in body["trainings"]]
    assert kinds == [("academy", 16), ("external", 24)]
    assert body["trainings"][0]["title"] == course.title


def test_api_sees_only_the_callers_record(api_client, record, other_participant):
    api_client.force_authenticate(other_participant)
    body = api_client.get(reverse("api-my-transcript")).json()
    assert body["trainings"] == [] and body["total_hours"] == 0


def test_api_refuses_anonymous_callers(api_client):
    assert api_client.get(reverse("api-my-transcript")).status_code == 401
    assert api_client.get(reverse("api-my-transcript-pdf")).status_code == 401


def test_api_pdf(api_client, record):
    api_client.force_authenticate(record)
    response = api_client.get(reverse("api-my-transcript-pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_schema_documents_the_transcript(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/me/transcript/"]["get"]
    assert operation["operationId"] == "me_transcript"
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert reference.endswith("/Transcript")
    assert "cycle" in schema["components"]["schemas"]["Transcript"]["properties"]
