"""Draw a certificate with reportlab: a pure function, data in, PDF/A-2b bytes out.

Nothing here reads the database or Django settings (but TIME_ZONE, the zone of the PDF's date). Fonts and artwork arrive as file paths
(the services layer prepares and caches the artwork), so the same data always gives the
same page. Fonts are TrueType (DejaVu) and embedded as subsets, so Kyrgyz letters ү ө ң
print on any machine. The file is PDF/A-2b (academy.pdf_metadata.to_pdfa): title, author, subject and
issue date in the info dictionary and XMP, an sRGB OutputIntent, no font that is not embedded.
"""

import copy
import hashlib
import io
import os
from dataclasses import dataclass, field
from datetime import date

import qrcode
import qrcode.constants
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, A5, landscape, letter, portrait
from reportlab.lib.utils import _digester, simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from academy import pdf_metadata

from .wording import LABELS

PAGE_SIZES = {"A4": A4, "A5": A5, "letter": letter}
INK = HexColor("#1d1d1f")
MUTED = HexColor("#55555c")
ACCENT = HexColor("#8e1b16")
STAMP = Color(0.75, 0.1, 0.1, alpha=0.22)


@dataclass(frozen=True)
class Fonts:
    """Paths of the four TrueType faces a certificate uses."""

    sans: str
    sans_bold: str
    serif: str
    serif_bold: str

    def registered(self):
        """Register the faces with reportlab once per process; return their names."""
        names = {}
        for role in ("sans", "sans_bold", "serif", "serif_bold"):
            path = getattr(self, role)
            name = f"cert-{role}-{hashlib.sha1(path.encode()).hexdigest()[:10]}"
            if name not in _REGISTERED_FONTS:
                pdfmetrics.registerFont(TTFont(name, path))
                _REGISTERED_FONTS.add(name)
            names[role] = name
        return names


_REGISTERED_FONTS = set()

# Artwork as PDF image objects, built once per process: decoding a PNG, compressing its pixels and
# its alpha mask took about a quarter of each page's time, and every certificate repeats the same
# logo and signatures. Keyed by path, size and modification time, so a changed file is read again.
_IMAGE_OBJECTS = {}
_IMAGE_OBJECTS_MAX = 32


def _image_object(path, mask):
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns, str(mask))
    prepared = _IMAGE_OBJECTS.get(key)
    if prepared is None:
        if len(_IMAGE_OBJECTS) >= _IMAGE_OBJECTS_MAX:
            _IMAGE_OBJECTS.clear()
        prepared = pdfdoc.PDFImageXObject(None, path, mask=mask)
        _IMAGE_OBJECTS[key] = prepared
    return prepared


def _draw_image(c, path, x, y, **options):
    """`c.drawImage(path, ...)`, with the image object taken from the per-process cache.

    The object is registered in this document under the name drawImage itself gives a file
    (a digest of path and mask), exactly as drawImage would register it; drawImage then finds it
    and only places it. The output is byte for byte what drawImage alone writes.
    """
    mask = options.get("mask")
    name = _digester(f"{path}{mask}".encode())
    document = c._doc
    reference_name = document.getXObjectName(name)
    if document.idToObject.get(reference_name) is None:
        prepared = _image_object(path, mask)
        image = copy.copy(prepared)  # per document: registration sets attributes on it
        image.name = name
        c._setXObjects(image)
        document.Reference(image, reference_name)
        document.addForm(name, image)
        smask = getattr(prepared, "_smask", None)
        if smask is not None:
            del image._smask
            mask_name = document.getXObjectName(smask.name)
            if document.idToObject.get(mask_name) is None:
                smask = copy.copy(smask)
                c._setXObjects(smask)
                image.smask = document.Reference(smask, mask_name)
            else:
                image.smask = pdfdoc.PDFObjectReference(mask_name)
    c.drawImage(path, x, y, **options)


@dataclass(frozen=True)
class SignatoryData:
    name: str
    name_latin: str = ""
    titles: dict = field(default_factory=dict)
    signature_path: str | None = None


