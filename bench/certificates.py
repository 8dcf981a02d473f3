"""Issue 1,000 certificates end to end: `.venv/bin/python -m bench.certificates`.

    python -m bench.certificates                      # PostgreSQL `bench_certificates` if reachable, else SQLite
    python -m bench.certificates --database-url sqlite:////tmp/bench_certificates.sqlite3
    python -m bench.certificates --count 300 --plain 100 --processes 1

A scratch database (never the one you work in): `--database-url`, else `BENCH_CERTIFICATES_DATABASE_URL`,
else `postgres://postgres@127.0.0.1:5432/bench_certificates` when PostgreSQL answers, else a SQLite
file in `.bench/`. It is migrated and given, once, a course, a past two-day session with two
trainers, `--count` participants with completed registrations, and a bilingual (ky+ru) template
with a logo and two signatories, one with a signature image. Settings `academy.settings.bench`
(DEBUG off, e-mails dropped by the dummy backend); Celery runs eagerly in this process, so the
batch task runs here exactly as a worker would run it.

What is timed, in the same run:

- **plain**: the same page drawn with plain reportlab, no Django, no database: the same fonts
  (DejaVu, embedded), texts, names, dates, logo, signature and a QR code of the verification
  URL (drawn as the product draws it: qrcode's module matrix as one vector path; reportlab's own
  QrCodeWidget would take ~100 ms a page and flatter the product). Half of the `--plain` pages
  before the issuance, half after, so a machine that gets busier or quieter shifts both alike.
- **end to end**, per certificate: the admin's bulk issuance for the session (`start_batch`,
  then the Celery task `issue_certificate_batch`: chunks of registrations locked, gapless numbers,
  snapshots, audit events, e-mails queued in the outbox and sent through the dummy backend), then
  every certificate's PDF drawn once from its row, as when each participant downloads it. Both parts are printed separately:
  issuing does not draw PDFs (they are drawn on download), so "issuing alone" is what the admin
  waits for and "issue + PDF" is the whole cost of a certificate.
- with `--processes 2` (the default runs 1 and then 2): the same 1,000 as one batch that the product
  splits into two parts, each run by its own process as a Celery worker runs the part's task
  (`issue_certificate_batch_part`), then that part's PDFs; then the numbers are checked to be
  unique and without gaps.

Each phase is measured in wall time and in CPU time: this process's, plus that of its PostgreSQL
backend (read from /proc when the server runs on this machine). On a machine that others load,
wall time swings with the load average (printed); CPU time hardly does, so the ratios are given
on CPU as well.

Before each run the bench certificates of the previous run are deleted (and the year's counter
set back), so every run issues the same 1,000.
"""

import argparse
import io
import multiprocessing
import os
import socket
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_certificates"
SQLITE_URL = f"sqlite:///{ROOT / '.bench' / 'bench_certificates.sqlite3'}"
EMAIL_DOMAIN = "bench-certificates.example.org"
COURSE_SLUG = "bench-certificates-course"
TEMPLATE_NAME = "Bench certificates (ky+ru)"
BISHKEK = ZoneInfo("Asia/Bishkek")
FIRST_NAMES = ["Айгүл", "Нурлан", "Гүлнара", "Бакыт", "Жылдыз", "Өмүрбек", "Бермет", "Эрлан", "Чолпон", "Таңат"]
SURNAMES = ["Токтосунова", "Маматов", "Ташиева", "Жумабаев", "Осмонова", "Сыдыков", "Абдраимова", "Бекмуратов"]
LATIN = {
    "Айгүл": "Aigul",
    "Нурлан": "Nurlan",
    "Гүлнара": "Gulnara",
    "Бакыт": "Bakyt",
    "Жылдыз": "Jyldyz",
    "Өмүрбек": "Omurbek",
    "Бермет": "Bermet",
    "Эрлан": "Erlan",
    "Чолпон": "Cholpon",
    "Таңат": "Tanat",
    "Мирлан": "Mirlan",
    "Токтосунова": "Toktosunova",
    "Маматов": "Mamatov",
    "Ташиева": "Tashieva",
    "Жумабаев": "Jumabaev",
    "Осмонова": "Osmonova",
    "Сыдыков": "Sydykov",
    "Абдраимова": "Abdraimova",
    "Бекмуратов": "Bekmuratov",
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.certificates", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CERTIFICATES_DATABASE_URL"))
    parser.add_argument("--count", type=int, default=1000, help="Certificates to issue (default 1,000).")
    parser.add_argument("--plain", type=int, default=300, help="Pages drawn with plain reportlab (default 300).")
    parser.add_argument(
        "--processes", default="1,2", help="Comma-separated process counts to run the issuance with (default 1,2)."
    )
    return parser.parse_args(argv)


