"""Action plan services: adding and editing items, taking them from a participant's plan, reporting."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from academy.errors import DomainError, PermissionDeniedError
from courses.models import ActionPlanItem, ActionPlanReport, ActionPlanSource, AssignmentSubmission
from courses.services import action_plans as service
from tests import factories

from .conftest import make_item

pytestmark = pytest.mark.django_db


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def item_data(**changes):
    data = {
        "what": "Айылдык кеңештин сессиясында таштанды чыгаруу тарифин талкуулоо",
        "municipality": str(factories.municipality("kyshtut").pk),
        "responsible_name": "Айгүл Токтосунова",
        "responsible_user": "",
        "due_date": "2026-09-30",
    }
    data.update(changes)
    return data


def test_trainer_adds_an_item(session, trainer, participant, registration):
    item = service.add_item(trainer, session, item_data(responsible_user=str(participant.pk)))
    assert item.responsible_user == participant
    assert item.source == ActionPlanSource.TRAINER
    assert item.status == "not_reported"
    assert item.created_by == trainer


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": "2026-05-31"}, "due_date"),  # before the session
        ({"due_date": "31.12.2026"}, "due_date"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"what": "   "}, "what"),
        ({"responsible_name": ""}, "responsible_name"),
        ({"municipality": "999999"}, "municipality"),
        ({"municipality": "¹"}, "municipality"),
        ({"responsible_user": "99999999999999999999999"}, "responsible_user"),
    ],
)
def test_bad_item_input_changes_nothing(session, trainer, changes, field):
    with pytest.raises(DomainError) as raised:
        service.add_item(trainer, session, item_data(**changes))
    assert raised.value.field == field
    assert str(raised.value.message)
    assert not ActionPlanItem.objects.exists()


def test_responsible_account_must_belong_to_the_session(session, trainer, other_participant):
    with pytest.raises(DomainError) as raised:
        service.add_item(trainer, session, item_data(responsible_user=str(other_participant.pk)))
    assert raised.value.field == "responsible_user"


def test_other_trainer_and_participant_cannot_change_the_plan(session, item, other_trainer, participant):
    for user in (other_trainer, participant):
        with pytest.raises(PermissionDeniedError):
            service.add_item(user, session, item_data())
        with pytest.raises(PermissionDeniedError):
            service.edit_item(user, item, item_data())
        with pytest.raises(PermissionDeniedError):
            service.delete_item(user, item)
    assert ActionPlanItem.objects.count() == 1


def test_admin_edits_and_deletes(session, item, db):
    admin = factories.academy_admin()
    service.edit_item(admin, item, item_data(what="Жаңы иш", due_date="2026-11-11"))
    item.refresh_from_db()
    assert (item.what, item.due_date) == ("Жаңы иш", date(2026, 11, 11))
    service.delete_item(admin, item)
    assert not ActionPlanItem.objects.exists()


def test_items_from_a_participant_plan(session, trainer, participant, registration, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    submission = AssignmentSubmission.objects.create(
        registration=registration, file=SimpleUploadedFile("bap.pdf", b"%PDF-1.4"), original_name="БАП.pdf"
    )
    assert list(service.import_candidates(trainer, session)) == [submission]
    values = service.prefill_from_submission(trainer, session, str(submission.pk))
    assert values["responsible_user"] == participant.pk
    assert values["submission"] == submission.pk
    item = service.add_item(trainer, session, {**values, "what": "Суу түтүгүн оңдоо"})
    assert item.source == ActionPlanSource.PARTICIPANT_PLAN and item.submission == submission
    with pytest.raises(DomainError):
        service.prefill_from_submission(trainer, session, "999999")


def test_responsible_person_reports(item, participant):
    report = service.report_item(participant, item, status="done", round="6", comment="Бүттү", file=png())
    item.refresh_from_db()
    assert item.status == "done" and item.status_changed_at is not None
    assert report.round == 6 and report.content_type == "image/png" and report.size > 0
    # A later report wins.
    service.report_item(participant, item, status="in_progress", round="3")
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert ActionPlanReport.objects.filter(item=item).count() == 2


def test_deleting_an_item_deletes_its_report_files_on_commit(
    session, item, participant, trainer, django_capture_on_commit_callbacks
):
    with_file = service.report_item(participant, item, status="done", round="6", file=png())
    service.report_item(participant, item, status="in_progress", round="6")  # no file: nothing to delete
    kept = service.report_item(trainer, make_item(session, None, code=None), status="done", round="6", file=png())
    storage = with_file.file.storage
    name = with_file.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service.delete_item(trainer, item)
    assert len(callbacks) == 1 and storage.exists(name)  # not before the deletion is committed
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    assert storage.exists(kept.file.name)  # another item's file stays
    assert not ActionPlanReport.objects.filter(item_id=item.pk).exists()


def test_deleting_the_session_deletes_its_report_files_on_commit(
    session, item, participant, django_capture_on_commit_callbacks
):
    report = service.report_item(participant, item, status="done", round="6", file=png())
    storage, name = report.file.storage, report.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session.delete()  # the admin's delete: items and reports go by cascade, past the services
    assert storage.exists(name)  # not before the deletion is committed
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    assert not ActionPlanReport.objects.filter(pk=report.pk).exists()


def test_a_rolled_back_deletion_keeps_the_files(item, participant, trainer):
    from django.db import transaction

    report = service.report_item(participant, item, status="done", round="6", file=png())
    with pytest.raises(RuntimeError), transaction.atomic():
        service.delete_item(trainer, item)
        raise RuntimeError
    assert report.file.storage.exists(report.file.name)
    assert ActionPlanReport.objects.filter(pk=report.pk).exists()


def test_trainer_reports_for_no_one_to_ask(orphan_item, trainer):
    assert not orphan_item.has_someone_to_ask
    service.report_item(trainer, orphan_item, status="dropped", round="6", comment="Каражат жок")
    orphan_item.refresh_from_db()
    assert orphan_item.status == "dropped"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "finished", "round": "6"}, "status"),
        ({"status": "not_reported", "round": "6"}, "status"),
        ({"status": "done", "round": "4"}, "round"),
        ({"status": "done", "round": "abc"}, "round"),
        ({"status": "done", "round": "6", "comment": "x" * 2001}, "comment"),
    ],
)
def test_bad_report_changes_nothing(item, participant, kwargs, field):
    with pytest.raises(DomainError) as raised:
        service.report_item(participant, item, **kwargs)
    assert raised.value.field == field
    item.refresh_from_db()
    assert item.status == "not_reported"
    assert not ActionPlanReport.objects.exists()


def test_round_not_due(recent_session, trainer):
    item = make_item(recent_session, None, due_date=date(2026, 12, 20))
    with pytest.raises(DomainError) as raised:
        service.report_item(trainer, item, status="done", round="3")
    assert raised.value.field == "round"
    assert not ActionPlanReport.objects.exists()


def test_report_on_an_item_not_yours(item, other_participant, other_trainer):
    for user in (other_participant, other_trainer):
        with pytest.raises(PermissionDeniedError):
            service.report_item(user, item, status="done", round="6")
    assert not ActionPlanReport.objects.exists()


def test_file_too_big_or_wrong(item, participant, settings):
    settings.ACADEMY_MAX_UPLOAD_BYTES = 50
    with pytest.raises(DomainError) as raised:
        service.report_item(participant, item, status="done", round="6", file=png())
    assert raised.value.field == "file"
    settings.ACADEMY_MAX_UPLOAD_BYTES = 10_000
    fake = SimpleUploadedFile("photo.jpg", b"MZ not a photo at all", content_type="image/jpeg")
    with pytest.raises(DomainError):
        service.report_item(participant, item, status="done", round="6", file=fake)
    item.refresh_from_db()
    assert item.status == "not_reported" and not ActionPlanReport.objects.exists()