@dataclass(frozen=True)
class CertificateData:
    number: str
    verify_url: str
    languages: tuple
    holder_name: str
    holder_name_latin: str
    course_titles: dict
    hours: int
    starts_on: date
    ends_on: date
    issued_on: date
    fonts: Fonts
    texts: dict
    trainers: tuple = ()
    issuer_names: dict = field(default_factory=dict)
    licence_number: str = ""
    signatories: tuple = ()
    page_size: str = "A4"
    orientation: str = "landscape"
    background_path: str | None = None
    logo_path: str | None = None
    stamp: str = ""


@dataclass
class _Line:
    text: str
    font: str
    size: float
    color: object = INK
    space_before: float = 0


def _date(value):
    return value.strftime("%d.%m.%Y")


def _joined(values):
    unique = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    return " / ".join(unique)


# The face that draws the holder's name (certificates.services.printability checks names against it).
NAME_FONT_ROLE = "serif_bold"
NAME_SIZE = 26
# A name whose longest word is wider than the page shrinks down to this share of NAME_SIZE, then breaks.
NAME_MIN_SCALE = 0.6


def holder_names(holder_name, holder_name_latin, languages):
    """The spellings of the holder's name a certificate in `languages` prints, each once."""
    names = []
    for language in languages:
        name = holder_name_latin if language == "en" and holder_name_latin else holder_name
        if name and name not in names:
            names.append(name)
    return names


def text_width(text, font, size):
    return pdfmetrics.stringWidth(text, font, size)


def _break_word(word, font, size, width):
    """Pieces of one word, each at most `width` wide (a word with no room to break at)."""
    pieces, current, current_width = [], "", 0.0
    for character in word:
        character_width = text_width(character, font, size)
        if current and current_width + character_width > width:
            pieces.append(current)
            current, current_width = "", 0.0
        current += character
        current_width += character_width
    pieces.append(current)
    return pieces


def wrap(text, font, size, width):
    """`text` in lines at most `width` wide: broken at spaces, and inside a word only when it alone is too wide."""
    lines, current = [], ""
    for word in text.split():
        parts = _break_word(word, font, size, width)
        if len(parts) > 1:
            if current:
                lines.append(current)
            lines.extend(parts[:-1])
            current = parts[-1]
            continue
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def fitting_size(text, font, size, width, minimum):
    """The largest size up to `size` (not below `minimum`) at which the widest word of `text` fits `width`."""
    widest = max((text_width(word, font, 1) for word in text.split()), default=0)
    if widest * size <= width:
        return size
    return max(minimum, width / widest)


def _quoted(title, language):
    return f"“{title}”" if language == "en" else f"«{title}»"


def _content_lines(data, fonts, width, scale):
    """The middle of the page, from the heading to the trainers, wrapped to `width` at `scale`."""
    lines = []
    languages = data.languages

    def add(text, font, size, color=INK, space_before=0.0, shrink_to=1.0):
        size = fitting_size(text, font, size * scale, width, size * scale * shrink_to)
        for index, piece in enumerate(wrap(text, font, size, width)):
            lines.append(_Line(piece, font, size, color, space_before * scale if index == 0 else 0))

    add(_joined(data.texts[lang]["heading"] for lang in languages), fonts["serif_bold"], 34, ACCENT)
    for index, lang in enumerate(languages):
        add(data.texts[lang]["intro"], fonts["sans"], 12, INK if index == 0 else MUTED, 12 if index == 0 else 2)
    names = " / ".join(holder_names(data.holder_name, data.holder_name_latin, languages))
    add(names, fonts[NAME_FONT_ROLE], NAME_SIZE, INK, 10, shrink_to=NAME_MIN_SCALE)
    for index, lang in enumerate(languages):
        color = INK if index == 0 else MUTED
        add(data.texts[lang]["body"], fonts["sans"], 12, color, 12 if index == 0 else 6)
        title = data.course_titles.get(lang) or next(iter(data.course_titles.values()), "")
        add(_quoted(title, lang), fonts["sans_bold"], 14, color, 2)
    dates = f"{_date(data.starts_on)} – {_date(data.ends_on)}"
    details = (
        f"{_joined(LABELS[lang]['dates'] for lang in languages)}: {dates}  ·  "
        f"{_joined(LABELS[lang]['hours'] for lang in languages)}: {data.hours}"
    )
    add(details, fonts["sans"], 11, INK, 12)
    if data.trainers:
        use_latin = languages == ("en",)
        trainer_names = ", ".join((latin if use_latin and latin else name) for name, latin in data.trainers)
        add(f"{_joined(LABELS[lang]['trainers'] for lang in languages)}: {trainer_names}", fonts["sans"], 10, MUTED, 4)
    return lines


