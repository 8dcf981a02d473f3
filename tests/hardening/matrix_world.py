"""One small academy for the permission matrix (tests/hardening/test_permission_matrix.py).

Clock: 2026-12-01 10:00 Asia/Bishkek (the `clock` fixture). Everything below belongs to `trainer`
and `participant`; `other_trainer` trains nothing and `other_participant` registered for nothing,
so whatever they can reach of it is a leak.

* course: 16 h, closing assignment required.
* past: 10–11 Nov 2026, completed, trained by `trainer`, with an agenda (copy-agenda source).
  `participant` confirmed, attendance marked, completed (by the trainer's override), feedback given,
  a certificate issued, an issuance batch.
* live: 1–2 Dec 2026 (running now), open, trained by `trainer`. `participant` confirmed, an assignment
  handed in, a check-in code for today, two materials for the session's participants (a PDF document
  and an image).
* upcoming: 15–16 Dec 2026, open, needs approval, trained by `trainer`; `participant` pending.
* open_session: 20–21 Dec 2026, open, trained by `trainer`, nobody registered (to register in).
* draft: 10–11 Jan 2027, draft, trained by `trainer`.

The participant's e-mail and phone are distinctive markers, searched for in every response to a
person who must not see them.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Registration, Session, TrainerProfile, Venue
from tests import factories

PARTICIPANT_EMAIL = "aigul.pii-marker@example.org"
PARTICIPANT_PHONE = "+996700424242"
PARTICIPANT_PHONE_DISPLAY = ("700424242", "700 424 242", "700-424-242")
PARTICIPANT_NAME = "Гүлнара Маркерова"
RESTRICTED_TITLES = ("Жабык бюджеттик пландоо", "Жабык схема")
PASSWORD = "pass-Word-123"
TODAY = date(2026, 12, 1)


def pdf_bytes(text="Окуу материалы"):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def png_bytes(size=(40, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def pii_markers():
    """The participant's contact details: never shown to anyone but the participant, trainers and admins."""
    return [PARTICIPANT_EMAIL, PARTICIPANT_PHONE, *PARTICIPANT_PHONE_DISPLAY]


def private_markers(world):
    """What only the participant (and the session's trainers, the admins) may know: their name outside the
    public certificate record, their certificate's number, the titles of the participants-only materials."""
    return [PARTICIPANT_NAME, world.certificate.number, *RESTRICTED_TITLES]


@dataclass
class World:
    users: dict
    course: object
    past: Session
    live: Session
    upcoming: Session
    open_session: Session
    draft: Session
    reg_past: Registration
    reg_live: Registration
    reg_pending: Registration
    submission: object
    feedback: object
    certificate: object
    template: object
    batch: object
    material_doc: object
    material_img: object
    material_link: object
    pack_link: object
    checkin_code: str
    trainer_profile: TrainerProfile
    extra: dict = field(default_factory=dict)

    @property
    def participant(self):
        return self.users["participant"]

    @property
    def trainer(self):
        return self.users["trainer"]

    @property
    def admin(self):
        return self.users["admin"]


def _session(course, *, starts_at, trainers, status="open", **fields):
    fields.setdefault(
        "venue",
        Venue.objects.get_or_create(
            name="Кыштут айыл өкмөтүнүн залы", municipality=factories.municipality(), defaults={"capacity": 40}
        )[0],
    )
    session = factories.make_session(course, starts_at=starts_at, trainers=trainers, status=status, **fields)
    session.save()  # trainers is a ParentalManyToManyField: kept in memory until the session is saved
    return Session.objects.select_related("course").get(pk=session.pk)