def _postgres_reachable():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def choose_database(url):
    if url:
        return url
    return POSTGRES_URL if _postgres_reachable() else SQLITE_URL


def ensure_postgres_database(url):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Unexpected database name in {url!r}")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True, connect_timeout=5) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def configure(url):
    """Point Django at the scratch database before it starts; Celery eager, e-mails dropped."""
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    else:
        (ROOT / ".bench").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy.settings.bench"
    # `python -m bench` passes its Redis broker: this bench runs the task in-process instead.
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data ----------------------------------------------------------------------------------------


def _png(size, colour):
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size[0] - 4, size[1] - 4), outline=colour, width=6)
    draw.line((10, size[1] - 20, size[0] - 10, 20), fill=colour, width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def ensure_data(count):
    """The course, session, participants and template; created once, grown when --count grows."""
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.db import transaction
    from wagtail.images.models import Image

    from academy.models import Profile, User
    from academy.roles import ACADEMY_ADMINS, PARTICIPANTS, TRAINERS
    from bench.pages import ensure_course
    from certificates.models import CertificateTemplate, Signatory
    from courses.models import Registration, Session

    with transaction.atomic():
        course = ensure_course(
            COURSE_SLUG,
            "Муниципалдык кызмат көрсөтүүлөргө жеткиликтүүлүктү жана алардын туруктуулугун жогорулатуу",
            hours=16,
        )

        def person(email, name, group):
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=None)
                first, last = name.split()
                Profile.objects.create(
                    user=user, full_name=name, full_name_latin=f"{LATIN[first]} {LATIN[last]}", preferred_language="ky"
                )
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            return user

        admin = person(f"admin@{EMAIL_DOMAIN}", "Бакыт Жумабаев", ACADEMY_ADMINS)
        trainers = [
            person(f"trainer{n}@{EMAIL_DOMAIN}", name, TRAINERS)
            for n, name in enumerate(["Мирлан Маматов", "Гүлнара Ташиева"])
        ]
        session = Session.objects.filter(course=course).first()
        if session is None:
            starts_at = datetime(2026, 3, 10, 9, tzinfo=BISHKEK)
            session = Session.objects.create(
                course=course,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(days=1, hours=9),
                capacity=100_000,
                status="completed",
            )
            session.trainers.set(trainers)
            session.save()
        # Kept between runs: whatever changed them since (a completion re-evaluation, a test on this
        # database), every bench registration is completed again.
        Registration.objects.filter(session=session).exclude(completed_at=session.ends_at).update(
            status="confirmed", completed_at=session.ends_at
        )
        existing = set(Registration.objects.filter(session=session).values_list("user__email", flat=True))
        missing = [n for n in range(count) if f"person{n:05d}@{EMAIL_DOMAIN}" not in existing]
        if missing:
            users = User.objects.bulk_create(
                [User(email=f"person{n:05d}@{EMAIL_DOMAIN}", password="!") for n in missing], batch_size=2000
            )
            users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("email"))
            profiles = []
            for user in users:
                n = int(user.email[6:11])
                first, last = FIRST_NAMES[n % len(FIRST_NAMES)], SURNAMES[(n // len(FIRST_NAMES)) % len(SURNAMES)]
                profiles.append(
                    Profile(
                        user=user,
                        full_name=f"{first} {last}",
                        full_name_latin=f"{LATIN[first]} {LATIN[last]}",
                        preferred_language=("ky", "ru", "en")[n % 3],
                    )
                )
            Profile.objects.bulk_create(profiles, batch_size=2000)
            group = Group.objects.get_or_create(name=PARTICIPANTS)[0]
            User.groups.through.objects.bulk_create(
                [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=2000
            )
            Registration.objects.bulk_create(
                [
                    Registration(session=session, user=user, status="confirmed", completed_at=session.ends_at)
                    for user in users
                ],
                batch_size=2000,
            )
        template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME).first()
        if template is None:
            logo = Image.objects.create(title="bench logo", file=ContentFile(_png((480, 160), "#8e1b16"), "logo.png"))
            signature = Image.objects.create(
                title="bench signature", file=ContentFile(_png((360, 120), "#1d3a8a"), "signature.png")
            )
            template = CertificateTemplate.objects.create(
                name=TEMPLATE_NAME, is_default=True, languages="ky+ru", licence_number="LS-0000-2021", logo=logo
            )
            Signatory.objects.create(
                template=template,
                name="Айгерим Төлөгөнова",
                name_latin="Aigerim Tologonova",
                title_ky="Академиянын директору",
                title_ru="Директор академии",
                signature=signature,
                sort_order=0,
            )
            Signatory.objects.create(
                template=template,
                name="Мирлан Маматов",
                title_ky="Тренер-консультант",
                title_ru="Тренер-консультант",
                sort_order=1,
            )
        # The database is kept between runs, the media folder may not be: draw missing artwork again.
        artwork = [(template.logo, (480, 160), "#8e1b16")]
        artwork += [(s.signature, (360, 120), "#1d3a8a") for s in template.signatories.all() if s.signature_id]
        for image, size, colour in artwork:
            storage = image.file.storage
            if not storage.exists(image.file.name):
                name = storage.save(image.file.name, ContentFile(_png(size, colour)))
                type(image).objects.filter(pk=image.pk).update(file=name)
    return admin, session, template


def reset(session):
    """Remove the previous run's certificates (and their e-mails and batches); set the counters back."""
    from django.db import transaction
    from django.db.models import Max

    from academy.models import OutboxEmail
    from certificates.models import Certificate, CertificateCounter, IssuanceBatch

    with transaction.atomic():
        ids = list(Certificate.objects.filter(session=session).values_list("pk", flat=True))
        OutboxEmail.objects.filter(key__in=[f"certificate-issued:{pk}" for pk in ids]).delete()
        Certificate.objects.filter(pk__in=ids, replaces__isnull=False).delete()
        Certificate.objects.filter(pk__in=ids).delete()
        IssuanceBatch.objects.filter(session=session).delete()
        for counter in CertificateCounter.objects.select_for_update():
            top = Certificate.objects.filter(year=counter.year).aggregate(top=Max("sequence"))["top"] or 0
            CertificateCounter.objects.filter(pk=counter.pk).update(last_number=top)


# --- plain reportlab -----------------------------------------------------------------------------


class PlainPage:
    """The certificate page drawn straight with reportlab: the yardstick for the product's renderer."""

    def __init__(self, template, session_facts, issuer_names, artwork):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from certificates.services.templates import fonts

        paths = fonts()
        self.font = {"sans": "plain-sans", "bold": "plain-sans-bold", "serif_bold": "plain-serif-bold"}
        for name, path in (
            ("plain-sans", paths.sans),
            ("plain-sans-bold", paths.sans_bold),
            ("plain-serif-bold", paths.serif_bold),
        ):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path))
        self.texts = template.texts()
        self.signatories = [
            (s.name, s.title_ky, s.title_ru, artwork["signatures"].get(s.signature_id))
            for s in template.signatories.all()
        ]
        self.logo = artwork["logo"]
        self.licence = template.licence_number
        self.facts = session_facts
        self.issuer = issuer_names

    def render(self, *, name, number, url, issued_on):
        import qrcode
        import qrcode.constants
        from reportlab.lib.colors import HexColor
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.utils import simpleSplit
        from reportlab.pdfgen import canvas

        f, texts, facts = self.font, self.texts, self.facts
        width, height = landscape(A4)
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
        c.setTitle(f"СЕРТИФИКАТ {number}")
        c.setStrokeColor(HexColor("#8e1b16"))
        c.setLineWidth(3)
        c.rect(18, 18, width - 36, height - 36)
        c.setLineWidth(0.8)
        c.rect(26, 26, width - 52, height - 52)
        c.drawImage(self.logo, width / 2 - 80, height - 92, 160, 52, preserveAspectRatio=True, mask="auto")
        y = height - 106
        for lang in ("ky", "ru"):
            c.setFont(f["bold"], 10)
            c.drawCentredString(width / 2, y, self.issuer[lang])
            y -= 12
        c.setFillColor(HexColor("#8e1b16"))
        c.setFont(f["serif_bold"], 34)
        c.drawCentredString(width / 2, y - 36, texts["ky"]["heading"])
        c.setFillColor(HexColor("#1d1d1f"))
        y -= 62
        for lang in ("ky", "ru"):
            c.setFont(f["sans"], 12)
            c.drawCentredString(width / 2, y, texts[lang]["intro"])
            y -= 15
        c.setFont(f["serif_bold"], 26)
        c.drawCentredString(width / 2, y - 24, name)
        y -= 50
        for lang in ("ky", "ru"):
            for line in simpleSplit(texts[lang]["body"], f["sans"], 12, width - 120):
                c.setFont(f["sans"], 12)
                c.drawCentredString(width / 2, y, line)
                y -= 14
            title = facts.course_titles.get(lang) or facts.fallback_title
            for line in simpleSplit(f"«{title}»", f["bold"], 14, width - 120):
                c.setFont(f["bold"], 14)
                c.drawCentredString(width / 2, y, line)
                y -= 17
        c.setFont(f["sans"], 11)
        dates = f"{facts.starts_on:%d.%m.%Y} – {facts.ends_on:%d.%m.%Y}"
        c.drawCentredString(
            width / 2, y - 6, f"Окуу мөөнөтү / Период обучения: {dates} · Академиялык саат / Академических часов: 16"
        )
        c.setFont(f["sans"], 10)
        trainers = ", ".join(t["name"] for t in facts.trainers)
        c.drawCentredString(width / 2, y - 20, f"Тренерлер / Тренеры: {trainers}")
        y = 114
        for label, value in (
            ("Каттоо № / Рег. №", number),
            ("Берилген күнү / Дата выдачи", f"{issued_on:%d.%m.%Y}"),
            ("Лицензия №", self.licence),
        ):
            c.setFont(f["sans"], 8)
            c.drawString(60, y, label)
            c.setFont(f["bold"], 10)
            c.drawString(60, y - 12, value)
            y -= 28
        # The QR code as the product draws it (qrcode's matrix, mask fixed, one vector path): reportlab's own
        # QrCodeWidget takes ~100 ms a page here, which would flatter the product.
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2)
        code.add_data(url)
        code.make(fit=True)
        cell = 82 / (len(code.modules) + 4)
        path = c.beginPath()
        for row_index, row in enumerate(code.modules):
            for col_index, dark in enumerate(row):
                if dark:
                    path.rect(width - 142 + (col_index + 2) * cell, 130 - (row_index + 3) * cell, cell, cell)
        c.setFillColor(HexColor("#000000"))
        c.drawPath(path, stroke=0, fill=1)
        c.setFont(f["sans"], 6.5)
        c.drawRightString(width - 60, 40, url)
        c.drawRightString(width - 60, 134, "Текшерүү / Проверка")
        slot = (width - 120 - 150 - 200) / len(self.signatories)
        for index, (signatory, title_ky, title_ru, signature) in enumerate(self.signatories):
            centre = 210 + slot * (index + 0.5)
            if signature:
                c.drawImage(signature, centre - 60, 75, 120, 34, preserveAspectRatio=True, mask="auto")
            c.line(centre - 70, 74, centre + 70, 74)
            c.setFont(f["bold"], 9)
            c.drawCentredString(centre, 63, signatory)
            c.setFont(f["sans"], 7.5)
            c.drawCentredString(centre, 53, title_ky)
            c.drawCentredString(centre, 44, title_ru)
        c.showPage()
        c.save()
        return buffer.getvalue()