def _draw_lines(c, lines, top, centre_x):
    y = top
    for line in lines:
        y -= line.space_before + line.size * 1.18
        c.setFont(line.font, line.size)
        c.setFillColor(line.color)
        c.drawCentredString(centre_x, y + line.size * 0.18, line.text)
    return y


def _height(lines):
    return sum(line.space_before + line.size * 1.18 for line in lines)


def _qr(c, url, x, y, size):
    """Draw a QR code of `url` as one vector path, `size` points wide, lower-left corner at (x, y)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2)
    code.add_data(url)
    code.make(fit=True)
    modules = code.modules
    count = len(modules)
    quiet = 2  # modules of white margin drawn around the code
    cell = size / (count + 2 * quiet)
    c.setFillColor(HexColor("#ffffff"))
    c.rect(x, y, size, size, stroke=0, fill=1)
    path = c.beginPath()
    for row_index, row in enumerate(modules):
        top = y + size - (row_index + quiet + 1) * cell
        start = None
        for col_index in range(count + 1):
            dark = col_index < count and row[col_index]
            if dark and start is None:
                start = col_index
            elif not dark and start is not None:
                path.rect(x + (start + quiet) * cell, top, (col_index - start) * cell, cell)
                start = None
    c.setFillColor(HexColor("#000000"))
    c.drawPath(path, stroke=0, fill=1)


def _frame(c, width, height):
    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(18, 18, width - 36, height - 36, stroke=1, fill=0)
    c.setLineWidth(0.8)
    c.rect(26, 26, width - 52, height - 52, stroke=1, fill=0)


def _signatories(c, data, fonts, left, right, base_y, scale):
    if not data.signatories:
        return
    slot = (right - left) / len(data.signatories)
    for index, signatory in enumerate(data.signatories):
        centre = left + slot * (index + 0.5)
        line_y = base_y + 34 * scale
        if signatory.signature_path:
            _draw_image(
                c,
                signatory.signature_path,
                centre - 60,
                line_y + 1,
                width=120,
                height=34 * scale,
                preserveAspectRatio=True,
                anchor="s",
                mask="auto",
            )
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.5)
        c.line(centre - 70, line_y, centre + 70, line_y)
        use_latin = data.languages == ("en",)
        name = signatory.name_latin if use_latin and signatory.name_latin else signatory.name
        c.setFillColor(INK)
        c.setFont(fonts["sans_bold"], 9 * scale)
        c.drawCentredString(centre, line_y - 11 * scale, name)
        c.setFillColor(MUTED)
        c.setFont(fonts["sans"], 7.5 * scale)
        y = line_y - 21 * scale
        for lang in data.languages:
            title = signatory.titles.get(lang, "")
            for piece in simpleSplit(title, fonts["sans"], 7.5 * scale, slot - 12)[:2]:
                c.drawCentredString(centre, y, piece)
                y -= 9 * scale


def certificate_metadata(data: CertificateData) -> pdf_metadata.PdfMetadata:
    """Title, author, subject and date of the certificate's PDF, in its first language (the others in XMP)."""
    languages = data.languages

    def title(lang):
        name = holder_names(data.holder_name, data.holder_name_latin, (lang,))
        return f"{data.texts[lang]['heading']} {data.number} — {name[0] if name else ''}".strip(" —")

    first = languages[0]
    course = data.course_titles.get(first) or next(iter(data.course_titles.values()), "")
    return pdf_metadata.PdfMetadata(
        title=title(first),
        titles={lang: title(lang) for lang in languages[1:]},
        author=data.issuer_names.get(first) or next((name for name in data.issuer_names.values() if name), ""),
        subject=f"{_quoted(course, first)}, {LABELS[first]['hours'].lower()}: {data.hours}" if course else "",
        keywords=data.number,
        created=data.issued_on,
        language=first,
        creator=f"{pdf_metadata.CREATOR}: certificates",
        document_key=f"certificate:{data.number}",
    )


