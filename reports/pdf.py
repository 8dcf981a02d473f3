"""The donor summary as a one-page A4 PDF (reportlab, with the DejaVu fonts shipped in static/fonts/)."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from academy import pdf_metadata
from academy.formats import format_date

from .services.structures import DECIMAL, PERCENT

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
REGULAR, BOLD = "ReportsDejaVuSans", "ReportsDejaVuSans-Bold"
RED = colors.HexColor("#b3261e")


def _register_fonts():
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR not in registered:
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    if BOLD not in registered:
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def format_value(value, kind):
    if value is None:
        return "—"
    if kind == PERCENT:
        return f"{value:.1f} %"
    if kind == DECIMAL:
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return str(value)


def donor_summary_pdf(report, period_line, academy_name=""):
    """Bytes of a PDF with the report's headline figures and its people-per-oblast table."""
    _register_fonts()
    generated_at = timezone.now()
    styles = {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, textColor=RED, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12),
        "small": ParagraphStyle(
            "small", fontName=REGULAR, fontSize=8, leading=10, textColor=colors.HexColor("#4a4a4f")
        ),
        "heading": ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4),
    }
    story = []
    if academy_name:
        story.append(Paragraph(escape(academy_name), styles["small"]))
    story.append(Paragraph(escape(_("Donor summary")) + ": " + escape(str(report.title)), styles["title"]))
    story.append(Paragraph(escape(period_line), styles["body"]))
    story.append(Spacer(1, 4 * mm))

    figure_rows = [
        [
            Paragraph(escape(str(figure.label)), styles["body"]),
            Paragraph(f"<b>{escape(format_value(figure.value, figure.kind))}</b>", styles["body"]),
            Paragraph(escape(str(figure.note or "")), styles["small"]),
        ]
        for figure in report.figures
    ]
    figures_table = Table(figure_rows, colWidths=[70 * mm, 35 * mm, 70 * mm])
    figures_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d6d6db")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(figures_table)

    for table in report.tables:
        story.append(Paragraph(escape(str(table.title)), styles["heading"]))
        rows = [[Paragraph(f"<b>{escape(str(column.label))}</b>", styles["body"]) for column in table.columns]]
        for row in table.rows:
            rows.append(
                [
                    Paragraph(escape(format_value(row.get(column.key), column.kind)), styles["body"])
                    for column in table.columns
                ]
            )
        widths = [75 * mm] + [100 * mm / max(1, len(table.columns) - 1)] * (len(table.columns) - 1)
        data_table = Table(rows, colWidths=widths, repeatRows=1)
        data_table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else reportlab selects Helvetica (not embedded)
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, RED),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d6d6db")),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        story.append(data_table)

    story.append(Spacer(1, 4 * mm))
    for note in report.notes:
        story.append(Paragraph(escape(str(note)), styles["small"]))
    story.append(
        Paragraph(
            escape(_("Generated on %(date)s.") % {"date": format_date(generated_at, "datetime")}),
            styles["small"],
        )
    )
    return build_a4(story, f"{_('Donor summary')}: {report.title}", academy_name, period_line, generated_at)


def build_a4(story, title, author, subject, created):
    """Bytes of an A4 report PDF of `story` (the academy's margins, an embedded font from the first byte) with
    the PDF metadata of academy.pdf_metadata in the current language."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=17 * mm,
        rightMargin=17 * mm,
        topMargin=14 * mm,
        bottomMargin=12 * mm,
        initialFontName=REGULAR,  # an embedded face: no Helvetica in reportlab's page preamble
    )
    meta = pdf_metadata.PdfMetadata(
        title=title,
        author=author,
        subject=subject,
        created=created,
        language=get_language() or "",
        creator=f"{pdf_metadata.CREATOR}: reports",
    )
    document.build(story, canvasmaker=pdf_metadata.canvas_maker(meta))
    return buffer.getvalue()
