"""The printed materials handout of a session: an A4 PDF with the QR code and title of each material.

`render_handout_pdf(handout) -> bytes` is a pure function: it reads nothing but its argument and the DejaVu
fonts shipped in static/fonts/ (so no system font is assumed), and writes nothing. The same input gives the
same bytes (reportlab's invariant mode). Its metadata (academy.pdf_metadata) names the academy (`author`)
and the print date (`printed_on`, placed in settings.TIME_ZONE) given by the service.

The headings are printed in Kyrgyz and Russian side by side whatever the language of the person printing:
a handout goes to a room of readers of both languages, so those texts are fixed here, not translated.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from academy import pdf_metadata
from courses.qr import draw_qr

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# Fixed bilingual print texts (Kyrgyz, Russian).
HEADING = ("Тренингдин материалдары", "Материалы тренинга")
PACK = ("Бардык материалдар", "Все материалы")
SCAN_HINT = (
    "Материалды алуу үчүн QR-кодду телефондун камерасы менен сканерлеңиз",
    "Чтобы открыть материал, отсканируйте QR-код камерой телефона",
)
RESTRICTED = ("Катышуучулар үчүн (сайтка кириңиз)", "Для участников (войдите на сайт)")
EMPTY = ("Материалдар азырынча жок.", "Материалов пока нет.")
KIND_LABELS = {
    "link": "Шилтеме / Ссылка",
    "image": "Сүрөт / Изображение",
}
LANGUAGE_LABELS = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}


@dataclass(frozen=True)
class HandoutItem:
    title: str
    url: str  # absolute short link, encoded in the QR code
    path: str = ""  # the same link without the host, for the HTML page
    language: str = "ky"
    kind: str = "document"
    extension: str = ""
    restricted: bool = False

    @property
    def label(self):
        kind = self.extension.upper() if self.kind == "document" and self.extension else KIND_LABELS.get(self.kind, "")
        language = LANGUAGE_LABELS.get(self.language, self.language)
        return " · ".join(part for part in (kind, language) if part)


@dataclass(frozen=True)
class Handout:
    titles: list  # course / session titles, Kyrgyz first
    dates: str
    place: str
    pack_url: str
    items: list = field(default_factory=list)
    pack_path: str = ""
    author: str = ""  # the academy's name, for the PDF's metadata
    printed_on: date | None = None  # the PDF's creation date


def _register_fonts(font_dir):
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR not in registered:
        pdfmetrics.registerFont(TTFont(REGULAR, str(Path(font_dir) / "DejaVuSans.ttf")))
    if BOLD not in registered:
        pdfmetrics.registerFont(TTFont(BOLD, str(Path(font_dir) / "DejaVuSans-Bold.ttf")))


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
COLUMNS = 3
CELL_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
QR_SIZE = 38 * mm
PACK_QR_SIZE = 30 * mm
CELL_HEIGHT = QR_SIZE + 84
FOOTER_HEIGHT = 12 * mm


def _lines(text, font, size, width, limit):
    lines = simpleSplit(text or "", font, size, width)
    if len(lines) > limit:
        lines = lines[:limit]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _draw_header(c, handout):
    """Draw the first page's header; return the y coordinate under it."""
    text_width = PAGE_WIDTH - 2 * MARGIN - PACK_QR_SIZE - 8 * mm
    y = PAGE_HEIGHT - MARGIN - 16
    c.setFont(BOLD, 16)
    c.drawString(MARGIN, y, HEADING[0])
    y -= 18
    c.setFont(REGULAR, 13)
    c.setFillColorRGB(0.3, 0.3, 0.32)
    c.drawString(MARGIN, y, HEADING[1])
    c.setFillColorRGB(0, 0, 0)
    y -= 20
    for title in handout.titles:
        for line in _lines(title, BOLD, 11, text_width, 3):
            c.setFont(BOLD, 11)
            c.drawString(MARGIN, y, line)
            y -= 14
        y -= 2
    c.setFont(REGULAR, 10)
    for line in filter(None, [handout.dates, handout.place]):
        for part in _lines(line, REGULAR, 10, text_width, 2):
            c.drawString(MARGIN, y, part)
            y -= 13
    # The pack code, top right: one code that opens the list of all materials.
    qr_x = PAGE_WIDTH - MARGIN - PACK_QR_SIZE
    qr_y = PAGE_HEIGHT - MARGIN - PACK_QR_SIZE
    draw_qr(c, handout.pack_url, qr_x, qr_y, PACK_QR_SIZE)
    c.setFont(BOLD, 8)
    c.drawCentredString(qr_x + PACK_QR_SIZE / 2, qr_y - 10, PACK[0])
    c.setFont(REGULAR, 8)
    c.drawCentredString(qr_x + PACK_QR_SIZE / 2, qr_y - 20, PACK[1])
    bottom = min(y, qr_y - 26) - 8
    c.setStrokeColorRGB(0.7, 0.7, 0.74)
    c.line(MARGIN, bottom, PAGE_WIDTH - MARGIN, bottom)
    return bottom - 10


