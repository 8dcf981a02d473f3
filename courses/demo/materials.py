"""Demo training materials in Kyrgyz and Russian, with their short links (idempotent).

For each course of the demo sessions: a course overview in Kyrgyz and in Russian (public PDFs) and, for the
Batken training of seed 001, a public video link. For each published session: the joint action plan (БАП)
template for its confirmed participants and trainer notes for its trainers only. The PDFs are small real
files drawn with reportlab in the embedded DejaVu font, stored as Wagtail documents through the same
service as uploads. Materials are found again by title, so a second run creates nothing.
"""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from academy.data.demo.catalogue import BATKEN_AGENDA, COURSES
from academy.models import User
from academy.roles import ACADEMY_ADMINS
from courses.handout import BOLD, FONT_DIR, REGULAR, _register_fonts
from courses.models import Material, Session, SessionStatus
from courses.services import materials as service
from courses.services import shortlinks

ORDER = 47
VIDEO_URL = "https://www.youtube.com/results?search_query=%D0%96%D3%A8%D0%91+%D0%BC%D1%83%D0%BD%D0%B8%D1%86%D0%B8%D0%BF%D0%B0%D0%BB%D0%B4%D1%8B%D0%BA+%D0%BA%D1%8B%D0%B7%D0%BC%D0%B0%D1%82+%D0%BA%D3%A9%D1%80%D1%81%D3%A9%D1%82%D2%AF%D2%AF%D0%BB%D3%A9%D1%80"


def pdf(title, paragraphs):
    """A small real PDF: a title and paragraphs, wrapped, in DejaVu (Kyrgyz letters ү ө ң included)."""
    _register_fonts(FONT_DIR)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(title)
    width = A4[0] - 40 * mm
    y = A4[1] - 25 * mm
    page.setFont(BOLD, 15)
    for line in simpleSplit(title, BOLD, 15, width):
        page.drawString(20 * mm, y, line)
        y -= 19
    y -= 8
    for paragraph in paragraphs:
        for line in simpleSplit(paragraph, REGULAR, 11, width):
            if y < 25 * mm:
                page.showPage()
                y = A4[1] - 25 * mm
            page.setFont(REGULAR, 11)
            page.drawString(20 * mm, y, line)
            y -= 15
        y -= 8
    page.showPage()
    page.save()
    return buffer.getvalue()


def _sessions(context):
    sessions = context.get("sessions")
    if isinstance(sessions, dict):
        sessions = list(sessions.values())
    if not sessions:
        sessions = list(Session.objects.select_related("course").order_by("starts_at", "pk"))
    return [session for session in sessions if session.status != SessionStatus.DRAFT]


def _row(course):
    for row in COURSES:
        if row["slug"] == course.slug or row["title_ky"] == course.title:
            return row
    return {
        "title_ky": course.title,
        "title_ru": course.title,
        "summary_ky": getattr(course, "summary", ""),
        "summary_ru": getattr(course, "summary", ""),
    }


def _actor(session):
    trainer = session.trainers.order_by("pk").first()
    if trainer is not None:
        return trainer
    return (
        User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.filter(groups__name=ACADEMY_ADMINS).order_by("pk").first()
    )


def _ensure(counts, actor, *, title, filename=None, content=None, **fields):
    owner = {"session": fields["session"]} if fields.get("session") else {"session__isnull": True}
    target = fields.get("session") or fields["course"]
    scope = Material.objects.for_session(target) if fields.get("session") else Material.objects.for_course(target)
    existing = scope.filter(title=title, **owner).first()
    if existing is not None:
        return existing
    if content is not None:
        fields["upload"] = service.Upload(file=io.BytesIO(content), name=filename)
    counts["created"] += 1
    return service.create_material(actor, title=title, **fields)


def _course_materials(course, actor, counts):
    row = _row(course)
    _ensure(
        counts,
        actor,
        course=course,
        title=f"Курстун кыскача баяны: {row['title_ky']}"[:255],
        kind="document",
        language="ky",
        description="Курстун максаттары, мазмуну жана күтүлгөн натыйжалары.",
        filename="kurstun-bayany.pdf",
        content=pdf(row["title_ky"], [row.get("summary_ky", ""), *row.get("outcomes_ky", [])]),
    )
    _ensure(
        counts,
        actor,
        course=course,
        title=f"Краткое описание курса: {row['title_ru']}"[:255],
        kind="document",
        language="ru",
        description="Цели, содержание и ожидаемые результаты курса.",
        filename="opisanie-kursa.pdf",
        content=pdf(row["title_ru"], [row.get("summary_ru", ""), *row.get("outcomes_ru", [])]),
    )
    if row is COURSES[0]:
        _ensure(
            counts,
            actor,
            course=course,
            title="Видео: жергиликтүү кызмат көрсөтүүлөр жашоочулардын турмушунда",
            kind="link",
            language="ky",
            url=VIDEO_URL,
            description="Жергиликтүү кызмат көрсөтүүлөр тууралуу видеолор (тышкы шилтеме).",
            sort_order=5,
        )


def _session_materials(session, actor, counts):
    row = _row(session.course)
    agenda = [f"{block['start']}–{block['end']} {block['title_ky']}" for block in BATKEN_AGENDA] if row is COURSES[
        0
    ] else [item.title for item in session.agenda_items.all()]
    _ensure(
        counts,
        actor,
        session=session,
        title="Биргелешкен аракеттердин планы (БАП): үлгү",
        kind="document",
        language="ky",
        visibility=Material.Visibility.PARTICIPANTS,
        description="Тренингдин жыйынтыктоочу тапшырмасы үчүн толтурулуучу үлгү.",
        filename="bap-ulgu.pdf",
        content=pdf(
            "Биргелешкен аракеттердин планы (БАП)",
            [
                row.get("assignment_ky") or "",
                "1. Көйгөй: ________  2. Аракет: ________  3. Жооптуу: ________  4. Мөөнөт: ________",
                "Муниципалитет: ________   Даярдаган: ________   Күнү: ________",
            ],
        ),
        sort_order=20,
    )
    _ensure(
        counts,
        actor,
        session=session,
        title="Методические заметки для тренера",
        kind="document",
        language="ru",
        visibility=Material.Visibility.TRAINERS,
        description="Тайминг блоков, упражнения и вопросы для обсуждения.",
        filename="zametki-trenera.pdf",
        content=pdf("Методические заметки для тренера", ["Программа:", *agenda[:12]]),
        sort_order=30,
    )


def seed(context):
    counts = {"created": 0}
    sessions = _sessions(context)
    done_courses = set()
    for session in sessions:
        actor = _actor(session)
        if actor is None:
            continue
        if session.course.translation_key not in done_courses:
            done_courses.add(session.course.translation_key)
            _course_materials(session.course, actor, counts)
        _session_materials(session, actor, counts)
        shortlinks.ensure_session_pack_link(session)
    context["materials"] = list(Material.objects.order_by("pk"))
    return f"{counts['created']} materials created, {len(context['materials'])} in all"
