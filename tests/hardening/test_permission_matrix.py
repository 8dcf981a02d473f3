"""The permission matrix: every URL and API operation, for six people, with the expected allow or deny.

One small world (tests/hardening/matrix_world.py) belongs to `trainer` and `participant`. Every row of
MATRIX is one request (a route, a method, data) and one expected outcome per role:

    ROLES:  anonymous  participant  other_participant  trainer  other_trainer  admin

    "+"  allowed: 2xx, or a redirect that is not to a login page nor to the admin's "no permission" page
    "L"  the anonymous visitor is sent to log in: a redirect to a login page; on the API 401 or 403
    "-"  refused: 403 or 404 (410 for a withdrawn link); in the Wagtail admin also the redirect to the
         admin's login (no admin access) or to its dashboard with "no permission"
    "400" (any number): exactly this status, e.g. allowed, but the rule refuses this input

Each request of a role runs in a savepoint that is rolled back, so every role meets the same world.

Beside the outcome, no response to `anonymous`, `other_participant` or `other_trainer`, no error
response (4xx) to anybody, and no response of the public certificate records (verification page and
JSON) may contain the participant's e-mail address or phone number; and no response to those three
may contain the participant's name, certificate number or the titles of the participants-only materials
(the public certificate record shows the holder's name and number by design).

Cells where the product is known to be wrong are listed in KNOWN_BUGS (reported to the lead); such a
cell that turns right fails the test, so the entry goes with the fix.

Coverage is enforced: every named route of the project (public site, accounts, courses, certificates,
reports, the API, and the project's own admin views) must have a row, and so must every operation of
the OpenAPI schema. A new URL without a row fails `test_every_route_has_a_matrix_row`.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from tests.hardening import matrix_world
from tests.hardening.matrix_world import (
    PARTICIPANT_EMAIL,
    PASSWORD,
    build_world,
    pdf_bytes,
    pii_markers,
    private_markers,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "other_participant", "trainer", "other_trainer", "admin")
NOSY = {"anonymous", "other_participant", "other_trainer"}
PROJECT_MODULES = ("academy.", "certificates.", "cms.", "courses.", "reports.")

# Named routes that are not the project's: Wagtail's own machinery outside /admin/.
NOT_OURS = {
    "wagtailcore_authenticate_with_password": "Wagtail's password-protected pages (none in this project)",
    "wagtailcore_login": "Wagtail's login for private pages (the project uses account_login)",
    "wagtaildocs_authenticate_with_password": "Wagtail's password-protected documents (none in this project)",
}

EVERYONE = "+ + + + + +"
SIGNED_IN = "L + + + + +"
OWNER = "L + - - - -"
OWNER_MANAGERS = "L + - + - +"
MANAGERS = "L - - + - +"
STAFF = "L - - + + +"
HOLDER_ADMIN = "L + - - - +"
ADMIN = "L - - - - +"
NOT_OFFICER = "L - - - - -"  # municipality officers' pages: nobody here is an officer
SESSION_STAFF_ONLY = "- - - + - +"  # a draft: not even a login prompt for people who may never see it


@dataclass
class Row:
    route: str
    expect: str
    method: str = "get"
    args: object = ()  # a tuple, or a function of the world giving one
    data: object = None  # a dict, or a function of the world giving one
    query: object = None
    format: str | None = None  # "json" or "multipart" for the API
    label: str = ""
    public_record: bool = False  # the public certificate record: no personal data, whoever asks
    headers: dict = field(default_factory=dict)

    @property
    def id(self):
        return f"{self.method.upper()} {self.route}{' ' + self.label if self.label else ''}"

    def expected(self):
        tokens = self.expect.split()
        assert len(tokens) == len(ROLES), f"{self.id}: {len(tokens)} expectations for {len(ROLES)} roles"
        return dict(zip(ROLES, tokens, strict=True))


def _call(value, world):
    return value(world) if callable(value) else value


def contest_round(world):
    """An open best-practice contest round with its criteria (tests/cms/contest_helpers.py)."""
    from tests.cms.contest_helpers import make_round

    return (make_round().pk,)


def certificate_zip(world, built=False):
    """A ZIP job of the past session's certificates (built: ready to download)."""
    from certificates.models import SessionCertificateZip
    from certificates.services import session_zip

    job = SessionCertificateZip.objects.create(session=world.past, created_by=world.admin, total=1)
    if built:
        session_zip.build_job(job.pk)
    return (job.pk,)


def session_form(world):
    return {
        "course": world.course.pk,
        "title": "",
        "starts_at": "2027-03-01T09:00:00+06:00",
        "ends_at": "2027-03-02T18:00:00+06:00",
        "format": "online",
        "online_url": "https://meet.example.org/academy",
        "capacity": 20,
        "language": "ky",
        "status": "open",
    }



def knowledge_test(world, kind="pre", opened=True):
    """The live session's test of this kind, from a one-question bank, opened by its trainer (knowledge tests)."""
    from courses.models import Choice, KnowledgeTest, Question
    from courses.services import assessments

    test = KnowledgeTest.objects.filter(session=world.live, kind=kind).first()
    if test is None:
        question = Question.objects.create(course=world.live.course, text_ky="Бюджетти ким бекитет?", text_ru="Кто?")
        for index in range(2):
            Choice.objects.create(
                question=question, text_ky=f"Жооп {index}", text_ru=f"Ответ {index}", is_correct=index == 0
            )
        test = assessments.ensure_test(world.admin, world.live, kind)
    if opened and test.opened_at is None:
        assessments.open_test(world.admin, test, 15)
    return test


def knowledge_answers(world):
    test = knowledge_test(world)
    question = test.questions.first()
    return {f"q{question.pk}": str(question.choices.order_by("pk").first().pk)}


def knowledge_api_answers(world):
    """The knowledge-test API's body: the first choice (the right one) of the live pre-test's question."""
    test = knowledge_test(world)
    question = test.questions.first()
    return {"answers": [{"question": question.pk, "choices": [question.choices.order_by("pk").first().pk]}]}


def knowledge_submitted(world):
    """The live session's open pre-test, already answered by the participant (their own score to read)."""
    from courses.services import assessments

    test = knowledge_test(world)
    if not test.attempts.filter(registration=world.reg_live).exists():
        assessments.submit(world.participant, test, {})
    return (test.pk,)


def live_session_form(world):
    live = world.live
    return {
        "course": world.course.pk,
        "starts_at": live.starts_at.isoformat(),
        "ends_at": live.ends_at.isoformat(),
        "format": live.format,
        "venue": live.venue_id,
        "capacity": 30,
        "language": live.language,
        "status": live.status,
    }