class Meter:
    """Wall time and CPU time: this process, plus its PostgreSQL backend when the server runs on this machine.

    On a machine that other people load, CPU time moves much less than wall time, so the ratios
    are printed for both.
    """

    def __init__(self):
        from django.db import connection

        self.backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            if Path(f"/proc/{pid}/stat").exists():
                self.backend = pid
        self.wall = self.cpu = self.db_cpu = 0.0

    def _db_cpu(self):
        if self.backend is None:
            return 0.0
        fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def __enter__(self):
        self._start = (time.perf_counter(), time.process_time(), self._db_cpu())
        return self

    def __exit__(self, *exc):
        wall, cpu, db_cpu = self._start
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu
        self.db_cpu += self._db_cpu() - db_cpu

    def as_dict(self):
        return {"wall": self.wall, "cpu": self.cpu, "db_cpu": self.db_cpu}


def time_plain(page, rows, issued_on):
    """Draw `rows` plain pages; returns (per-page wall seconds, per-page CPU seconds, bytes)."""
    from certificates.services.numbering import format_number, new_code

    walls, cpus = [], []
    size = 0
    for index, row in enumerate(rows):
        url = f"http://127.0.0.1:8000/verify/{new_code()}/"
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = page.render(name=row, number=format_number(issued_on.year, index + 1), url=url, issued_on=issued_on)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        size += len(pdf)
    return walls, cpus, size


