"""Demo attendance and completions for the past demo sessions (idempotent).

For every past session that was not cancelled: confirmed registrations (made here from
context["participants"] when the registration step left none), attendance for each day or
block (mostly present, one late, by roll call, QR and paper), one participant below the
attendance threshold, an accepted joint action plan (a small generated PDF, in private
storage) for the others when the course requires it, then completion and the session's
status. Running it again creates nothing new.
"""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile

from courses.models import (
    AssignmentSubmission,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from courses.services import attendance as attendance_service
from courses.services import completion as completion_service

ORDER = 45
PARTICIPANTS_PER_SESSION = 8
METHODS = (AttendanceMethod.ROLL_CALL, AttendanceMethod.ROLL_CALL, AttendanceMethod.QR, AttendanceMethod.PAPER)


def seed(context):
    now = context["now"]
    sessions = list(
        Session.objects.past(now)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("course")
        .prefetch_related("trainers")
        .order_by("starts_at", "pk")
    )
    # Only the catalogue demo's sessions: later demo modules (reports) bring their own attendance.
    catalogue_sessions = context.get("sessions")
    if isinstance(catalogue_sessions, dict):
        catalogue_sessions = catalogue_sessions.values()
    if catalogue_sessions:
        own = {session.pk for session in catalogue_sessions}
        sessions = [session for session in sessions if session.pk in own]
    if not sessions:
        return "no past sessions"
    participants = list(context.get("participants") or [])
    marks = plans = completed = 0
    for index, session in enumerate(sessions):
        registrations = _registrations(session, participants, index)
        if not registrations:
            continue
        trainer = next(iter(session.trainers.all()), None)
        slots = attendance_service.session_slots(session)
        below = registrations[-1] if len(registrations) > 1 else None
        for position, registration in enumerate(registrations):
            marks += _attendance(session, registration, slots, position, below is registration, trainer)
            if session.course.requires_assignment and registration is not below:
                plans += _accepted_plan(session, registration, trainer)
        finished = min(now, session.ends_at + timedelta(hours=1))
        results = completion_service.evaluate_session(session, now=finished)
        completed += sum(1 for result in results.values() if result.completed)
        if session.status != SessionStatus.COMPLETED:
            Session.objects.filter(pk=session.pk).update(status=SessionStatus.COMPLETED)
    return f"{len(sessions)} past sessions, {marks} new marks, {plans} new action plans, {completed} completed"


def _registrations(session, participants, index):
    registrations = list(session.registrations.confirmed().order_by("pk"))
    if registrations or not participants:
        return registrations
    count = min(PARTICIPANTS_PER_SESSION, session.capacity, len(participants))
    start = (index * 3) % len(participants)
    chosen = [participants[(start + offset) % len(participants)] for offset in range(count)]
    for user in chosen:
        Registration.objects.get_or_create(
            session=session,
            user=user,
            defaults={"status": RegistrationStatus.CONFIRMED, "source": RegistrationSource.ADMIN},
        )
    return list(session.registrations.confirmed().order_by("pk"))


def _attendance(session, registration, slots, position, below_threshold, trainer):
    attended = len(slots)
    if below_threshold:
        # Strictly below the course minimum: e.g. 1 of 2 days for an 80 % rule.
        attended = max(0, (len(slots) * session.course.min_attendance_percent - 1) // 100)
    created = 0
    for number, slot in enumerate(slots):
        status = AttendanceStatus.PRESENT if number < attended else AttendanceStatus.ABSENT
        if status == AttendanceStatus.PRESENT and position % 4 == 1 and number == 0:
            status = AttendanceStatus.LATE
        method = METHODS[(position + number) % len(METHODS)]
        _row, was_created = Attendance.objects.get_or_create(
            registration=registration,
            day=slot.day,
            agenda_item=slot.agenda_item,
            defaults={
                "status": status,
                "method": method,
                "recorded_by": registration.user if method == AttendanceMethod.QR else trainer,
            },
        )
        created += was_created
    return created


def _accepted_plan(session, registration, trainer):
    if registration.submissions.accepted().exists():
        return 0
    pdf = action_plan_pdf(registration.user.display_name, session.display_title)
    submission = AssignmentSubmission(
        registration=registration,
        original_name="БАП.pdf",
        content_type="application/pdf",
        size=len(pdf),
        status=AssignmentSubmission.Status.ACCEPTED,
        reviewed_by=trainer,
        reviewed_at=session.ends_at,
        feedback="Жакшы план: иш-чаралар, мөөнөттөр жана жооптуулар так көрсөтүлгөн.",
    )
    submission.file.save("bap.pdf", ContentFile(pdf), save=False)
    submission.save()
    AssignmentSubmission.objects.filter(pk=submission.pk).update(submitted_at=session.ends_at - timedelta(hours=2))
    return 1


def action_plan_pdf(name, title):
    """A one-page joint action plan (БАП), in Kyrgyz, as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from courses.signin_sheet import FONT, FONT_BOLD, _register_fonts

    _register_fonts()
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle("Биргелешкен аракеттердин планы")
    page.setFont(FONT_BOLD, 14)
    page.drawString(56, 780, "Биргелешкен аракеттердин планы (БАП)")
    page.setFont(FONT, 10)
    page.drawString(56, 760, title[:95])
    page.drawString(56, 744, f"Даярдаган: {name}")
    rows = [
        "1. Суу менен камсыздоо кызматына тарифти коомдук угууда талкуулоо — 1-чейрек.",
        "2. Катуу тиричилик калдыктарын чогултуу графигин жамаат менен макулдашуу — 2-чейрек.",
        "3. Жаштар менен бирге көчөлөрдү көрктөндүрүү долбоорун ишке ашыруу — 3-чейрек.",
        "4. Кызмат көрсөтүүлөрдүн сапатына биргелешкен мониторинг жүргүзүү — 4-чейрек.",
    ]
    for offset, row in enumerate(rows):
        page.drawString(56, 712 - offset * 18, row)
    page.showPage()
    page.save()
    return buffer.getvalue()