def signup_form(world):
    return {
        "email": "new.deputy@example.org",
        "password": "Strong-pass-2026",
        "consent": True,
        "full_name": "Бакыт Жоробаев",
        "gender": "male",
        "year_of_birth": 1979,
        "organization_kind": "local_council",
        "organization_name": "Суу-Башы айылдык кеңеши",
        "phone": "+996700111222",
    }


def assignment_file(world):
    return {"file": SimpleUploadedFile("bap-2.pdf", pdf_bytes("БАП 2"), content_type="application/pdf")}


def document_args(world):
    document = world.material_doc.document
    return (document.pk, document.filename)


def transcript_code(world):
    from certificates.services.transcripts import issue_transcript

    return (issue_transcript(world.participant).code,)


def default_survey():
    from reports.models import Survey

    return Survey.objects.get(course__isnull=True, is_active=True).pk


def external_training(world, evidence=False):
    from datetime import date

    from django.core.files.base import ContentFile

    from certificates.models import ExternalTraining

    training = ExternalTraining(
        user=world.participant, title="Муниципалдык бюджет", starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 12), hours=24
    )
    if evidence:
        training.evidence.save("evidence.pdf", ContentFile(pdf_bytes("Сертификат")), save=False)
        training.evidence_name = "evidence.pdf"
    training.save()
    return (training.pk,)


def live_day(world):
    return matrix_world.TODAY.isoformat()


def action_plan(world, what="item", report=False):
    """Action plans (issue 19.3): a session of the trainer that ended on 2 May 2026 (both follow-ups due), the
    participant registered and responsible for one item. `what`: "session", "item", "report" (with a photo),
    "token" (the participant's signed link)."""
    from datetime import date

    from courses.models import ActionPlanItem, Registration
    from courses.services import action_plans
    from tests import factories

    item = ActionPlanItem.objects.filter(what="Коомдук угуу", session__trainers=world.trainer).first()
    if item is None:
        session = factories.make_session(
            world.course, starts_at=factories.bishkek(2026, 5, 1), trainers=[world.trainer], status="completed"
        )
        Registration.objects.create(session=session, user=world.participant, status="confirmed")
        item = ActionPlanItem.objects.create(
            session=session, what="Коомдук угуу", responsible_name="—", responsible_user=world.participant,
            due_date=date(2026, 9, 1),
        )
    if what == "session":
        return (item.session_id,)
    if what == "token":
        return (action_plans.make_token(world.participant, item.session, 6),)
    if what == "report":
        photo = SimpleUploadedFile("photo.pdf", pdf_bytes("Акт"), content_type="application/pdf")
        return (action_plans.report_item(world.participant, item, status="done", round="6", file=photo).pk,)
    return (item.pk,)


def action_plan_form(world, **changes):
    return {"what": "Суу түтүгүн оңдоо", "responsible_name": "Бакыт", "due_date": "2026-10-01", **changes}


# --- the matrix -----------------------------------------------------------------------------------------