# --- the product ---------------------------------------------------------------------------------


def issue_and_render(admin_id, session_id, template_id, registration_ids=None):
    """Start a batch as the admin does (queued on commit, run by the eager Celery task), then draw every PDF.

    Returns {"issue": meter, "render": meter, "count", "bytes", "summary"}.
    """
    from django.db import transaction

    from academy.models import User
    from certificates.models import CertificateTemplate
    from certificates.services import batches
    from courses.models import Session

    admin = User.objects.get(pk=admin_id)
    session = Session.objects.get(pk=session_id)
    template = CertificateTemplate.objects.get(pk=template_id)
    issue = Meter()
    with issue:
        with transaction.atomic():
            batch = batches.start_batch(
                created_by=admin, session=session, registration_ids=registration_ids, template=template, language="ky"
            )
        batch.refresh_from_db()  # the task ran when the transaction committed (eager Celery)
    return {"issue": issue.as_dict(), **render_all(batch)}


def render_all(batch, registration_ids=None):
    """Draw the PDF of every certificate of the batch (of these registrations), as each holder downloads it."""
    from certificates.models import Certificate
    from certificates.services import batches, rendering

    render = Meter()
    size = count = 0
    with render:
        certificates = Certificate.objects.filter(batch=batch).select_related("template").order_by("pk")
        if registration_ids is not None:
            certificates = certificates.filter(registration_id__in=registration_ids)
        for certificate in certificates.iterator(chunk_size=200):
            size += len(rendering.certificate_pdf(certificate))
            count += 1
    return {"render": render.as_dict(), "count": count, "bytes": size, "summary": batches.batch_summary(batch)}


