"""The certificates screens of the Wagtail admin: template preview, bulk issuance with progress, registry."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certificates.models import Certificate, IssuanceBatch
from certificates.services.revocation import revoke_certificate
from tests import factories
from tests.certificates.conftest import pdf_text, register

pytestmark = pytest.mark.django_db

TEMPLATE_EDIT = "wagtailsnippets_certificates_certificatetemplate:edit"
TEMPLATE_PREVIEW = "wagtailsnippets_certificates_certificatetemplate:preview_on_edit"


@pytest.fixture
def admin_client(client, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"  # the admin's own language: messages below are the English source
    profile.save()
    client.force_login(admin_user)
    return client


def template_form(template, **changes):
    fields = {
        "name": template.name,
        "is_default": "on",
        "page_size": "A4",
        "orientation": "landscape",
        "languages": "ky+ru",
        "licence_number": template.licence_number,
        **{
            f"{part}_{code}": getattr(template, f"{part}_{code}")
            for part in ("heading", "intro", "body")
            for code in ("ky", "ru", "en")
        },
        "signatories": inline_formset(
            [
                {
                    "id": signatory.pk,
                    "name": signatory.name,
                    "name_latin": signatory.name_latin,
                    "title_ky": signatory.title_ky,
                    "title_ru": signatory.title_ru,
                    "title_en": signatory.title_en,
                }
                for signatory in template.signatories.all()
            ],
            initial=template.signatories.count(),
        ),
    }
    fields.update(changes)
    return nested_form_data(fields)


# Templates and their preview ---------------------------------------------------------------------


def test_template_editor_offers_a_live_preview_of_unsaved_edits(admin_client, template):
    response = admin_client.get(reverse(TEMPLATE_EDIT, args=[template.pk]))
    assert response.status_code == 200
    preview_url = reverse(TEMPLATE_PREVIEW, args=[template.pk])
    assert preview_url in response.content.decode()

    data = template_form(template, licence_number="LIC-UNSAVED-77", heading_ky="КҮБӨЛҮК")
    answer = admin_client.post(preview_url, data)
    assert answer.status_code == 200 and answer.json()["is_valid"] is True
    pdf = admin_client.get(preview_url, {"mode": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "LIC-UNSAVED-77" in text and "КҮБӨЛҮК" in text and "ҮЛГҮ" in text  # the unsaved edits, stamped as a sample
    png = admin_client.get(preview_url, {"mode": "png"})
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    template.refresh_from_db()
    assert template.licence_number == "LIC-0042"  # previewing saved nothing


def test_template_listing_links_a_sample_pdf(admin_client, template):
    listing = admin_client.get(reverse("wagtailsnippets_certificates_certificatetemplate:list"))
    sample_url = reverse("certificates_admin:template_sample", args=[template.pk])
    assert sample_url in listing.content.decode()
    response = admin_client.get(sample_url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "ОБРАЗЕЦ" in pdf_text(response.content)


def test_a_broken_template_previews_as_a_readable_message(admin_client, template, settings, tmp_path):
    settings.CERTIFICATES_FONT_DIR = tmp_path  # no fonts there
    response = admin_client.get(reverse("certificates_admin:template_sample", args=[template.pk]))
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert "DejaVuSans.ttf" in response.content.decode()


def test_trainers_and_participants_cannot_open_certificate_screens(client, template, trainer, participant):
    urls = [
        reverse("certificates_admin:issue"),
        reverse("certificate_registry:index"),
        reverse("certificates_admin:template_sample", args=[template.pk]),
        reverse(TEMPLATE_EDIT, args=[template.pk]),
    ]
    for user in (trainer, participant):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url)
            assert not response.get("Content-Type", "").startswith("application/pdf")


# Bulk issuance -----------------------------------------------------------------------------------


@pytest.fixture
def roster(template, past_session):
    done = [register(past_session, factories.participant()) for _ in range(3)]
    unfinished = register(past_session, factories.participant(), completed=False)
    return done, unfinished


def test_issue_screen_lists_the_session_and_issues_the_selection(
    admin_client, roster, past_session, django_capture_on_commit_callbacks
):
    done, unfinished = roster
    url = reverse("certificates_admin:issue")
    page = admin_client.get(url, {"session": past_session.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        f'value="{done[0].pk}"' in body and f'value="{unfinished.pk}"' not in body
    )  # only completed ones can be ticked

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{url}?session={past_session.pk}",
            {"session": past_session.pk, "registrations": [done[0].pk, done[1].pk]},
        )
    batch = IssuanceBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate_batches:inspect", args=[batch.pk])
    assert batch.status == "done" and batch.issued_count == 2
    assert set(Certificate.objects.values_list("registration", flat=True)) == {done[0].pk, done[1].pk}


def test_issue_for_the_whole_session_then_the_batch_page_shows_the_summary(
    admin_client, roster, past_session, django_capture_on_commit_callbacks
):
    done, unfinished = roster
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("certificates_admin:issue") + f"?session={past_session.pk}",
            {"session": past_session.pk, "whole_session": "1"},
        )
    page = admin_client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "<progress" in body and reverse("api-certificate-batch", args=[IssuanceBatch.objects.get().pk]) in body
    assert "Summary" in body
    assert unfinished.user.profile.full_name in body  # skipped, with the reason
    assert "has not completed the training" in body
    assert Certificate.objects.count() == 3


def test_a_running_batch_shows_a_progress_bar_that_polls_the_status_api(admin_client, roster, past_session, admin_user):
    from certificates.services import batches

    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    page = admin_client.get(reverse("certificate_batches:inspect", args=[batch.pk]))
    body = page.content.decode()
    status_url = reverse("api-certificate-batch", args=[batch.pk])
    assert f'data-status-url="{status_url}"' in body and 'data-finished="0"' in body
    assert "Summary" not in body
    status = admin_client.get(status_url, HTTP_ACCEPT="application/json")  # the admin session is enough
    assert status.status_code == 200
    assert status.json()["total"] == 4 and status.json()["finished"] is False


def test_a_batch_shared_between_workers_shows_its_parts(admin_client, roster, past_session, admin_user, settings):
    from certificates import tasks
    from certificates.services import batches

    settings.CERTIFICATES_BATCH_PARTS, settings.CERTIFICATES_BATCH_MIN_PART = 2, 1
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batches.prepare_batch(batch.pk)
    tasks.issue_certificate_batch_part(batch.pk, 0, "en")
    body = admin_client.get(reverse("certificate_batches:inspect", args=[batch.pk])).content.decode()
    assert "Shared between workers in 2 parts; 1 finished." in body
    status = admin_client.get(reverse("api-certificate-batch", args=[batch.pk]), HTTP_ACCEPT="application/json")
    assert (status.json()["parts"], status.json()["parts_done"], status.json()["finished"]) == (2, 1, False)


def test_issuing_nothing_is_a_form_error(admin_client, roster, past_session):
    response = admin_client.post(
        reverse("certificates_admin:issue") + f"?session={past_session.pk}", {"session": past_session.pk}
    )
    assert response.status_code == 200
    assert "Select at least one registration" in response.content.decode()
    assert not IssuanceBatch.objects.exists()


def test_selecting_an_unfinished_registration_is_a_form_error(admin_client, roster, past_session):
    done, unfinished = roster
    response = admin_client.post(
        reverse("certificates_admin:issue") + f"?session={past_session.pk}",
        {"session": past_session.pk, "registrations": [unfinished.pk]},
    )
    assert response.status_code == 200
    assert "have not completed the training" in response.content.decode()
    assert not IssuanceBatch.objects.exists() and not Certificate.objects.exists()


def test_resume_queues_an_unfinished_batch_again(
    admin_client, roster, past_session, admin_user, django_capture_on_commit_callbacks
):
    from certificates.services import batches

    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("certificates_admin:resume_batch", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "done" and batch.issued_count == 3


# Registry ----------------------------------------------------------------------------------------


@pytest.fixture
def issued(roster, admin_user):
    from certificates.services.issuance import issue_certificate

    done, _unfinished = roster
    return [issue_certificate(registration, issued_by=admin_user)[0] for registration in done]


def test_registry_searches_by_number_and_name(admin_client, issued):
    url = reverse("certificate_registry:index")
    everything = admin_client.get(url)
    assert everything.status_code == 200
    assert all(certificate.number in everything.content.decode() for certificate in issued)
    one = admin_client.get(url, {"q": issued[1].number})
    body = one.content.decode()
    assert issued[1].number in body and issued[0].number not in body
    by_name = admin_client.get(url, {"q": issued[2].holder_name})
    assert issued[2].number in by_name.content.decode()


def test_registry_exports_xlsx(admin_client, issued, admin_user):
    revoke_certificate(issued[0], reason="Ката менен берилген", actor=admin_user)
    response = admin_client.get(reverse("certificate_registry:index"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Number", "Status", "Holder")
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {certificate.number for certificate in issued}
    assert by_number[issued[0].number][1] == "Revoked"
    assert "Ката менен берилген" in by_number[issued[0].number]
    assert by_number[issued[1].number][2] == issued[1].holder_name


def test_registry_inspect_shows_the_audit_trail_and_downloads(admin_client, issued, admin_user):
    certificate = issued[0]
    page = admin_client.get(reverse("certificate_registry:inspect", args=[certificate.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert certificate.number in body and certificate.get_verify_path() in body
    assert reverse("certificates_admin:revoke", args=[certificate.pk]) in body
    pdf = admin_client.get(reverse("certificates_admin:pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and certificate.number in pdf_text(pdf.content)


def test_revoke_and_reissue_screens(admin_client, issued, admin_user):
    first, second = issued[0], issued[1]
    empty = admin_client.post(reverse("certificates_admin:revoke", args=[first.pk]), {"reason": "  "})
    assert empty.status_code == 200  # the form again, with the error
    first.refresh_from_db()
    assert first.status == "valid"

    response = admin_client.post(reverse("certificates_admin:revoke", args=[first.pk]), {"reason": "Жасалма документ"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "revoked" and first.events.get(kind="revoked").actor == admin_user

    response = admin_client.post(
        reverse("certificates_admin:reissue", args=[second.pk]),
        {"holder_name": "Айгүл Өмүрбекова", "holder_name_latin": "Aigul Omurbekova", "reason": "Аты оңдолду"},
    )
    new = Certificate.objects.get(replaces=second)
    assert response["Location"] == reverse("certificate_registry:inspect", args=[new.pk])
    assert new.holder_name == "Айгүл Өмүрбекова"
    trail = admin_client.get(reverse("certificate_registry:inspect", args=[second.pk])).content.decode()
    assert new.number in trail and "Аты оңдолду" in trail


def test_revoking_a_revoked_certificate_is_a_form_error(admin_client, issued, admin_user):
    revoke_certificate(issued[0], reason="x", actor=admin_user)
    response = admin_client.post(
        reverse("certificates_admin:reissue", args=[issued[0].pk]),
        {
            "holder_name": "Жаңы Ат",
            "reason": "оңдоо",
        },
    )
    assert response.status_code == 200
    assert "is revoked and cannot be" in response.content.decode()
    assert Certificate.objects.count() == 3


def test_registry_and_batch_lists_run_a_bounded_number_of_queries(admin_client, issued, past_session, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.services import batches
    from certificates.services.issuance import issue_certificate

    def queries(url):
        admin_client.get(url)  # warm caches (site, settings)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    urls = [reverse("certificate_registry:index"), reverse("certificate_batches:index")]
    batches.run_batch(batches.start_batch(created_by=admin_user, session=past_session, enqueue=False).pk)
    before = [queries(url) for url in urls]
    for _ in range(10):
        issue_certificate(register(past_session, factories.participant()), issued_by=admin_user, notify=False)
    batches.run_batch(batches.start_batch(created_by=admin_user, session=past_session, enqueue=False).pk)
    assert [queries(url) for url in urls] == before


@pytest.mark.parametrize(
    ("language", "sep", "delimiter"),
    [("ky", None, ";"), ("ru", None, ";"), ("en", None, ","), ("ky", "comma", ","), ("en", "semicolon", ";")],
)
def test_registry_csv_has_a_bom_a_charset_and_the_locale_separator(
    admin_client, admin_user, issued, language, sep, delimiter
):
    import csv

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)  # the admin speaks the user's admin language
    profile.preferred_language = language
    profile.save()
    params = {"export": "csv", **({"sep": sep} if sep else {})}
    response = admin_client.get(reverse("certificate_registry:index"), params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))
    assert len(rows) == len(issued) + 1 and all(len(row) == len(rows[0]) > 3 for row in rows)
    assert {row[0] for row in rows[1:]} == {certificate.number for certificate in issued}