def _draw_item(c, item, x, top):
    width = CELL_WIDTH - 6 * mm
    qr_x = x + (CELL_WIDTH - QR_SIZE) / 2
    draw_qr(c, item.url, qr_x, top - QR_SIZE, QR_SIZE)
    y = top - QR_SIZE - 11
    c.setFont(BOLD, 9)
    for line in _lines(item.title, BOLD, 9, width, 3):
        c.drawCentredString(x + CELL_WIDTH / 2, y, line)
        y -= 11
    c.setFont(REGULAR, 8)
    c.setFillColorRGB(0.3, 0.3, 0.32)
    c.drawCentredString(x + CELL_WIDTH / 2, y, item.label)
    y -= 10
    if item.restricted:
        for text in RESTRICTED:
            c.drawCentredString(x + CELL_WIDTH / 2, y, text)
            y -= 9
    c.setFont(REGULAR, 7)
    c.drawCentredString(x + CELL_WIDTH / 2, y, item.url.split("://", 1)[-1])
    c.setFillColorRGB(0, 0, 0)


def _draw_footer(c, page, pages):
    c.setFont(REGULAR, 7.5)
    c.setFillColorRGB(0.3, 0.3, 0.32)
    y = MARGIN - 2
    c.drawString(MARGIN, y + 9, SCAN_HINT[0])
    c.drawString(MARGIN, y, SCAN_HINT[1])
    c.drawRightString(PAGE_WIDTH - MARGIN, y, f"{page} / {pages}")
    c.setFillColorRGB(0, 0, 0)


def _pages(items, first_top):
    """Split the items into pages of full rows."""

    def rows_between(top):
        return max(1, int((top - MARGIN - FOOTER_HEIGHT) // CELL_HEIGHT))

    pages = []
    remaining = list(items)
    top = first_top
    while True:
        capacity = rows_between(top) * COLUMNS
        pages.append(remaining[:capacity])
        remaining = remaining[capacity:]
        if not remaining:
            return pages
        top = PAGE_HEIGHT - MARGIN


def handout_metadata(handout):
    """Title (Kyrgyz, as the page), author, subject and print date of the handout's PDF."""
    return pdf_metadata.PdfMetadata(
        title=" / ".join([HEADING[0], *handout.titles[:1]]),
        titles={"ru": " / ".join([HEADING[1], *handout.titles[1:2]])},
        author=handout.author,
        subject=" · ".join(part for part in (handout.dates, handout.place) if part) or " / ".join(HEADING),
        created=handout.printed_on,
        language="ky",
        creator=f"{pdf_metadata.CREATOR}: handouts",
        document_key=f"handout:{handout.pack_url}",
    )


def render_handout_pdf(handout, *, font_dir=FONT_DIR):
    """A4 PDF bytes of the handout: header with the pack code, then a grid of material codes."""
    _register_fonts(font_dir)
    buffer = io.BytesIO()
    # initialFontName: an embedded face, so reportlab's page preamble does not reference Helvetica.
    c = pdf_canvas.Canvas(buffer, pagesize=A4, invariant=1, initialFontName=REGULAR)
    pdf_metadata.apply(c, handout_metadata(handout))

    # Measure the header on a scratch canvas to know where the grid starts on page one.
    first_top = _draw_header(pdf_canvas.Canvas(io.BytesIO(), pagesize=A4), handout)
    pages = _pages(handout.items, first_top)
    for number, page_items in enumerate(pages, start=1):
        top = _draw_header(c, handout) if number == 1 else PAGE_HEIGHT - MARGIN
        if not page_items and number == 1:
            c.setFont(REGULAR, 11)
            c.drawString(MARGIN, top - 14, EMPTY[0])
            c.drawString(MARGIN, top - 30, EMPTY[1])
        for index, item in enumerate(page_items):
            row, column = divmod(index, COLUMNS)
            _draw_item(c, item, MARGIN + column * CELL_WIDTH, top - row * CELL_HEIGHT)
        _draw_footer(c, number, len(pages))
        c.showPage()
    c.save()
    return buffer.getvalue()