# fmt: off  (one row a line or two reads as a table)
MATRIX = [
    # Public site and accounts ----------------------------------------------------------------------------
    Row("wagtail_serve", EVERYONE, args=("",), label="home page"),
    Row("course_catalogue", EVERYONE),
    Row("sitemap", EVERYONE),
    Row("site_search", EVERYONE, query={"q": "тариф"}),
    Row("site_search", EVERYONE, query={"q": "\x00" * 3}, label="garbage query"),
    Row("robots_txt", EVERYONE),
    Row("robots_txt", "405 405 405 405 405 405", method="post", label="only GET"),
    Row("session_list", EVERYONE),
    Row("session_detail", EVERYONE, args=lambda w: (w.live.pk,)),
    Row("session_detail", SESSION_STAFF_ONLY, args=lambda w: (w.draft.pk,), label="draft"),
    Row("session_ical", EVERYONE, args=lambda w: (w.live.pk,)),
    Row("session_ical", SESSION_STAFF_ONLY, args=lambda w: (w.draft.pk,), label="draft"),
    Row("trainer_ical", EVERYONE, args=lambda w: (w.trainer.pk,)),
    Row("trainer_ical", "- - - - - -", args=lambda w: (w.participant.pk,), label="of a participant"),
    Row("set_language", EVERYONE, method="post", data={"language": "ru", "next": "/"}),
    Row("account_login", EVERYONE),
    Row("account_login", EVERYONE, method="post", data={"username": PARTICIPANT_EMAIL, "password": PASSWORD}),
    Row(
        "account_login",
        "200 + + + + +",
        method="post",
        data={"username": PARTICIPANT_EMAIL, "password": "nope"},
        label="wrong password",
    ),
    Row("account_logout", EVERYONE, method="post"),
    Row("account_signup", EVERYONE),
    Row("account_profile", SIGNED_IN),
    Row(
        "account_profile",
        SIGNED_IN,
        method="post",
        data={"full_name": "Жаңы Ат", "gender": "female", "organization_kind": "ayil_okmotu", "consent": "on"},
    ),
    # Telegram: without a bot configured, linking explains it on the profile; the webhook wants Telegram's secret.
    Row("account_telegram_link", SIGNED_IN, method="post"),
    Row("account_telegram_unlink", SIGNED_IN, method="post"),
    Row("telegram_webhook", "- - - - - -", method="post", data={"update_id": 1}),
    Row("password_reset", EVERYONE),
    Row("password_reset", EVERYONE, method="post", data={"email": PARTICIPANT_EMAIL}),
    Row("password_reset_done", EVERYONE),
    Row("password_reset_confirm", EVERYONE, args=("MQ", "set-password"), label="bogus token"),
    Row("password_reset_complete", EVERYONE),
    Row("api-schema", EVERYONE),
    Row("api-docs", EVERYONE),
    Row("api-redoc", EVERYONE),
    # Registration pages ---------------------------------------------------------------------------------
    Row("my_trainings", SIGNED_IN),
    Row("session_register", SIGNED_IN, method="post", args=lambda w: (w.open_session.pk,)),
    Row("session_register", SIGNED_IN, args=lambda w: (w.open_session.pk,), label="GET goes back"),
    Row("registration_cancel", OWNER, method="post", args=lambda w: (w.reg_pending.pk,)),
    # The owner of a registration with no offer is told so on My trainings; anybody else's answers 404.
    Row("registration_offer_accept", OWNER, method="post", args=lambda w: (w.reg_pending.pk,)),
    Row("registration_offer_accept", OWNER, args=lambda w: (w.reg_pending.pk,), label="GET opens My trainings"),
    Row("registration_offer_decline", OWNER, method="post", args=lambda w: (w.reg_pending.pk,)),
    # Municipality officers' pages: nobody of the six roles is an officer, so all are refused.
    Row("municipality_staff", NOT_OFFICER),
    Row("municipality_sessions", NOT_OFFICER),
    Row("municipality_nominate", NOT_OFFICER, args=lambda w: (w.open_session.pk,)),
    Row("municipality_nominate", NOT_OFFICER, method="post", args=lambda w: (w.open_session.pk,)),
    Row("municipality_approvals", NOT_OFFICER),
    Row("municipality_decide", NOT_OFFICER, method="post", args=lambda w: (w.reg_pending.pk,)),
    # Attendance pages -----------------------------------------------------------------------------------
    Row("trainer_dashboard", "L - - + + +"),
    Row("attendance_roll_call", MANAGERS, args=lambda w: (w.live.pk,)),
    Row(
        "attendance_roll_call",
        MANAGERS,
        method="post",
        args=lambda w: (w.live.pk,),
        data=lambda w: {"registration": w.reg_live.pk, "day": live_day(w), "status": "present"},
    ),
    Row("attendance_checkin_screen", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("attendance_checkin_code", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("attendance_signin_sheet", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("attendance_paper", MANAGERS, args=lambda w: (w.live.pk,)),
    Row(
        "attendance_paper",
        MANAGERS,
        method="post",
        args=lambda w: (w.live.pk,),
        data=lambda w: {f"a-{w.reg_live.pk}-{live_day(w)}": "present"},
    ),
    Row("attendance_assignments", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("attendance_completion", MANAGERS, args=lambda w: (w.past.pk,)),
    Row("attendance_finalise", MANAGERS, method="post", args=lambda w: (w.past.pk,)),
    Row(
        "attendance_review",
        MANAGERS,
        method="post",
        args=lambda w: (w.submission.pk,),
        data={"decision": "return", "feedback": "Толуктаңыз"},
    ),
    Row(
        "attendance_override",
        MANAGERS,
        method="post",
        args=lambda w: (w.reg_past.pk,),
        data={"completed": "no", "reason": "Сабакка келген жок"},
    ),
    Row("attendance_check_in", "L + - - - -", args=lambda w: (w.checkin_code,)),
    Row("attendance_check_in", "L + - - - -", method="post", args=lambda w: (w.checkin_code,)),
    Row("attendance_check_in", "400 400 400 400 400 400", args=("not-a-code",), label="bad code"),
    Row("attendance_my_assignment", OWNER, args=lambda w: (w.live.pk,)),
    Row("attendance_my_assignment", OWNER, method="post", args=lambda w: (w.live.pk,), data=assignment_file),
    Row("attendance_submission_file", OWNER_MANAGERS, args=lambda w: (w.submission.pk,)),
    # The offline roll call: the worker script is public (it holds no data); the pages it keeps are listed for staff.
    Row("attendance_service_worker", EVERYONE),
    Row("attendance_offline_pages", STAFF),
    Row("attendance_audit", MANAGERS, args=lambda w: (w.live.pk,)),
    # Materials ------------------------------------------------------------------------------------------
    Row("short_link", OWNER_MANAGERS, args=lambda w: (w.material_link.code,), label="participants' material"),
    Row("short_link", EVERYONE, args=lambda w: (w.pack_link.code,), label="session pack"),
    Row("short_link_svg", EVERYONE, args=lambda w: (w.material_link.code,)),
    Row("short_link_png", EVERYONE, args=lambda w: (w.material_link.code,)),
    Row("material_image", OWNER_MANAGERS, args=lambda w: (w.material_img.pk,)),
    Row("wagtaildocs_serve", OWNER_MANAGERS, args=document_args, label="participants' material"),
    Row("session_materials", EVERYONE, args=lambda w: (w.live.pk,)),
    Row("session_materials", SESSION_STAFF_ONLY, args=lambda w: (w.draft.pk,), label="draft"),
    Row("session_handout", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("session_handout_pdf", MANAGERS, args=lambda w: (w.live.pk,)),
    # Certificates ---------------------------------------------------------------------------------------
    Row("certificate_verify", EVERYONE, args=lambda w: (w.certificate.code,), public_record=True),
    Row("certificate_verify", "- - - - - -", args=("NOSUCHCODE0000000000",), label="unknown code"),
    Row("certificate_did_document", EVERYONE),
    Row("certificate_jwks", EVERYONE),
    Row("my_certificates", SIGNED_IN),
    Row("my_certificate_pdf", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("my_certificate_badge", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("my_certificate_badge_jwt", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    # The qualification record: one's own only (no id in the address); its transcript verifies publicly.
    Row("my_transcript", SIGNED_IN),
    Row("my_transcript_pdf", SIGNED_IN),
    Row("transcript_verify", EVERYONE, args=transcript_code, public_record=True),
    Row("transcript_verify", "- - - - - -", args=("NOSUCHCODE0000000000",), label="unknown code"),
    # Feedback pages -------------------------------------------------------------------------------------
    Row("my_feedback", SIGNED_IN),
    Row("feedback_form", OWNER, args=lambda w: (w.reg_past.pk,)),
    Row(
        "feedback_form",
        OWNER,
        method="post",
        args=lambda w: (w.reg_past.pk,),
        data={"content_score": 4, "trainer_score": 4, "organisation_score": 4, "comments": ""},
    ),
    # API: accounts and places ---------------------------------------------------------------------------
    Row("api-root", EVERYONE),
    Row("api-token", EVERYONE, method="post", format="json", data={"email": PARTICIPANT_EMAIL, "password": PASSWORD}),
    Row(
        "api-token",
        "403 403 403 403 403 403",
        method="post",
        format="json",
        data={"email": PARTICIPANT_EMAIL, "password": "nope"},
        label="wrong password",
    ),
    Row("api-token", SIGNED_IN, method="delete", label="revoke the caller's token"),
    Row("api-signup", EVERYONE, method="post", format="json", data=signup_form),
    Row(
        "api-signup",
        "400 400 400 400 400 400",
        method="post",
        format="json",
        data=lambda w: {**signup_form(w), "email": PARTICIPANT_EMAIL},
        label="taken e-mail",
    ),
    Row("api-me", SIGNED_IN),
    Row("api-me", SIGNED_IN, method="patch", format="json", data={"position": "Адис"}),
    Row("region-list", EVERYONE),
    Row("region-detail", EVERYONE, args=lambda w: (w.extra["region"],)),
    Row("district-list", EVERYONE),
    Row("district-detail", EVERYONE, args=lambda w: (w.extra["district"],)),
    Row("municipality-list", EVERYONE),
    Row("municipality-detail", EVERYONE, args=lambda w: (w.extra["municipality"],)),
    Row("funding-project-list", EVERYONE),
    Row("funding-project-detail", EVERYONE, args=lambda w: (w.extra["funding_project"],)),
    # API: catalogue -------------------------------------------------------------------------------------
    Row("course-list", EVERYONE),
    Row("course-detail", EVERYONE, args=lambda w: (w.course.pk,)),
    Row("session-list", EVERYONE),
    Row("session-detail", EVERYONE, args=lambda w: (w.live.pk,)),
    Row("session-detail", SESSION_STAFF_ONLY, args=lambda w: (w.draft.pk,), label="draft"),
    Row("session-list", EVERYONE, headers={"HTTP_ACCEPT": "text/html"}, label="browsable API"),
    Row(
        "session-detail",
        EVERYONE,
        args=lambda w: (w.live.pk,),
        headers={"HTTP_ACCEPT": "text/html"},
        label="browsable API",
    ),
    Row("session-list", "L - - 201 201 201", method="post", format="json", data=session_form),
    Row("session-detail", MANAGERS, method="put", format="json", args=lambda w: (w.live.pk,), data=live_session_form),
    Row("session-detail", MANAGERS, method="patch", format="json", args=lambda w: (w.live.pk,), data={"capacity": 30}),
    Row(
        "session-detail",
        "L - - + - +",
        method="patch",
        format="json",
        args=lambda w: (w.draft.pk,),
        data={"capacity": 30},
        label="draft",
    ),
    Row(
        "session-cancel",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.upcoming.pk,),
        data={"reason": "Тренер ооруп калды"},
    ),
    Row(
        "session-copy-agenda",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.open_session.pk,),
        data={"replace": False},
    ),
    # API: registrations ---------------------------------------------------------------------------------
    Row("api-session-register", "L 201 201 201 201 201", method="post", args=lambda w: (w.open_session.pk,)),
    Row("api-session-roster", MANAGERS, args=lambda w: (w.upcoming.pk,)),
    Row(
        "api-session-registrations-bulk",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.upcoming.pk,),
        data=lambda w: {"action": "approve", "ids": [w.reg_pending.pk]},
    ),
    Row(
        "api-registration-cancel",
        OWNER_MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.reg_pending.pk,),
        data={"reason": "Орун жок"},
    ),
    # No place is offered on the pending registration: its owner gets the 400 "no_offer", anybody else 404.
    Row(
        "api-registration-accept-offer", "L 400 - - - -", method="post", format="json", args=lambda w: (w.reg_pending.pk,)
    ),
    Row(
        "api-registration-decline-offer", "L 400 - - - -", method="post", format="json", args=lambda w: (w.reg_pending.pk,)
    ),
    Row(
        "api-registration-approve", MANAGERS, method="post", format="json", args=lambda w: (w.reg_pending.pk,), data={}
    ),
    Row(
        "api-registration-reject",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.reg_pending.pk,),
        data={"note": "Талаптарга туура келбейт"},
    ),
    Row("api-my-registrations", SIGNED_IN),
    # API: attendance, assignments, completion -----------------------------------------------------------
    Row("api-session-attendance", MANAGERS, args=lambda w: (w.past.pk,)),
    Row(
        "api-session-attendance",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.live.pk,),
        data=lambda w: [{"registration": w.reg_live.pk, "day": live_day(w), "status": "present"}],
    ),
    Row(
        "api-session-attendance-sync",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.live.pk,),
        data=lambda w: {
            "marks": [
                {
                    "client_id": "6f1c2b7e-0d4a-4c1e-9a51-3b8e2f7d9c10",
                    "registration": w.reg_live.pk,
                    "day": live_day(w),
                    "status": "present",
                    "recorded_at": "2026-12-01T09:30:00+06:00",
                }
            ]
        },
    ),
    Row("api-check-in-code", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("api-session-finalise", MANAGERS, method="post", args=lambda w: (w.past.pk,)),
    Row("api-check-in", "L + - - - -", method="post", format="json", data=lambda w: {"code": w.checkin_code}),
    Row("api-registration-assignment", OWNER_MANAGERS, args=lambda w: (w.reg_live.pk,)),
    Row(
        "api-registration-assignment",
        "L 201 - - - 201",
        method="post",
        format="multipart",
        args=lambda w: (w.reg_live.pk,),
        data=assignment_file,
    ),
    Row("api-registration-completion", OWNER_MANAGERS, args=lambda w: (w.reg_past.pk,)),
    Row(
        "api-registration-completion",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.reg_past.pk,),
        data={"completed": False, "reason": "Сабакка келген жок"},
    ),
    Row(
        "api-assignment-review",
        MANAGERS,
        method="post",
        format="json",
        args=lambda w: (w.submission.pk,),
        data={"decision": "return", "feedback": "Толуктаңыз"},
    ),
    Row("api-assignment-file", OWNER_MANAGERS, args=lambda w: (w.submission.pk,)),
    # API: materials -------------------------------------------------------------------------------------
    Row("api-course-materials", EVERYONE, args=lambda w: (w.course.pk,)),
    Row("api-session-materials", EVERYONE, args=lambda w: (w.live.pk,)),
    Row("api-session-materials", SESSION_STAFF_ONLY, args=lambda w: (w.draft.pk,), label="draft"),
    Row("api-material-stats", MANAGERS, query=lambda w: {"session": w.live.pk}),
    Row("api-material-stats", MANAGERS, query=lambda w: {"material": w.material_doc.pk}, label="?material="),
    Row("api-material-stats-detail", MANAGERS, args=lambda w: (w.material_doc.pk,)),
    # API: certificates ----------------------------------------------------------------------------------
    Row(
        "api-session-issue-certificates",
        "L - - - - 202",
        method="post",
        format="json",
        args=lambda w: (w.past.pk,),
        data={},
    ),
    Row("api-certificate-batch", ADMIN, args=lambda w: (w.batch.pk,)),
    Row("api-my-certificates", SIGNED_IN),
    Row("api-certificate-verify", EVERYONE, args=lambda w: (w.certificate.code,), public_record=True),
    Row("api-certificate-verify", "- - - - - -", args=("NOSUCHCODE0000000000",), label="unknown code"),
    Row("api-certificate-issuer", EVERYONE),
    Row("api-certificate-status-list", EVERYONE),
    Row("api-certificate-detail", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("api-certificate-pdf", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("api-certificate-badge", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("api-certificate-badge-jwt", HOLDER_ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("api-my-transcript", SIGNED_IN),
    Row("api-my-transcript-pdf", SIGNED_IN),
    Row(
        "api-certificate-revoke",
        ADMIN,
        method="post",
        format="json",
        args=lambda w: (w.certificate.pk,),
        data={"reason": "Ката берилген"},
    ),
    Row(
        "api-certificate-reissue",
        "L - - - - 201",
        method="post",
        format="json",
        args=lambda w: (w.certificate.pk,),
        data={"reason": "Аты-жөнү оңдолду", "holder_name": "Айгүл Токтосунова"},
    ),
    # API: municipality officers (nobody of the six roles is one) ----------------------------------------
    Row("api-municipality-staff", NOT_OFFICER),
    Row(
        "api-municipality-nominate",
        NOT_OFFICER,
        method="post",
        format="json",
        data=lambda w: {"session": w.open_session.pk, "users": [w.participant.pk]},
    ),
    Row("api-municipality-approvals", NOT_OFFICER),
    Row("api-municipality-approve", NOT_OFFICER, method="post", args=lambda w: (w.reg_pending.pk,)),
    Row("api-municipality-reject", NOT_OFFICER, method="post", args=lambda w: (w.reg_pending.pk,)),
    # API: reports and feedback --------------------------------------------------------------------------
    Row("api-reports-summary", STAFF),
    Row("api-reports-qualification", ADMIN),  # and municipality officers, for their municipality
    Row("api-reports-costs", ADMIN),
    # The outcome report (issue 19.5): academy admins only (it includes costs); a funding project is required.
    Row("api-reports-outcomes", ADMIN, query=lambda w: {"funding_project": w.extra["funding_project"]}),
    Row("api-reports-outcomes", "L - - - - 400", label="no funding project"),
    Row("api-registration-feedback", OWNER, args=lambda w: (w.reg_past.pk,)),
    Row("api-registration-feedback-survey", OWNER, args=lambda w: (w.reg_past.pk,)),
    Row(
        "api-registration-feedback",
        OWNER,
        method="post",
        format="json",
        args=lambda w: (w.reg_past.pk,),
        data={"content_score": 4, "trainer_score": 4, "organisation_score": 4},
    ),
    # Admin: registrations -------------------------------------------------------------------------------
    Row("registrations_admin:index", STAFF),
    Row("registrations_admin:roster", MANAGERS, args=lambda w: (w.upcoming.pk,)),
    Row("registration_signin_slips", MANAGERS, args=lambda w: (w.upcoming.pk,)),
    Row("registration_signin_slips", MANAGERS, method="post", args=lambda w: (w.upcoming.pk,)),
    Row(
        "registrations_admin:roster",
        MANAGERS,
        method="post",
        args=lambda w: (w.upcoming.pk,),
        data=lambda w: {"action": "approve", "registration": [w.reg_pending.pk], "note": ""},
    ),
    Row("registrations_admin:export", MANAGERS, args=lambda w: (w.upcoming.pk,)),
    Row("registrations_admin:import", ADMIN, args=lambda w: (w.upcoming.pk,)),
    Row("registrations_admin:import_mapping", ADMIN, args=lambda w: (w.upcoming.pk, "expired-token")),
    # Admin: materials -----------------------------------------------------------------------------------
    Row("material_packs", STAFF),
    Row("course_materials:index", STAFF),
    Row("course_materials:index_results", STAFF),
    Row("course_materials:add", STAFF),
    Row("course_materials:edit", MANAGERS, args=lambda w: (w.material_doc.pk,)),
    Row("course_materials:delete", MANAGERS, args=lambda w: (w.material_doc.pk,)),
    Row("course_materials:delete", MANAGERS, method="post", args=lambda w: (w.material_doc.pk,)),
    Row("course_materials:history", MANAGERS, args=lambda w: (w.material_doc.pk,)),
    Row("course_materials:history_results", MANAGERS, args=lambda w: (w.material_doc.pk,)),
    Row("course_materials:usage", MANAGERS, args=lambda w: (w.material_doc.pk,)),
    # Admin: scheduling (the project's session and trainer-profile views) --------------------------------
    Row("wagtailsnippets_courses_session:list", STAFF),
    Row("wagtailsnippets_courses_session:list_results", STAFF),
    Row("wagtailsnippets_courses_session:add", STAFF),
    Row("wagtailsnippets_courses_session:edit", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("wagtailsnippets_courses_session:delete", ADMIN, args=lambda w: (w.live.pk,)),  # trainers cancel instead
    Row("wagtailsnippets_courses_session:usage", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("wagtailsnippets_courses_session:history", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("wagtailsnippets_courses_session:history_results", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("wagtailsnippets_courses_session:copy", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("wagtailsnippets_courses_session:copy_agenda", MANAGERS, args=lambda w: (w.open_session.pk,)),
    # The session chooser (training materials): the sessions one manages; another trainer's is a 404.
    Row("wagtailsnippetchoosers_courses_session:choose", STAFF),
    Row("wagtailsnippetchoosers_courses_session:choose_results", STAFF),
    Row("wagtailsnippetchoosers_courses_session:chosen", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("wagtailsnippetchoosers_courses_session:chosen_multiple", STAFF),
    Row("wagtailsnippets_courses_trainerprofile:edit", MANAGERS, args=lambda w: (w.trainer_profile.pk,)),
    Row("wagtailsnippets_courses_trainerprofile:delete", ADMIN, args=lambda w: (w.trainer_profile.pk,)),
    # Admin: certificates --------------------------------------------------------------------------------
    Row("wagtailsnippets_certificates_certificatetemplate:list", ADMIN),
    Row("wagtailsnippets_certificates_certificatetemplate:list_results", ADMIN),
    Row("wagtailsnippets_certificates_certificatetemplate:edit", ADMIN, args=lambda w: (w.template.pk,)),
    Row("certificates_admin:issue", ADMIN),
    Row("certificates_admin:issue", ADMIN, query=lambda w: {"session": w.past.pk}, label="?session="),
    Row("certificates_admin:resume_batch", ADMIN, method="post", args=lambda w: (w.batch.pk,)),
    Row("certificates_admin:pdf", ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("certificates_admin:revoke", ADMIN, args=lambda w: (w.certificate.pk,)),
    Row(
        "certificates_admin:revoke",
        ADMIN,
        method="post",
        args=lambda w: (w.certificate.pk,),
        data={"reason": "Ката берилген"},
    ),
    Row("certificates_admin:reissue", ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("certificates_admin:template_sample", ADMIN, args=lambda w: (w.template.pk,)),
    Row("certificate_registry:index", ADMIN),
    Row("certificate_registry:index_results", ADMIN),
    Row("certificate_registry:inspect", ADMIN, args=lambda w: (w.certificate.pk,)),
    Row("certificate_batches:index", ADMIN),
    Row("certificate_batches:index_results", ADMIN),
    Row("certificate_batches:inspect", ADMIN, args=lambda w: (w.batch.pk,)),
    # A session's certificates as ZIP: admins and the session's trainers (a small session streams at once).
    Row("certificate_zips:session", MANAGERS, args=lambda w: (w.past.pk,)),
    Row("certificate_zips:session", MANAGERS, method="post", args=lambda w: (w.past.pk,)),
    Row("certificate_zips:job", MANAGERS, args=certificate_zip),
    Row("certificate_zips:download", MANAGERS, args=lambda w: certificate_zip(w, built=True)),
    Row("external_trainings:index", ADMIN),
    Row("external_trainings:index_results", ADMIN),
    Row("external_trainings:edit", ADMIN, args=external_training),
    Row("qualification_admin:import", ADMIN),
    Row("qualification_admin:import_mapping", ADMIN, args=("expired-token",)),
    Row("qualification_admin:evidence", ADMIN, args=lambda w: external_training(w, evidence=True)),
    # Admin: reports -------------------------------------------------------------------------------------
    Row("contest_jury", ADMIN),
    Row("contest_publish", ADMIN, method="post", args=contest_round),
    Row("contest_publish", "L - - 405 405 405", args=contest_round, label="GET changes nothing"),
    Row("contest_score", "L - - - - -", args=(999999,), label="no such entry (allowed for its jurors: tests/cms)"),
    Row("reports_admin:index", STAFF),
    Row("reports_admin:participants", STAFF),
    Row("reports_admin:reach", STAFF),
    Row("reports_admin:delivery", STAFF),
    Row("reports_admin:trainers", STAFF),
    Row("reports_admin:feedback", STAFF),
    # Surveys (issue 19.2): academy admins design them; the default survey comes from a data migration.
    Row("surveys:index", ADMIN),
    Row("surveys:index_results", ADMIN),
    Row("surveys:add", ADMIN),
    Row("surveys:edit", ADMIN, args=lambda w: (default_survey(),)),
    Row("surveys:delete", ADMIN, args=lambda w: (default_survey(),)),
    Row("surveys:history", ADMIN, args=lambda w: (default_survey(),)),
    Row("surveys:history_results", ADMIN, args=lambda w: (default_survey(),)),
    Row("surveys:usage", ADMIN, args=lambda w: (default_survey(),)),
    Row("reports_admin:participants", STAFF, query={"format": "xlsx"}, label="xlsx"),
    Row("reports_admin:donor_summary", ADMIN),
    Row("reports_admin:participant_list", ADMIN),
    Row("reports_admin:participant_list", ADMIN, query={"format": "xlsx"}, label="xlsx"),
    Row("reports_admin:qualification", ADMIN),  # and municipality officers, for their municipality
    Row("reports_admin:qualification", ADMIN, query={"export": "xlsx"}, label="xlsx"),
    Row("reports_admin:costs", ADMIN),
    Row("reports_admin:costs", ADMIN, query={"export": "xlsx"}, label="xlsx"),
    Row("reports_admin:outcomes", ADMIN, query=lambda w: {"funding_project": w.extra["funding_project"]}),
    Row(
        "reports_admin:outcomes",
        ADMIN,
        query=lambda w: {"funding_project": w.extra["funding_project"], "export": "xlsx"},
        label="xlsx",
    ),
    Row(
        "reports_admin:outcomes",
        ADMIN,
        query=lambda w: {"funding_project": w.extra["funding_project"], "output": "pdf", "lang": "ky"},
        label="pdf",
    ),
    # Knowledge tests (issue 19.1): the trainer's screens for the session's trainers and admins; the test page
    # for the session's confirmed participants only.
    Row("assessment_session", MANAGERS, args=lambda w: (w.live.pk,)),
    Row("assessment_build", MANAGERS, method="post", args=lambda w: (knowledge_test(w, opened=False).session_id, "post")),
    Row("assessment_open", MANAGERS, method="post", args=lambda w: (knowledge_test(w, opened=False).pk,), data={"minutes": "10"}),
    Row("assessment_open", MANAGERS, method="post", args=lambda w: (knowledge_test(w).pk,), data={"minutes": "0"}, label="bad time limit"),
    Row("assessment_close", MANAGERS, method="post", args=lambda w: (knowledge_test(w).pk,)),
    Row("assessment_qr", MANAGERS, args=lambda w: (knowledge_test(w).pk,)),
    Row("assessment_paper", MANAGERS, args=lambda w: (knowledge_test(w).pk,)),
    Row(
        "assessment_paper",
        MANAGERS,
        method="post",
        args=lambda w: (knowledge_test(w).pk,),
        data=lambda w: {"registration": w.reg_live.pk, **knowledge_answers(w)},
    ),
    Row("assessment_take", OWNER, args=lambda w: (knowledge_test(w).pk,)),
    Row("assessment_take", OWNER, method="post", args=lambda w: (knowledge_test(w).pk,), data=knowledge_answers),
    Row(
        "assessment_take",
        "L 400 - - - -",
        method="post",
        args=lambda w: (knowledge_test(w).pk,),
        data={"q999999": "1"},
        label="answer to a question not in the test",
    ),
    # API of knowledge tests: participants their own, the session's trainers and admins the rest.
    Row("api-my-knowledge-tests", SIGNED_IN),
    Row("api-knowledge-test", OWNER_MANAGERS, args=lambda w: (knowledge_test(w).pk,)),
    Row("api-knowledge-test-attempt", OWNER, method="post", format="json", args=lambda w: (knowledge_test(w).pk,), data=knowledge_api_answers),
    Row("api-knowledge-test-attempt", "L 409 - - - -", method="post", format="json", args=knowledge_submitted, data=knowledge_api_answers, label="answered twice"),
    Row("api-knowledge-test-attempt", "L 400 - - - -", method="post", format="json", args=lambda w: (knowledge_test(w).pk,), data={"answers": [{"question": 999999, "choices": [1]}]}, label="a question not in the test"),
    Row("api-knowledge-test-attempt", OWNER, args=knowledge_submitted),
    Row("api-knowledge-test-paper", MANAGERS, method="post", format="json", args=lambda w: (knowledge_test(w).pk,), data=lambda w: {"registration": w.reg_live.pk, **knowledge_api_answers(w)}),
    Row("api-session-knowledge-tests", MANAGERS, args=lambda w: (knowledge_test(w).session_id,)),
    Row("api-session-knowledge-test-open", MANAGERS, method="post", format="json", args=lambda w: (knowledge_test(w, opened=False).session_id, "post"), data={"minutes": 10}),
    Row("api-session-knowledge-test-open", "L - - 400 - 400", method="post", format="json", args=lambda w: (knowledge_test(w, opened=False).session_id, "pre"), data={"minutes": 0}, label="bad time limit"),
    Row("api-session-knowledge-test-close", MANAGERS, method="post", format="json", args=lambda w: (knowledge_test(w).session_id, "pre")),
    Row("api-session-knowledge-test-results", MANAGERS, args=lambda w: (knowledge_submitted(w)[0] and w.live.pk,)),
    # Action plans (issue 19.3): the trainer's screens for the session's trainers and admins; the follow-up page
    # for whoever holds the signed link sent to the responsible person.
    Row("action_plan_session", MANAGERS, args=lambda w: action_plan(w, "session")),
    Row("action_plan_session", MANAGERS, method="post", args=lambda w: action_plan(w, "session"), data=action_plan_form),
    Row("action_plan_session", "L - - 400 - 400", method="post", args=lambda w: action_plan(w, "session"), data=lambda w: action_plan_form(w, due_date="2020-01-01"), label="due before the session"),
    Row("action_plan_item_edit", MANAGERS, args=lambda w: action_plan(w)),
    Row("action_plan_item_edit", MANAGERS, method="post", args=lambda w: action_plan(w), data=action_plan_form),
    Row("action_plan_item_delete", MANAGERS, method="post", args=lambda w: action_plan(w)),
    Row("action_plan_item_report", MANAGERS, method="post", args=lambda w: action_plan(w), data={"status": "done", "round": "6"}),
    Row("action_plan_report_file", OWNER_MANAGERS, args=lambda w: action_plan(w, "report")),
    Row("action_plan_follow_up", EVERYONE, args=lambda w: action_plan(w, "token")),
    Row("action_plan_follow_up", EVERYONE, method="post", args=lambda w: action_plan(w, "token"), data=lambda w: {"item": action_plan(w)[0], "status": "in_progress"}),
    Row("action_plan_follow_up", "400 400 400 400 400 400", method="post", args=lambda w: action_plan(w, "token"), data={"item": "999999", "status": "done"}, label="not their item"),
    Row("action_plan_follow_up", "- - - - - -", args=("not-a-token",), label="bad link"),
    Row("api-session-action-plan", MANAGERS, args=lambda w: action_plan(w, "session")),
    Row("api-session-action-plan", MANAGERS, method="post", format="json", args=lambda w: action_plan(w, "session"), data=action_plan_form),
    Row("api-action-plan-item-report", OWNER_MANAGERS, method="post", format="json", args=lambda w: (*action_plan(w, "session"), action_plan(w)[0]), data={"status": "done", "round": "6"}),
    Row("reports_admin:action_plans", STAFF),
    Row("reports_admin:action_plans", STAFF, query={"export": "xlsx"}, label="xlsx"),
]

AREAS = {
    "public and accounts": (
        "wagtail_serve",
        "course_catalogue",
        "session_",
        "trainer_ical",
        "set_language",
        "account_",
        "password_",
        "api-schema",
        "api-docs",
        "api-redoc",
        "telegram_",
        "sitemap",
        "site_search",
        "robots_txt",
    ),
    "registration and attendance pages": (
        "my_trainings",
        "municipality_",
        "registration_cancel",
        "registration_offer_",
        "trainer_dashboard",
        "attendance_",
    ),
    "knowledge tests": ("assessment_",),
    "action plans": ("action_plan_",),
    "materials": ("short_link", "material_image", "wagtaildocs_serve", "session_materials", "session_handout"),
    "certificate and feedback pages": (
        "certificate_",
        "my_certificate",
        "my_feedback",
        "feedback_form",
        "my_transcript",
        "transcript_verify",
    ),
    "api": ("api-", "region-", "district-", "municipality-", "funding-project-", "course-", "session-"),
    "admin": (
        "registrations_admin:",
        "registration_signin_slips",
        "material_packs",
        "course_materials:",
        "wagtailsnippets_",
        "wagtailsnippetchoosers_",
        "certificates_admin:",
        "certificate_registry:",
        "certificate_batches:",
        "certificate_zips:",
        "external_trainings:",
        "qualification_admin:",
        "reports_admin:",
        "surveys:",
        "contest_",
    ),
}
# fmt: on


def area_of(row):
    for area, prefixes in reversed(list(AREAS.items())):  # the API's "session-" before the pages' "session_"
        if row.route.startswith(prefixes):
            return area
    raise AssertionError(f"{row.id} belongs to no area")


# --- running a row ----------------------------------------------------------------------------------------


@pytest.fixture
def world(course_index, clock):
    from academy.models import District, FundingProject, Municipality, Region
    from tests.factories import FundingProjectFactory

    built = build_world(course_index)
    FundingProjectFactory()
    built.extra.update(
        region=Region.objects.order_by("pk").values_list("pk", flat=True).first(),
        district=District.objects.order_by("pk").values_list("pk", flat=True).first(),
        municipality=Municipality.objects.order_by("pk").values_list("pk", flat=True).first(),
        funding_project=FundingProject.objects.order_by("pk").values_list("pk", flat=True).first(),
    )
    return built


def build_url(row, world):
    url = reverse(row.route, args=_call(row.args, world))
    query = _call(row.query, world)
    return url + ("?" + urlencode(query) if query else "")


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def login_paths():
    return {reverse("account_login"), reverse("wagtailadmin_login")}


def is_login(path):
    return path in login_paths() or path.endswith("/accounts/login/")


def is_locale_404(url, target):
    """LocaleMiddleware answers a 404 on a path without a language prefix with a redirect to /<lang>/<path>."""
    path = urlparse(url).path
    return any(target == f"/{code}{path}" for code in ("ky", "ru", "en"))


def outcome(status, location, role, url):
    if 200 <= status < 300:
        return "+"
    if 300 <= status < 400:
        target = urlparse(location).path
        if is_login(target):
            return "L" if role == "anonymous" else "-"
        if target == reverse("wagtailadmin_home") and url.startswith("/admin/"):
            return "-"  # Wagtail's "Sorry, you do not have permission to access this area."
        return "+"
    if status == 401 or (status == 403 and role == "anonymous" and url.startswith("/api/")):
        return "L"
    if status in (403, 404, 410):
        return "-"
    return str(status)


def matches(expected, got, status):
    if expected.isdigit():
        return int(expected) == status
    return expected == got


@dataclass
class Result:
    url: str
    status: int
    outcome: str
    body: bytes
    location: str = ""

    def __str__(self):
        return f"({self.status}{' -> ' + self.location if self.location else ''}) {self.url}"


def request_as(row, world, role):
    """Make the row's request as `role` in a savepoint rolled back afterwards, so every role meets the same world."""
    from django.core.cache import cache

    cache.clear()  # throttles and cached pages start afresh for every request
    client = APIClient(raise_request_exception=False)  # a 500 is a cell of the matrix, not a crash
    with transaction.atomic():
        if role != "anonymous":
            client.force_login(world.users[role])
        url = build_url(row, world)
        data = _call(row.data, world)
        kwargs = {"format": row.format} if row.format else {}
        if data is not None:
            kwargs["data"] = data
        response = getattr(client, row.method)(url, **kwargs, **row.headers)
        status, location, body = response.status_code, response.get("Location", ""), body_of(response)
        if 300 <= status < 400 and is_locale_404(url, urlparse(location).path):
            followed = client.get(location)  # a 404 in disguise: what is behind the redirect?
            status, location, body = followed.status_code, followed.get("Location", ""), body_of(followed)
        transaction.set_rollback(True)
    return Result(url, status, outcome(status, location, role, url), body, location)


def leaks(row, role, result, world):
    """The participant's data where it must not be (a form echoing what was typed into it aside)."""
    markers = []
    if role in NOSY or result.status >= 400 or row.public_record:
        markers += pii_markers()
    if role in NOSY and not row.public_record:
        markers += private_markers(world)
    sent = repr(_call(row.data, world))
    return [marker for marker in markers if marker.encode() in result.body and marker not in sent]


# Cells where the product is known to be wrong, reported to the lead. A cell listed here that turns right
# fails the test, so the entry goes when the bug is fixed.
KNOWN_BUGS = {
}


@pytest.mark.parametrize("area", list(AREAS))
def test_permission_matrix(area, world):
    rows = [row for row in MATRIX if area_of(row) == area]
    assert rows
    problems = []
    for row in rows:
        for role, expected in row.expected().items():
            result = request_as(row, world, role)
            found = leaks(row, role, result, world)
            right = matches(expected, result.outcome, result.status)
            if (row.id, role) in KNOWN_BUGS:
                if right and not found:
                    problems.append(f"{row.id:<55} {role:<18} is right now: remove it from KNOWN_BUGS")
                continue
            if not right:
                problems.append(f"{row.id:<55} {role:<18} expected {expected:<4} got {result.outcome} {result}")
            if found:
                problems.append(f"{row.id:<55} {role:<18} LEAKS {', '.join(found)} {result}")
    assert not problems, f"{len(problems)} cells of the matrix are wrong:\n" + "\n".join(problems)


def test_known_bugs_name_real_cells():
    cells = {(row.id, role) for row in MATRIX for role in ROLES}
    assert set(KNOWN_BUGS) <= cells


# --- coverage -------------------------------------------------------------------------------------------


def _walk(resolver, prefix="", namespaces=()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            module = getattr(getattr(callback, "view_class", None), "__module__", None) or callback.__module__
            yield ":".join((*namespaces, pattern.name)), prefix + str(pattern.pattern), module


def routes_needing_a_row():
    """Every named route of the project: all outside /admin/ (but Wagtail's own few), and the admin views
    whose code is the project's (reports, registrations, certificates, materials, scheduling)."""
    wanted = {}
    for name, route, module in _walk(get_resolver()):
        if name in NOT_OURS:
            continue
        if route.startswith("admin/") and not module.startswith(PROJECT_MODULES):
            continue
        wanted.setdefault(name, route)
    return wanted


def test_every_route_has_a_matrix_row():
    covered = {row.route for row in MATRIX}
    wanted = routes_needing_a_row()
    missing = sorted(f"{name}  ({route})" for name, route in wanted.items() if name not in covered)
    assert not missing, "Routes without a row in the permission matrix:\n" + "\n".join(missing)
    every_name = {name for name, _route, _module in _walk(get_resolver())}
    unknown = sorted(covered - every_name)
    assert not unknown, f"Rows for routes that do not exist: {unknown}"
    assert len(wanted) > 120


def test_every_api_operation_has_a_matrix_row():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    covered = {(row.route, row.method) for row in MATRIX}
    missing = []
    for path, operations in schema["paths"].items():
        name = resolve(re.sub(r"\{[^}]+\}", "1", path)).view_name
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete") and (name, method) not in covered:
                missing.append(f"{method.upper()} {path} ({name})")
    assert not missing, "API operations without a row in the permission matrix:\n" + "\n".join(sorted(missing))


def test_every_row_has_six_expectations():
    for row in MATRIX:
        row.expected()
        assert all(token in ("+", "-", "L") or token.isdigit() for token in row.expect.split()), row.id


# --- personal data ----------------------------------------------------------------------------------------


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def test_another_participant_never_sees_the_first_ones_registrations_or_certificates(world):
    mine, theirs = APIClient(), APIClient()
    mine.force_login(world.participant)
    theirs.force_login(world.users["other_participant"])
    own_ids = {world.reg_past.pk, world.reg_live.pk, world.reg_pending.pk}

    listed = {row["id"] for row in _json(mine, reverse("api-my-registrations"))["results"]}
    assert own_ids <= listed
    assert not own_ids & {row["id"] for row in _json(theirs, reverse("api-my-registrations"))["results"]}

    certificates = _json(mine, reverse("api-my-certificates"))
    assert world.certificate.number in json.dumps(certificates)
    other = _json(theirs, reverse("api-my-certificates"))
    assert world.certificate.number not in json.dumps(other) and world.certificate.code not in json.dumps(other)

    page = theirs.get(reverse("my_certificates")).content.decode()
    assert world.certificate.number not in page
    page = theirs.get(reverse("my_trainings")).content.decode()
    for registration in (world.reg_live, world.reg_pending):
        assert reverse("registration_cancel", args=[registration.pk]) not in page


def test_the_verification_page_and_json_show_the_record_but_no_contact_details(world):
    client = APIClient()
    page = client.get(reverse("certificate_verify", args=[world.certificate.code]))
    record = client.get(reverse("api-certificate-verify", args=[world.certificate.code]))
    assert page.status_code == record.status_code == 200
    assert world.certificate.number in page.content.decode()
    assert record.json()
    for body in (page.content, record.content):
        assert world.certificate.holder_name.encode() in body
        assert not [marker for marker in pii_markers() if marker.encode() in body]
    text = json.dumps(record.json()).lower()
    assert "email" not in text and "phone" not in text


def test_api_errors_name_no_person(world):
    """Refusals and not-found answers of the API say what went wrong, never whose data it was."""
    client = APIClient()
    client.force_login(world.users["other_participant"])
    refused = [
        client.get(reverse("api-session-roster", args=[world.live.pk])),
        client.get(reverse("api-registration-completion", args=[world.reg_past.pk])),
        client.get(reverse("api-registration-assignment", args=[world.reg_live.pk])),
        client.post(reverse("api-registration-cancel", args=[world.reg_pending.pk]), {}, format="json"),
        client.get(reverse("api-certificate-detail", args=[world.certificate.pk])),
        client.get(reverse("api-assignment-file", args=[world.submission.pk])),
        client.get(reverse("api-registration-feedback", args=[world.reg_past.pk])),
    ]
    for response in refused:
        assert response.status_code in (403, 404), response.request["PATH_INFO"]
        body = response.json()
        assert set(body) == {"detail", "code", "errors"}
        text = response.content.decode()
        assert world.participant.profile.full_name not in text
        assert not [marker for marker in pii_markers() if marker in text]


def test_the_session_form_offers_trainers_not_participants(world):
    """Choosing a block's trainer must not list (and so reveal) the academy's participants."""
    client = APIClient()
    client.force_login(world.trainer)
    for url in (
        reverse("wagtailsnippets_courses_session:add"),
        reverse("wagtailsnippets_courses_session:edit", args=[world.live.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert matrix_world.PARTICIPANT_NAME not in response.content.decode(), url
