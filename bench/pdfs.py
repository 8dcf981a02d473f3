"""Milliseconds per PDF: a certificate (logo and signature with transparency) and a 25-row, two-page transcript.

    .venv/bin/python -m bench.pdfs [--runs 60]

Draws each in-process, no database: the pure render functions (certificates/pdf.py,
certificates/transcript/pdf.py), PDF/A-2b post-processing included. Prints wall time (median, best)
and CPU time per PDF; on a shared machine the CPU time is the figure to compare. `ACADEMY_REPO=<tree>`
runs it against another checkout (e.g. a `git archive` of an older commit) for a before/after.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def _setup():
    sys.path.insert(0, os.environ.get("ACADEMY_REPO", str(Path(__file__).resolve().parent.parent)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.test")
    import django

    django.setup()


def _inputs(folder):
    from PIL import Image

    from certificates.pdf import CertificateData, SignatoryData
    from certificates.services import templates
    from certificates.transcript.pdf import TranscriptData, TranscriptRow
    from certificates.wording import DEFAULT_TEXTS

    logo, signature = Path(folder) / "logo.png", Path(folder) / "signature.png"
    Image.new("RGBA", (300, 120), (20, 40, 160, 200)).save(logo)
    Image.new("RGBA", (200, 60), (0, 0, 0, 128)).save(signature)
    certificate = CertificateData(
        number="CAALG-2026-000123",
        verify_url="http://testserver/verify/ABCDEFGHIJKLMNOPQRST/",
        languages=("ky", "ru"),
        holder_name="Айгүл Өмүрбекова",
        holder_name_latin="Aigul Omurbekova",
        course_titles={"ky": "Жергиликтүү башкаруунун маңызы", "ru": "Муниципальные услуги"},
        hours=18,
        starts_on=date(2026, 12, 15),
        ends_on=date(2026, 12, 16),
        issued_on=date(2026, 12, 20),
        fonts=templates.fonts(),
        texts=DEFAULT_TEXTS,
        trainers=(("Нурлан Ниязов", "Nurlan Niyazov"),),
        issuer_names={"ky": "Академия", "ru": "Академия"},
        licence_number="LIC-1",
        signatories=(SignatoryData("Асел Асанова", "Asel Asanova", {"ky": "Директор"}, str(signature)),),
        logo_path=str(logo),
    )
    rows = tuple(
        TranscriptRow(
            titles=(f"Жергиликтүү бюджет {index}", f"Местный бюджет {index}"),
            provider="Академия",
            starts_on=date(2026, 3, 1 + index),
            ends_on=date(2026, 3, 2 + index),
            hours=8,
            certificate_number=f"CAALG-2026-{index:06d}",
        )
        for index in range(25)
    )
    transcript = TranscriptData(
        code="T7QK2MZX4P",
        verify_url="http://testserver/transcript/T7QK2MZX4P/",
        languages=("ky", "ru"),
        holder_name="Айгүл Өмүрбекова",
        holder_name_latin="Aigul Omurbekova",
        issued_on=date(2026, 12, 20),
        issuer_names={"ky": "Академия", "ru": "Академия"},
        rows=rows,
        total_hours=200,
        min_hours=72,
        cycle_years=3,
        cycle_start=date(2024, 1, 1),
        hours_in_cycle=120,
        due_by=date(2027, 1, 1),
        status="up_to_date",
        fonts=templates.fonts(),
    )
    return certificate, transcript


def _measure(render, data, runs):
    render(data)  # fonts registered, artwork cached, as in a long-running worker
    walls = []
    cpu = time.process_time()
    for _ in range(runs):
        start = time.perf_counter()
        content = render(data)
        walls.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu) / runs * 1000
    return statistics.median(walls), min(walls), cpu, len(content)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args(argv)
    _setup()
    from certificates.pdf import render_certificate_pdf
    from certificates.transcript.pdf import render_transcript_pdf

    with tempfile.TemporaryDirectory() as folder:
        certificate, transcript = _inputs(folder)
        for name, render, data in (
            ("certificate", render_certificate_pdf, certificate),
            ("transcript", render_transcript_pdf, transcript),
        ):
            median, best, cpu, size = _measure(render, data, args.runs)
            print(
                f"{name}: CPU {cpu:.1f} ms/PDF, wall median {median:.1f} ms, best {best:.1f} ms, {size / 1024:.0f} KB"
            )


if __name__ == "__main__":
    main()
