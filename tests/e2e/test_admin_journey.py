"""The academy admin, in the Wagtail admin: approves registrations, imports an .xlsx list, issues certificates
watching the progress bar, then checks one by decoding the QR code printed on its PDF."""

import io
import re
from pathlib import Path
from urllib.parse import urlparse

import pypdfium2
import pytest
import zxingcpp
from openpyxl import Workbook

from certificates.models import Certificate, IssuanceBatch
from certificates.services import batches
from certificates.tasks import issue_certificate_batch
from courses.models import Registration
from tests import factories
from tests.e2e import world
from tests.e2e.conftest import expect, log_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LIST_ROWS = [
    ["№", "Аты-жөнү", "Кызматы", "Айыл аймагы", "Телефон", "Email", "Жынысы"],
    [1, "Айжамал Турдубаева", "Айыл өкмөтүнүн башчысы", "Кыштут", "0700 11 22 33", "aijamal@example.org", "Ж"],
    [2, "Бакыт Маматов", "Депутат", "Суу-Башы", "0559 000 001", "bakyt@example.org", "Э"],
    [3, "Гүлнара Ташиева", "Адис", "Тогуз-Булак", "+996 777 123 456", "gulnara@example.org", "ж"],
]


def participant_list_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Баткен облусу: тренингдин катышуучуларынын тизмеси"])
    for row in LIST_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def qr_codes_in_pdf(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.fixture
def academy(live_server, course_index):
    course = factories.make_course(course_index, title="Муниципалдык кызмат көрсөтүүлөр", hours=16)
    trainer = factories.trainer()
    upcoming = world.make_session(
        course, in_days=20, trainers=[trainer], venue=world.make_venue(), capacity=10, requires_approval=True
    )
    pending = [
        Registration.objects.create(session=upcoming, user=factories.participant(), status="pending") for _ in range(3)
    ]
    held = world.make_session(course, in_days=-30, trainers=[trainer], status="completed")
    completed = [
        world.complete(Registration.objects.create(session=held, user=factories.participant(), status="confirmed"))
        for _ in range(4)
    ]
    world.certificate_template()
    return {"upcoming": upcoming, "pending": pending, "held": held, "completed": completed}


def test_admin_approves_imports_issues_and_verifies(live_server, academy, page, monkeypatch):
    base = live_server.url
    upcoming, held = academy["upcoming"], academy["held"]
    log_in(page, base, factories.academy_admin())

    # 1. Approve two of the three pending registrations from the session's roster.
    page.goto(f"{base}/admin/registrations/")
    page.locator(f"a[href$='/admin/registrations/session/{upcoming.pk}/']").click()
    first, second, third = academy["pending"]
    page.check(f"#registration-{first.pk}")
    page.check(f"#registration-{second.pk}")
    assert submit(page, page.locator("button[name=action][value=approve]")).status == 302
    expect(page.locator(".messages .success")).to_be_visible()
    statuses = dict(Registration.objects.filter(session=upcoming).values_list("pk", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", third.pk: "pending"}

    # 2. Import the organisers' .xlsx list: upload, check the detected columns, dry run, then import.
    page.locator(f"a[href$='/admin/registrations/session/{upcoming.pk}/import/']").click()
    page.set_input_files(
        "input[type=file][name=file]",
        {
            "name": "batken.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": participant_list_xlsx(),
        },
    )
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/import/[^/]+/$"))
    expect(page.locator("select#column_1")).to_have_value("full_name")
    expect(page.locator("select#column_5")).to_have_value("email")
    page.locator("button[name=step][value=check]").click()
    expect(page.locator("button[name=step][value=confirm]")).to_be_visible()
    assert Registration.objects.filter(session=upcoming).count() == 3  # the dry run saved nothing
    assert submit(page, page.locator("button[name=step][value=confirm]")).status == 200  # the report
    expect(page.locator(".messages .success")).to_be_visible()
    imported = Registration.objects.filter(session=upcoming, user__email__in=[row[5] for row in LIST_ROWS[1:]])
    assert sorted(imported.values_list("status", flat=True)) == ["confirmed"] * 3
    assert imported.get(user__email="gulnara@example.org").user.profile.full_name == "Гүлнара Ташиева"

    # 3. Issue the certificates of the session held last month, and watch the batch's progress bar while a
    #    worker (run here, step by step) issues them.
    queued = []
    monkeypatch.setattr(batches, "enqueue_batch", lambda batch_id, language: queued.append((batch_id, language)))
    page.goto(f"{base}/admin/certificates/actions/issue/")
    page.select_option("#id_session", str(held.pk))
    page.locator("main form[method=get] button[type=submit]").click()
    expect(page.locator("input[type=checkbox][name=registrations]:checked")).to_have_count(4)
    assert submit(page, page.locator("main form[method=post] button[type=submit]:not([name])")).status == 302
    expect(page).to_have_url(re.compile(r"/admin/certificates/batches/inspect/\d+/"))
    progress = page.locator("progress[data-batch-progress]")
    expect(progress).to_have_attribute("value", "0")
    batch = IssuanceBatch.objects.get()
    assert queued == [(batch.pk, batch.language)] and batch.total == 4

    IssuanceBatch.objects.filter(pk=batch.pk).update(status="running", processed=2)  # the worker is halfway
    expect(progress).to_have_attribute("value", "50")
    expect(page.locator("[data-batch-counts]")).to_contain_text("2 / 4")
    issue_certificate_batch(*queued[0])  # ... and finishes: the page reloads with the summary
    expect(page.locator("#certificate-batch h2")).to_be_visible()
    expect(progress).to_have_attribute("value", "100")
    batch.refresh_from_db()
    assert (batch.status, batch.issued_count) == ("done", 4)
    assert Certificate.objects.filter(session=held, status="valid").count() == 4

    # 4. Download one certificate's PDF from the registry, decode its QR code and open the verification page.
    certificate = Certificate.objects.filter(session=held).order_by("number").first()
    page.goto(f"{base}/admin/certificates/registry/inspect/{certificate.pk}/")
    download_link = page.locator(f"a[href$='/registry/{certificate.pk}/pdf/']").first
    if not download_link.is_visible():
        page.locator("header .w-dropdown__toggle").click()  # the header's "more actions" menu
    with page.expect_download() as download_info:
        download_link.click()
    pdf = Path(download_info.value.path()).read_bytes()
    codes = qr_codes_in_pdf(pdf)
    assert len(codes) == 1, codes
    verify_path = urlparse(codes[0]).path
    assert verify_path == f"/verify/{certificate.code}/"
    page.goto(f"{base}{verify_path}")
    expect(page.locator("#verdict .badge.ok")).to_be_visible()
    expect(page.locator("main dl")).to_contain_text(certificate.number)
    expect(page.locator("main dl")).to_contain_text(certificate.holder_name)
    assert not page.js_errors