def issue_part_and_render(batch_id, part):
    """What one Celery worker does with its part of a batch (the task `issue_certificate_batch_part`), then
    the PDFs of that part."""
    from certificates.models import IssuanceBatch
    from certificates.services import batches
    from certificates.tasks import issue_certificate_batch_part

    issue = Meter()
    with issue:
        issue_certificate_batch_part(batch_id, part, "ky")
    batch = IssuanceBatch.objects.get(pk=batch_id)
    return {"issue": issue.as_dict(), **render_all(batch, batches.part_registration_ids(batch, part))}


def _worker(args):
    from django.db import connection

    connection.close()  # never share the parent's connection
    try:
        return issue_part_and_render(*args)
    finally:
        connection.close()


def check_numbers(session):
    from certificates.models import Certificate

    rows = list(Certificate.objects.filter(session=session).values_list("year", "sequence", "number", "code"))
    problems = []
    for year in {row[0] for row in rows}:
        sequences = sorted(row[1] for row in rows if row[0] == year)
        if sequences != list(range(sequences[0], sequences[0] + len(sequences))):
            problems.append(f"gaps in {year}")
    if len({row[2] for row in rows}) != len(rows) or len({row[3] for row in rows}) != len(rows):
        problems.append("duplicate numbers or codes")
    per_registration = Certificate.objects.filter(session=session, status="valid").values("registration").distinct()
    if per_registration.count() != len(rows):
        problems.append("more than one certificate for a registration")
    return problems or ["unique, no gaps, one per registration"]


