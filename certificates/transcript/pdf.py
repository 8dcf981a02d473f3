"""Draw a transcript with reportlab: a pure function, data in, PDF/A-2b bytes out (like pdf.py for certificates).

Nothing here reads the database or settings. A4 portrait, in the transcript's languages (Kyrgyz and
Russian): the academy, the holder, every training with its hours (as many pages as it takes, the table
header repeated), the total, the qualification cycle and the QR code of the public verification page.
"""

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from academy import pdf_metadata
from certificates.pdf import ACCENT, INK, MUTED, Fonts, _qr, wrap
from certificates.transcript.wording import TRANSCRIPT_LABELS, rule_text
from certificates.wording import LABELS

STATUS_COLOURS = {"up_to_date": HexColor("#1b6e2e"), "due_soon": HexColor("#8a5a00"), "overdue": ACCENT}
MARGIN = 42
BOTTOM = 56
QR_SIZE = 78
# Column widths of the table (points), left to right: number, training, provider, dates, hours.
COLUMNS = (24, 236, 118, 92, 41)


@dataclass(frozen=True)
class TranscriptRow:
    titles: tuple  # the title in each of the transcript's languages, in order
    provider: str
    starts_on: date
    ends_on: date
    hours: int
    certificate_number: str = ""
    external: bool = False


@dataclass(frozen=True)
class TranscriptData:
    code: str
    verify_url: str
    languages: tuple
    holder_name: str
    holder_name_latin: str
    issued_on: date
    issuer_names: dict
    rows: tuple
    total_hours: int
    min_hours: int
    cycle_years: int
    cycle_start: date
    hours_in_cycle: int
    due_by: date | None
    status: str
    fonts: Fonts
    licence_number: str = ""


def _date(value):
    return value.strftime("%d.%m.%Y")


def _joined(values):
    unique = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    return " / ".join(unique)


class _Writer:
    """Keeps the current page and the pen's height; starts a new page when a block does not fit."""

    def __init__(self, data, fonts, meta):
        self.data = data
        self.fonts = fonts
        self.width, self.height = A4
        self.buffer = io.BytesIO()
        # initialFontName: an embedded face, so reportlab's page preamble does not reference Helvetica.
        self.c = canvas.Canvas(self.buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=fonts["sans"])
        pdf_metadata.apply(self.c, meta)
        self.page = 1
        self.y = self.height - MARGIN

    def label(self, key):
        return _joined(TRANSCRIPT_LABELS[lang][key] for lang in self.data.languages)

    def text(self, x, y, text, font="sans", size=9, colour=INK):
        self.c.setFont(self.fonts[font], size)
        self.c.setFillColor(colour)
        self.c.drawString(x, y, text)

    def lines(self, text, font, size, width):
        return wrap(text, self.fonts[font], size, width) if text else []

    def footer(self):
        size = 7
        self.c.setFont(self.fonts["sans"], size)
        self.c.setFillColor(MUTED)
        self.c.drawString(MARGIN, BOTTOM - 22, f"{self.label('verify')}: {self.data.verify_url}")
        self.c.drawRightString(self.width - MARGIN, BOTTOM - 22, f"{self.label('page')} {self.page}")

    def new_page(self):
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = self.height - MARGIN

    def ensure(self, height):
        if self.y - height < BOTTOM:
            self.new_page()
            return True
        return False


