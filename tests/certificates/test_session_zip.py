"""The ZIP of a session's certificate PDFs: who may build and download it, what is inside, background jobs."""

import io
import zipfile

import pytest
from django.urls import reverse

from certificates.models import SessionCertificateZip, ZipStatus
from certificates.services import session_zip
from certificates.services.issuance import issue_certificate
from certificates.services.revocation import reissue_certificate, revoke_certificate
from certificates.tasks import build_session_zip
from tests import factories
from tests.certificates.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(template, past_session, admin_user):
    """Four certificates of the past session: two valid, one revoked, one replaced by its correction."""
    certificates = [
        issue_certificate(register(past_session, factories.participant()), issued_by=admin_user)[0] for _ in range(4)
    ]
    revoke_certificate(certificates[2], reason="x", actor=admin_user)
    corrected = reissue_certificate(certificates[3], reason="spelling", actor=admin_user)
    return [certificates[0], certificates[1], corrected], [certificates[2], certificates[3]]


def names_in(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        return sorted(archive.namelist())


def expected_names(certificates):
    return sorted(f"{c.number} {c.holder_name}.pdf" for c in certificates)


def url(session):
    return reverse("certificate_zips:session", args=[session.pk])


# --- a small session: streamed at once ---------------------------------------------------------------------


def test_admin_downloads_exactly_the_valid_certificates_with_clear_names(client, admin_user, past_session, issued):
    valid, left_out = issued
    client.force_login(admin_user)
    page = client.get(url(past_session))
    assert page.status_code == 200 and "3" in page.content.decode()
    response = client.post(url(past_session))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f'filename="certificates-session-{past_session.pk}-2026-11-10.zip"' in response["Content-Disposition"]
    assert names_in(response.content) == expected_names(valid)
    assert not any(c.number in " ".join(names_in(response.content)) for c in left_out)
    assert not SessionCertificateZip.objects.exists()  # nothing kept for a small session


def test_the_sessions_trainer_may_download(client, trainer, past_session, issued):
    client.force_login(trainer)
    response = client.post(url(past_session))
    assert response.status_code == 200 and names_in(response.content) == expected_names(issued[0])


@pytest.mark.parametrize("who", ["other_trainer", "participant"])
def test_others_are_refused(client, past_session, issued, who, request):
    client.force_login(request.getfixturevalue(who))
    for response in (client.get(url(past_session)), client.post(url(past_session))):
        assert response.status_code in (302, 403)
        assert response.get("Content-Type") != "application/zip"


def test_anonymous_is_sent_to_sign_in(client, past_session, issued):
    response = client.post(url(past_session))
    assert response.status_code == 302 and "login" in response["Location"]


def test_expired_certificates_are_left_out(course, template, past_session, admin_user, clock):
    course.certificate_validity_years = 1
    course.save()
    certificate = issue_certificate(register(past_session, factories.participant()), issued_by=admin_user)[0]
    assert session_zip.zip_certificates(past_session).count() == 1
    clock.move_to(factories.bishkek(2027, 11, 12))
    assert certificate.public_status() == "expired"
    assert session_zip.zip_certificates(past_session).count() == 0


def test_a_session_without_certificates_gets_a_clear_message(client, admin_user, past_session, template):
    client.force_login(admin_user)
    response = client.post(url(past_session), follow=True)
    assert response.status_code == 200
    assert "no valid certificates" in response.content.decode()
    assert not SessionCertificateZip.objects.exists()


def test_unknown_session_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("certificate_zips:session", args=[999999])).status_code == 404


# --- a large session: built in the background --------------------------------------------------------------


@pytest.fixture
def large(settings):
    settings.CERTIFICATES_ZIP_STREAM_LIMIT = 1


def test_large_session_is_built_in_the_background_then_downloaded(
    client, admin_user, past_session, issued, large, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(past_session))
    assert len(callbacks) == 1  # the task is enqueued after commit (run at once here: eager Celery)
    job = SessionCertificateZip.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("certificate_zips:job", args=[job.pk])
    assert job.status == ZipStatus.DONE and job.total == job.processed == 3 and job.percent == 100
    page = client.get(response["Location"]).content.decode()
    download_url = reverse("certificate_zips:download", args=[job.pk])
    assert download_url in page
    download = client.get(download_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert names_in(b"".join(download.streaming_content)) == expected_names(issued[0])


def test_download_of_a_job_is_refused_to_others(
    client, past_session, issued, large, admin_user, other_trainer, trainer
):
    job = SessionCertificateZip.objects.create(session=past_session, created_by=admin_user, total=3)
    session_zip.build_job(job.pk)
    download_url = reverse("certificate_zips:download", args=[job.pk])
    client.force_login(other_trainer)
    assert client.get(download_url).status_code == 403
    assert client.get(reverse("certificate_zips:job", args=[job.pk])).status_code == 403
    client.force_login(factories.participant())
    assert client.get(download_url).status_code in (302, 403)
    client.force_login(trainer)  # the session's own trainer
    assert client.get(download_url).status_code == 200


def test_a_job_not_ready_is_not_downloadable(client, admin_user, past_session, issued):
    job = SessionCertificateZip.objects.create(session=past_session, created_by=admin_user, total=3)
    client.force_login(admin_user)
    assert client.get(reverse("certificate_zips:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("certificate_zips:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # the progress page follows the job


def test_a_second_request_joins_the_job_in_progress(admin_user, past_session, issued, large):
    kind, first = session_zip.request_zip(past_session, admin_user)
    kind_again, second = session_zip.request_zip(past_session, admin_user)
    assert kind == kind_again == "job" and first.pk == second.pk
    assert SessionCertificateZip.objects.count() == 1


def test_run_it_twice(admin_user, past_session, issued, large):
    job = SessionCertificateZip.objects.create(session=past_session, created_by=admin_user, total=3)
    assert build_session_zip.delay(job.pk, "en").get() == ZipStatus.DONE
    job.refresh_from_db()
    name, finished = job.file.name, job.finished_at
    assert build_session_zip.delay(job.pk, "en").get() == ZipStatus.DONE
    job.refresh_from_db()
    assert (job.file.name, job.finished_at) == (name, finished)  # not built again
    with job.file.open("rb") as handle:
        assert names_in(handle.read()) == expected_names(issued[0])


def test_a_run_does_not_take_a_job_another_live_run_is_building(admin_user, past_session, issued):
    from django.utils import timezone

    job = SessionCertificateZip.objects.create(
        session=past_session, created_by=admin_user, status=ZipStatus.RUNNING, started_at=timezone.now()
    )
    session_zip.build_job(job.pk)
    job.refresh_from_db()
    assert job.status == ZipStatus.RUNNING and not job.file


def test_the_sessions_list_has_the_button(client, admin_user, past_session):
    client.force_login(admin_user)
    page = client.get(reverse("wagtailsnippets_courses_session:list"))
    assert page.status_code == 200
    assert url(past_session) in page.content.decode()