def run_with(processes, admin, session, template, count):
    from django.conf import settings
    from django.db import connection, transaction

    from certificates.models import IssuanceBatch
    from certificates.services import batches
    from courses.models import Registration

    reset(session)
    ids = list(Registration.objects.filter(session=session).order_by("pk").values_list("pk", flat=True)[:count])
    settings.CERTIFICATES_BATCH_PARTS = processes
    # A small --count still splits (the product keeps batches under 2 × 100 registrations in one part).
    settings.CERTIFICATES_BATCH_MIN_PART = min(settings.CERTIFICATES_BATCH_MIN_PART, max(1, len(ids) // processes))
    started = time.perf_counter()
    if processes == 1:
        results = [issue_and_render(admin.pk, session.pk, template.pk, ids)]
    else:
        # The admin's batch, split by the product into one part per worker process; each process runs its
        # part's task as a Celery worker would, then draws that part's PDFs.
        with transaction.atomic():
            batch = batches.start_batch(
                created_by=admin, session=session, registration_ids=ids, template=template, enqueue=False
            )
        batch, parts = batches.prepare_batch(batch.pk)
        assert len(parts) == processes, parts
        connection.close()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            results = pool.map(_worker, [(batch.pk, part) for part in parts])
    wall = time.perf_counter() - started
    final = batches.batch_summary(IssuanceBatch.objects.get(pk=results[0]["summary"]["id"]))

    def total(phase, key):
        return sum(result[phase][key] for result in results)

    return {
        "processes": processes,
        "wall": wall,
        "issue_wall": max(result["issue"]["wall"] for result in results),
        "issue_cpu": total("issue", "cpu") + total("issue", "db_cpu"),
        "issue_db_cpu": total("issue", "db_cpu"),
        "render_cpu": total("render", "cpu") + total("render", "db_cpu"),
        "render_wall": total("render", "wall"),
        "issued": sum(result["count"] for result in results),
        "skipped": len(final["skipped"]),
        "batch": final,
        "bytes": sum(result["bytes"] for result in results),
        "numbers": check_numbers(session),
    }


def report(plain, runs, plain_bytes, count):
    plain_wall = statistics.mean(plain["wall"]) * 1000
    plain_cpu = statistics.mean(plain["cpu"]) * 1000
    lines = [
        f"plain reportlab, the same page: {plain_wall:.1f} ms wall, {plain_cpu:.1f} ms CPU per page "
        f"({len(plain['wall'])} pages, {plain_bytes // 1024} KB each; wall before {plain['before'] * 1000:.1f} ms, "
        f"after {plain['after'] * 1000:.1f} ms)",
    ]
    for run in runs:
        n = run["issued"] or 1
        issue_cpu, render_cpu = run["issue_cpu"] / n * 1000, run["render_cpu"] / n * 1000
        issue_wall, per_wall = run["issue_wall"] / n * 1000, run["wall"] / n * 1000
        lines += [
            "",
            f"end to end, {run['processes']} process(es): {run['issued']:,} issued, {run['skipped']} skipped; "
            f"numbers: {'; '.join(run['numbers'])}; PDFs {run['bytes'] / n / 1024:.0f} KB each",
            f"  the batch: {run['batch']['status']}, {run['batch']['parts']} part(s), "
            f"{run['batch']['issued']:,} issued, {run['batch']['processed']:,} of {run['batch']['total']:,} processed",
            f"  wall: {run['wall']:.1f} s for {run['issued']:,} issued and drawn ({per_wall:.1f} ms per certificate); "
            f"issuing alone (the batch the admin waits for) {run['issue_wall']:.1f} s ({issue_wall:.1f} ms each)",
            f"  CPU per certificate: issue {issue_cpu:.1f} ms (of which PostgreSQL {run['issue_db_cpu'] / n * 1000:.1f}) "
            f"+ PDF {render_cpu:.1f} ms = {issue_cpu + render_cpu:.1f} ms",
            f"  ratio to plain reportlab, CPU: issue + PDF {(issue_cpu + render_cpu) / plain_cpu:.2f}x, "
            f"PDF alone {render_cpu / plain_cpu:.2f}x, issue alone {issue_cpu / plain_cpu:.2f}x",
        ]
        if run["processes"] == 1:
            lines.append(f"  ratio to plain reportlab, wall: issue + PDF {per_wall / plain_wall:.2f}x")
        else:
            lines.append(f"  throughput: {run['issued'] / run['wall']:.1f} certificates issued and drawn per second")
    lines += [
        "",
        f"targets: issue + PDF within 1.5x of the plain page; {count:,} certificates in under 20 s on 2 cores",
        f"load average after: {os.getloadavg()[0]:.2f}",
    ]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    url = choose_database(args.database_url)
    configure(url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from certificates.services.issuance import issuer_names, session_facts
    from certificates.services.templates import artwork_paths, validate_template

    print(f"Database: {url} ({connection.vendor}); {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    admin, session, template = ensure_data(args.count)
    print(f"Bench data ready in {time.perf_counter() - started:.1f} s: {args.count:,} completed registrations")

    validate_template(template)
    from courses.models import Registration

    names = list(
        Registration.objects.filter(session=session)
        .order_by("pk")
        .values_list("user__profile__full_name", flat=True)[: max(2, args.plain)]
    )
    plain_page = PlainPage(template, session_facts(session), issuer_names(), artwork_paths(template, strict=True))
    today = timezone.localdate()
    plain_page.render(name=names[0], number="WARM-UP", url="http://127.0.0.1:8000/verify/WARMUP/", issued_on=today)
    half = max(1, args.plain // 2)
    before_wall, before_cpu, plain_bytes = time_plain(plain_page, names[:half], today)

    runs = []
    for processes in [int(p) for p in args.processes.split(",") if p.strip()]:
        print(f"Issuing {args.count:,} certificates with {processes} process(es) ...", flush=True)
        runs.append(run_with(processes, admin, session, template, args.count))
    after_wall, after_cpu, _size = time_plain(plain_page, names[half : 2 * half] or names[:half], today)
    plain = {
        "wall": before_wall + after_wall,
        "cpu": before_cpu + after_cpu,
        "before": statistics.mean(before_wall),
        "after": statistics.mean(after_wall),
    }
    print()
    print(report(plain, runs, plain_bytes // half, args.count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