def _header(w):
    data = w.data
    qr_x = w.width - MARGIN - QR_SIZE
    _qr(w.c, data.verify_url, qr_x, w.y - QR_SIZE, QR_SIZE)
    w.c.setFont(w.fonts["sans"], 6.5)
    w.c.setFillColor(MUTED)
    w.c.drawCentredString(qr_x + QR_SIZE / 2, w.y - QR_SIZE - 9, w.label("verify"))
    text_width = qr_x - MARGIN - 16
    y = w.y
    for name in dict.fromkeys(data.issuer_names.get(lang) for lang in data.languages):
        for piece in w.lines(name, "sans_bold", 9, text_width):
            y -= 12
            w.text(MARGIN, y, piece, "sans_bold", 9, MUTED)
    if data.licence_number:
        y -= 11
        licence = _joined(LABELS[lang]["licence"] for lang in data.languages)
        w.text(MARGIN, y, f"{licence} {data.licence_number}", "sans", 8, MUTED)
    y -= 8
    for lang in data.languages:
        for piece in w.lines(TRANSCRIPT_LABELS[lang]["heading"].upper(), "serif_bold", 15, text_width):
            y -= 19
            w.text(MARGIN, y, piece, "serif_bold", 15, ACCENT)
    y -= 8
    name = data.holder_name + (f" ({data.holder_name_latin})" if data.holder_name_latin else "")
    facts = [(w.label("holder"), name), (w.label("issued"), _date(data.issued_on))]
    for label, value in facts:
        y -= 14
        w.text(MARGIN, y, f"{label}:", "sans", 9, MUTED)
        label_width = w.c.stringWidth(f"{label}: ", w.fonts["sans"], 9)
        for index, piece in enumerate(w.lines(value, "sans_bold", 10, text_width - label_width)):
            if index:
                y -= 13
            w.text(MARGIN + label_width, y, piece, "sans_bold", 10)
    w.y = min(y, w.y - QR_SIZE - 14) - 14


def _table_header(w):
    labels = [w.label(key) for key in ("number", "training", "provider", "dates", "hours")]
    wrapped = [w.lines(label, "sans_bold", 7.5, width - 6) for label, width in zip(labels, COLUMNS, strict=True)]
    height = max(len(lines) for lines in wrapped) * 9.5 + 6
    w.ensure(height + 30)
    w.c.setFillColor(HexColor("#f1ece4"))
    w.c.rect(MARGIN, w.y - height, sum(COLUMNS), height, stroke=0, fill=1)
    x = MARGIN
    for lines, width in zip(wrapped, COLUMNS, strict=True):
        y = w.y - 3
        for piece in lines:
            y -= 9.5
            w.text(x + 3, y + 2, piece, "sans_bold", 7.5)
        x += width
    w.y -= height


def _row_lines(w, index, row):
    data = w.data
    title_lines = []
    for position, title in enumerate(dict.fromkeys(title for title in row.titles if title)):
        font, size, colour = ("sans_bold", 8.5, INK) if position == 0 else ("sans", 8, MUTED)
        title_lines += [(piece, font, size, colour) for piece in w.lines(title, font, size, COLUMNS[1] - 6)]
    note = (
        f"{_joined(TRANSCRIPT_LABELS[lang]['certificate'] for lang in data.languages)} {row.certificate_number}"
        if row.certificate_number
        else (w.label("external") if row.external else "")
    )
    if note:
        title_lines += [(piece, "sans", 7, MUTED) for piece in w.lines(note, "sans", 7, COLUMNS[1] - 6)]
    cells = [
        [(str(index), "sans", 8.5, INK)],
        title_lines,
        [(piece, "sans", 8, INK) for piece in w.lines(row.provider, "sans", 8, COLUMNS[2] - 6)],
        [(_date(row.starts_on), "sans", 8, INK)]
        + ([(f"– {_date(row.ends_on)}", "sans", 8, INK)] if row.ends_on != row.starts_on else []),
        [(str(row.hours), "sans_bold", 8.5, INK)],
    ]
    return cells


