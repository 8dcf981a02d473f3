"""The printable A4 sign-in sheet (the paper fallback of attendance), rendered with reportlab.

`render_signin_sheet(sheet)` is a pure function: it turns a `SigninSheet` (plain strings,
already translated) into PDF bytes. Fonts are the DejaVu TTFs shipped in static/fonts/ and
embedded in the PDF, so Kyrgyz letters (ү, ө, ң) print on any computer.
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from academy import pdf_metadata

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MAX_COLUMNS_PER_TABLE = 8
MARGIN = 12 * mm


@dataclass
class SheetTable:
    heading: str  # e.g. the day, when each day has its own table of blocks
    columns: list  # column headings: days or agenda blocks


@dataclass
class SigninSheet:
    title: str
    lines: list  # session facts: dates, venue, trainers
    tables: list  # SheetTable, each starts on a new page
    participants: list  # (full name, organisation and position)
    labels: dict = field(default_factory=dict)  # number, name, organisation, footer, subject
    author: str = ""  # the academy's name, for the PDF's metadata
    printed_on: date | None = None  # the PDF's creation date
    language: str = ""  # the language the strings above are in


def _register_fonts():
    registered = pdfmetrics.getRegisteredFontNames()
    fonts_dir = Path(settings.BASE_DIR) / "static" / "fonts"
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(fonts_dir / "DejaVuSans.ttf")))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts_dir / "DejaVuSans-Bold.ttf")))


def _chunks(columns):
    if not columns:
        return [[]]
    return [columns[start : start + MAX_COLUMNS_PER_TABLE] for start in range(0, len(columns), MAX_COLUMNS_PER_TABLE)]


def signin_metadata(sheet):
    return pdf_metadata.PdfMetadata(
        title=sheet.title,
        author=sheet.author or sheet.labels.get("author", ""),
        subject=sheet.labels.get("subject", ""),
        created=sheet.printed_on,
        language=sheet.language,
        creator=f"{pdf_metadata.CREATOR}: attendance",
    )


def render_signin_sheet(sheet):
    """PDF bytes of the sign-in sheet: one row per participant, one signature box per day or block."""
    _register_fonts()
    widest = max((len(table.columns) for table in sheet.tables), default=1)
    pagesize = landscape(A4) if widest > 3 else A4
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        initialFontName=FONT,  # an embedded face: no Helvetica in reportlab's page preamble
    )
    title_style = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=4)
    line_style = ParagraphStyle("line", fontName=FONT, fontSize=9, leading=12)
    heading_style = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11)
    small_style = ParagraphStyle("small", fontName=FONT, fontSize=7.5, leading=9)
    head_style = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8, leading=10)

    width = pagesize[0] - 2 * MARGIN
    story = []
    first = True
    for table in sheet.tables:
        for columns in _chunks(table.columns):
            if not first:
                story.append(PageBreak())
            first = False
            story.append(Paragraph(_escape(sheet.title), title_style))
            story.extend(Paragraph(_escape(line), line_style) for line in sheet.lines)
            if table.heading:
                story.append(Paragraph(_escape(table.heading), heading_style))
            story.append(Spacer(1, 3 * mm))
            story.append(_table(sheet, columns, width, cell_style, small_style, head_style))
            if sheet.labels.get("footer"):
                story.append(Spacer(1, 6 * mm))
                story.append(Paragraph(_escape(sheet.labels["footer"]), line_style))
    if not story:
        story.append(Paragraph(_escape(sheet.title), title_style))
    document.build(story, canvasmaker=pdf_metadata.canvas_maker(signin_metadata(sheet)))
    return buffer.getvalue()


def _table(sheet, columns, width, cell_style, small_style, head_style):
    number_width, name_width = 9 * mm, 58 * mm
    organisation_width = 52 * mm if columns else width - number_width - name_width
    left = width - number_width - name_width - organisation_width
    column_width = left / len(columns) if columns else 0
    header = [
        Paragraph(_escape(sheet.labels.get("number", "№")), head_style),
        Paragraph(_escape(sheet.labels.get("name", "")), head_style),
        Paragraph(_escape(sheet.labels.get("organisation", "")), head_style),
    ] + [Paragraph(_escape(column).replace("\n", "<br/>"), head_style) for column in columns]
    rows = [header]
    for number, (name, detail) in enumerate(sheet.participants, start=1):
        rows.append(
            [
                Paragraph(str(number), cell_style),
                Paragraph(_escape(name), cell_style),
                Paragraph(_escape(detail), small_style),
            ]
            + ["" for _column in columns]
        )
    table = Table(
        rows,
        colWidths=[number_width, name_width, organisation_width] + [column_width] * len(columns),
        repeatRows=1,
        rowHeights=[None] + [12 * mm] * len(sheet.participants),
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                # The empty signature boxes are text cells too: without this reportlab selects Helvetica
                # for them, a font the file would reference but not embed.
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _escape(text):
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