def render_certificate_pdf(data: CertificateData) -> bytes:
    """Draw one certificate page and return the PDF file as bytes."""
    fonts = data.fonts.registered()
    size = PAGE_SIZES.get(data.page_size, A4)
    width, height = landscape(size) if data.orientation == "landscape" else portrait(size)
    scale = min(width, height) / A4[0]  # A5 pages shrink everything in proportion

    meta = certificate_metadata(data)
    buffer = io.BytesIO()
    # initialFontName: an embedded face, so reportlab's page preamble does not reference Helvetica.
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1, initialFontName=fonts["sans"])
    pdf_metadata.apply(c, meta)

    if data.background_path:
        _draw_image(c, data.background_path, 0, 0, width=width, height=height)
    else:
        _frame(c, width, height)

    margin = 60 * scale
    top = height - 40 * scale
    if data.logo_path:
        logo_height = 52 * scale
        _draw_image(
            c,
            data.logo_path,
            width / 2 - 80 * scale,
            top - logo_height,
            width=160 * scale,
            height=logo_height,
            preserveAspectRatio=True,
            anchor="c",
            mask="auto",
        )
        top -= logo_height + 6 * scale
    issuer_lines = []
    for lang in data.languages:
        name = data.issuer_names.get(lang)
        if name:
            issuer_lines.append(_Line(name, fonts["sans_bold"], 10 * scale, MUTED))
    top = _draw_lines(c, issuer_lines, top, width / 2)

    # The bottom band: number and dates on the left, signatories in the middle, QR on the right.
    qr_size = 82 * scale
    bottom = 40 * scale
    band_top = bottom + qr_size + 22 * scale
    content_width = width - 2 * margin
    available = top - band_top - 10 * scale
    for step in (1.0, 0.92, 0.85, 0.78, 0.7, 0.62, 0.55, 0.48):
        lines = _content_lines(data, fonts, content_width, scale * step)
        if _height(lines) <= available:
            break
    block = _height(lines)
    _draw_lines(c, lines, top - max(0, (available - block) / 2), width / 2)

    # Left: number, issue date, licence.
    c.setFillColor(INK)
    label_size = 8 * scale
    y = bottom + qr_size - 4 * scale
    facts = [
        (_joined(LABELS[lang]["number"] for lang in data.languages), data.number),
        (_joined(LABELS[lang]["issued"] for lang in data.languages), _date(data.issued_on)),
    ]
    if data.licence_number:
        facts.append((_joined(LABELS[lang]["licence"] for lang in data.languages), data.licence_number))
    for label, value in facts:
        c.setFont(fonts["sans"], label_size)
        c.setFillColor(MUTED)
        c.drawString(margin, y, label)
        c.setFont(fonts["sans_bold"], 10 * scale)
        c.setFillColor(INK)
        c.drawString(margin, y - 12 * scale, value)
        y -= 28 * scale

    # Right: the QR code that opens the verification page, with the address under it.
    qr_x = width - margin - qr_size
    _qr(c, data.verify_url, qr_x, bottom + 8 * scale, qr_size)
    c.setFont(fonts["sans"], 6.5 * scale)
    c.setFillColor(MUTED)
    c.drawRightString(width - margin, bottom, data.verify_url)
    url_width = pdfmetrics.stringWidth(data.verify_url, fonts["sans"], 6.5 * scale)
    c.drawRightString(
        width - margin, bottom + qr_size + 12 * scale, _joined(LABELS[lang]["verify"] for lang in data.languages)
    )

    right_block = max(qr_size, url_width)
    _signatories(c, data, fonts, margin + 150 * scale, width - margin - right_block - 16 * scale, bottom, scale)

    if data.stamp:
        c.saveState()
        c.translate(width / 2, height / 2)
        c.rotate(24)
        c.setFillColor(STAMP)
        stamp_size = 54 * scale
        while stamp_size > 14 and pdfmetrics.stringWidth(data.stamp, fonts["serif_bold"], stamp_size) > width * 0.95:
            stamp_size -= 4
        c.setFont(fonts["serif_bold"], stamp_size)
        c.drawCentredString(0, -stamp_size / 3, data.stamp)
        c.restoreState()

    c.showPage()
    c.save()
    return pdf_metadata.to_pdfa(buffer.getvalue(), meta)