def build_world(course_index):
    from certificates.services import batches, issuance
    from courses.models import AttendanceMethod
    from courses.services import attendance as attendance_service
    from courses.services import checkin as checkin_service
    from courses.services import completion as completion_service
    from courses.services import materials as materials_service
    from courses.services import shortlinks
    from reports.services import feedback as feedback_service
    from tests.certificates.conftest import make_template

    participant = factories.participant(
        email=PARTICIPANT_EMAIL, profile__phone=PARTICIPANT_PHONE, profile__full_name=PARTICIPANT_NAME
    )
    users = {
        "participant": participant,
        "other_participant": factories.participant(),
        "trainer": factories.trainer(),
        "other_trainer": factories.trainer(),
        "admin": factories.academy_admin(),
    }
    trainer, admin = users["trainer"], users["admin"]
    trainer_profile = TrainerProfile.objects.create(user=trainer, topics="Бюджет")

    course = factories.make_course(
        course_index, hours=16, requires_assignment=True, assignment_title="БАП", min_attendance_percent=50
    )
    bishkek = factories.bishkek
    past = _session(course, starts_at=bishkek(2026, 11, 10), trainers=[trainer], status="completed")
    factories.make_agenda(past, blocks_per_day=2)
    live = _session(course, starts_at=bishkek(2026, 12, 1), trainers=[trainer])
    upcoming = _session(course, starts_at=bishkek(2026, 12, 15), trainers=[trainer], requires_approval=True)
    open_session = _session(course, starts_at=bishkek(2026, 12, 20), trainers=[trainer])
    draft = _session(course, starts_at=bishkek(2027, 1, 10), trainers=[trainer], status="draft")

    reg_past = Registration.objects.create(session=past, user=participant, status="confirmed")
    reg_live = Registration.objects.create(session=live, user=participant, status="confirmed")
    reg_pending = Registration.objects.create(session=upcoming, user=participant, status="pending")

    attendance_service.mark_attendance(
        past,
        [{"registration": reg_past.pk, "day": day, "status": "present"} for day in past.days],
        by=trainer,
        method=AttendanceMethod.ROLL_CALL,
    )
    completion_service.override_completion(
        reg_past, completed=True, reason="The action plan was presented on paper.", by=trainer
    )
    reg_past.refresh_from_db()
    submission = completion_service.submit_assignment(
        reg_live, SimpleUploadedFile("bap.pdf", pdf_bytes("БАП"), content_type="application/pdf"), by=participant
    )
    feedback, _created = feedback_service.submit_feedback(
        participant, reg_past.pk, content_score=5, trainer_score=4, organisation_score=5
    )

    template = make_template()
    certificate, _created = issuance.issue_certificate(reg_past, template=template, issued_by=admin, notify=False)
    batch = batches.start_batch(created_by=admin, session=past, template=template, enqueue=False)

    slot = attendance_service.default_slot(live)
    checkin_code = checkin_service.issue_code(live, slot, by=trainer).code

    material_doc = materials_service.create_material(
        trainer,
        session=live,
        kind="document",
        visibility="participants",
        title=RESTRICTED_TITLES[0],
        upload=materials_service.Upload(file=io.BytesIO(pdf_bytes()), name="budget.pdf"),
    )
    material_img = materials_service.create_material(
        trainer,
        session=live,
        kind="image",
        visibility="participants",
        title=RESTRICTED_TITLES[1],
        upload=materials_service.Upload(file=io.BytesIO(png_bytes()), name="scheme.png"),
    )
    shortlinks.ensure_material_links([material_doc, material_img])
    material_doc.refresh_from_db()
    pack_link = shortlinks.ensure_session_pack_link(live)

    return World(
        users=users,
        course=course,
        past=past,
        live=live,
        upcoming=upcoming,
        open_session=open_session,
        draft=draft,
        reg_past=reg_past,
        reg_live=reg_live,
        reg_pending=reg_pending,
        submission=submission,
        feedback=feedback,
        certificate=certificate,
        template=template,
        batch=batch,
        material_doc=material_doc,
        material_img=material_img,
        material_link=material_doc.short_link,
        pack_link=pack_link,
        checkin_code=checkin_code,
        trainer_profile=trainer_profile,
    )