def _row(w, index, row):
    cells = _row_lines(w, index, row)
    height = max(len(lines) for lines in cells) * 10.5 + 7
    if w.ensure(height):
        _table_header(w)
    x = MARGIN
    for lines, width in zip(cells, COLUMNS, strict=True):
        y = w.y - 3
        for text, font, size, colour in lines:
            y -= 10.5
            if width == COLUMNS[-1]:
                w.c.setFont(w.fonts[font], size)
                w.c.setFillColor(colour)
                w.c.drawRightString(x + width - 4, y + 2, text)
            else:
                w.text(x + 3, y + 2, text, font, size, colour)
        x += width
    w.y -= height
    w.c.setStrokeColor(HexColor("#d9d4cc"))
    w.c.setLineWidth(0.4)
    w.c.line(MARGIN, w.y, MARGIN + sum(COLUMNS), w.y)


def _summary(w):
    data = w.data
    status_label = _joined(TRANSCRIPT_LABELS[lang][data.status] for lang in data.languages)
    due_by = _date(data.due_by) if data.due_by else _joined(TRANSCRIPT_LABELS[lang]["now"] for lang in data.languages)
    facts = [
        (w.label("total"), str(data.total_hours), INK),
        (w.label("rule"), _joined(rule_text(lang, data.min_hours, data.cycle_years) for lang in data.languages), INK),
        (
            _joined(
                TRANSCRIPT_LABELS[lang]["in_cycle"].format(start=_date(data.cycle_start)) for lang in data.languages
            ),
            str(data.hours_in_cycle),
            INK,
        ),
        (w.label("due_by"), due_by, INK),
        (w.label("status"), status_label, STATUS_COLOURS.get(data.status, INK)),
    ]
    label_width = 250
    value_width = sum(COLUMNS) - label_width
    blocks = []
    for label, value, colour in facts:
        label_lines = w.lines(label, "sans", 8.5, label_width - 8)
        value_lines = w.lines(value, "sans_bold", 9, value_width)
        blocks.append((label_lines, value_lines, colour))
    height = sum(max(len(a), len(b)) * 11.5 + 4 for a, b, _colour in blocks) + 14
    w.ensure(height)
    w.y -= 14
    for label_lines, value_lines, colour in blocks:
        top = w.y
        for offset, piece in enumerate(label_lines):
            w.text(MARGIN, top - 11.5 * (offset + 1) + 2, piece, "sans", 8.5, MUTED)
        for offset, piece in enumerate(value_lines):
            w.text(MARGIN + label_width, top - 11.5 * (offset + 1) + 2, piece, "sans_bold", 9, colour)
        w.y -= max(len(label_lines), len(value_lines)) * 11.5 + 4


def transcript_metadata(data: TranscriptData) -> pdf_metadata.PdfMetadata:
    """Title, author, subject and date of the transcript's PDF, in its first language (the others in XMP)."""
    first = data.languages[0]

    def title(lang):
        return f"{TRANSCRIPT_LABELS[lang]['heading']} — {data.holder_name}"

    return pdf_metadata.PdfMetadata(
        title=title(first),
        titles={lang: title(lang) for lang in data.languages[1:]},
        author=data.issuer_names.get(first) or next((name for name in data.issuer_names.values() if name), ""),
        subject=f"{TRANSCRIPT_LABELS[first]['total']}: {data.total_hours}",
        keywords=data.code,
        created=data.issued_on,
        language=first,
        creator=f"{pdf_metadata.CREATOR}: transcripts",
        document_key=f"transcript:{data.code}",
    )


def render_transcript_pdf(data: TranscriptData) -> bytes:
    """Draw the transcript and return the PDF file as bytes."""
    fonts = data.fonts.registered()
    meta = transcript_metadata(data)
    w = _Writer(data, fonts, meta)
    _header(w)
    _table_header(w)
    if not data.rows:
        w.y -= 16
        w.text(MARGIN + 3, w.y, w.label("none"), "sans", 9, MUTED)
        w.y -= 6
    for index, row in enumerate(data.rows, start=1):
        _row(w, index, row)
    _summary(w)
    w.footer()
    w.c.showPage()
    w.c.save()
    return pdf_metadata.to_pdfa(w.buffer.getvalue(), meta)
