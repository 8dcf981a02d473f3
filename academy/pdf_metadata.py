"""Metadata of the PDFs the academy prints, written once and alike to the info dictionary and to XMP.

Every PDF of the product (certificates, transcripts, handouts, sign-in sheets, the donor summary) describes
itself with a `PdfMetadata`: title in the document's language, the academy as author, a subject, the issue or
print date as creation date. `apply(canvas, meta)` writes it into a reportlab canvas (info dictionary, XMP
stream, /Lang); `to_pdfa(pdf_bytes, meta)` turns a finished reportlab PDF into PDF/A-2b (certificates and
transcripts, which HR archives keep for decades) with pikepdf: XMP with pdfaid part 2 conformance B, an sRGB
OutputIntent with the ICC profile shipped in academy/data/icc/, a document ID, and a file rewritten by qpdf
(reportlab writes `~>endstream` with no end-of-line before the keyword, which PDF/A forbids).

Both are pure: the same description and bytes give the same output (no clock, no random ID). The one thing
read from outside is the time zone a bare date is placed in (settings.TIME_ZONE, UTC without Django).
"""

import hashlib
import io
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

import reportlab
from reportlab.pdfbase import pdfdoc

ICC_PROFILE = Path(__file__).resolve().parent / "data" / "icc" / "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
CREATOR = "Academy portal"
# uuid5 namespace of the academy's document IDs: a document key ("certificate:CAALG-2026-000123") always
# gives the same xmpMM:DocumentID and first trailer /ID, whenever and however often it is rendered.
ID_NAMESPACE = uuid.UUID("5b0d6c52-7f5e-4f0c-9d43-0c1f3c1a2e77")


@dataclass(frozen=True)
class PdfMetadata:
    title: str
    author: str
    subject: str = ""
    created: date | datetime | None = None  # the issue or print date; a bare date is midnight local time
    language: str = ""  # BCP 47 of the document's first language: "ky", "ru", "en"
    keywords: str = ""
    creator: str = CREATOR
    titles: dict = field(default_factory=dict)  # the title in the document's other languages, for XMP
    document_key: str = ""  # what the document is ("certificate:<number>"): its permanent ID

    def created_at(self):
        """The creation moment as an aware datetime in the academy's time zone (None when unknown)."""
        value = self.created
        if value is None:
            return None
        zone = _zone()
        if not isinstance(value, datetime):
            return datetime.combine(value, time(0), tzinfo=zone)
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)

    def document_id(self):
        key = self.document_key or f"{self.title}|{self.created}"
        return uuid.uuid5(ID_NAMESPACE, key)


def _zone():
    from django.conf import settings

    name = settings.TIME_ZONE if settings.configured else None
    return _zone_named(name) if name else UTC


@lru_cache(maxsize=4)
def _zone_named(name):
    return ZoneInfo(name)


def pdf_date(moment):
    """`D:20261220000000+06'00'`: the PDF date form of an aware datetime."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


def xmp_date(moment):
    """`2026-12-20T00:00:00+06:00`: the XMP date form of the same moment (PDF/A wants both equal)."""
    return moment.replace(microsecond=0).isoformat()


def producer(pdfa=False):
    name = f"ReportLab {reportlab.Version}"
    if pdfa:
        import pikepdf

        name += f"; pikepdf {pikepdf.__version__} (PDF/A-2b)"
    return name


def info_entries(meta, producer_name):
    """The info dictionary as (key, text) pairs; empty values are left out, so XMP can mirror each one."""
    moment = meta.created_at()
    entries = [
        ("Title", meta.title),
        ("Author", meta.author),
        ("Subject", meta.subject),
        ("Keywords", meta.keywords),
        ("Creator", meta.creator),
        ("Producer", producer_name),
    ]
    if moment is not None:
        entries += [("CreationDate", pdf_date(moment)), ("ModDate", pdf_date(moment))]
    return [(key, value) for key, value in entries if value]


def _lang_alt(tag, default, alternatives, language):
    items = [f'<rdf:li xml:lang="x-default">{escape(default)}</rdf:li>']
    seen = set()
    for code, text in ((language, default), *alternatives.items()):
        if code and text and code not in seen:
            seen.add(code)
            items.append(f"<rdf:li xml:lang={quoteattr(code)}>{escape(text)}</rdf:li>")
    return f"<{tag}><rdf:Alt>{''.join(items)}</rdf:Alt></{tag}>"


def xmp_packet(meta, *, producer_name, instance_id, pdfa=False):
    """The XMP packet (UTF-8 bytes) that says what the info dictionary says, plus IDs and the PDF/A claim."""
    moment = meta.created_at()
    parts = ["<dc:format>application/pdf</dc:format>"]
    if meta.title:
        parts.append(_lang_alt("dc:title", meta.title, meta.titles, meta.language))
    if meta.author:
        parts.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>")
    if meta.subject:
        parts.append(_lang_alt("dc:description", meta.subject, {}, meta.language))
    if meta.language:
        parts.append(f"<dc:language><rdf:Bag><rdf:li>{escape(meta.language)}</rdf:li></rdf:Bag></dc:language>")
    if moment is not None:
        stamp = xmp_date(moment)
        parts += [
            f"<xmp:CreateDate>{stamp}</xmp:CreateDate>",
            f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>",
            f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>",
        ]
    if meta.creator:
        parts.append(f"<xmp:CreatorTool>{escape(meta.creator)}</xmp:CreatorTool>")
    parts.append(f"<pdf:Producer>{escape(producer_name)}</pdf:Producer>")
    if meta.keywords:
        parts.append(f"<pdf:Keywords>{escape(meta.keywords)}</pdf:Keywords>")
    parts += [
        f"<xmpMM:DocumentID>uuid:{meta.document_id()}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>uuid:{instance_id}</xmpMM:InstanceID>",
    ]
    if pdfa:
        parts += ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    body = "\n".join(f"   {part}" for part in parts)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
        f"{body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


class _Info(pdfdoc.PDFInfo):
    """reportlab's info dictionary, written from the metadata (setTitle & co. on the canvas change nothing)."""

    def __init__(self, meta, producer_name):
        super().__init__()
        self.meta = meta
        self.producer_name = producer_name

    def digest(self, md5object):
        for _key, value in info_entries(self.meta, self.producer_name):
            md5object.update(value.encode("utf-8"))

    def format(self, document):
        entries = {key: pdfdoc.PDFString(value) for key, value in info_entries(self.meta, self.producer_name)}
        return pdfdoc.PDFDictionary(entries).format(document)


def apply(canvas, meta):
    """Write `meta` into a reportlab canvas: info dictionary, XMP metadata stream and the document language.

    Call it before drawing. The canvas should be made with `initialFontName` set to an embedded font:
    reportlab otherwise opens every page with `BT /F1 12 Tf ET`, which drags in Helvetica, a font the page
    never uses and the file does not embed.
    """
    document = canvas._doc
    producer_name = producer()
    document.info = _Info(meta, producer_name)
    instance = uuid.uuid5(ID_NAMESPACE, repr(info_entries(meta, producer_name)) + meta.document_key)
    packet = xmp_packet(meta, producer_name=producer_name, instance_id=instance)
    document.Catalog.Metadata = pdfdoc.XMP(creator=lambda _document: packet)
    if meta.language:
        document.Catalog.Lang = pdfdoc.PDFString(meta.language)
    return canvas


def canvas_maker(meta):
    """A `canvasmaker` for platypus' `doc.build(story, canvasmaker=...)` that applies `meta`."""
    from reportlab.pdfgen.canvas import Canvas

    def make(*args, **kwargs):
        return apply(Canvas(*args, **kwargs), meta)

    return make


@lru_cache(maxsize=1)
def _icc_profile():
    """The sRGB profile, Flate-compressed once per process."""
    data = ICC_PROFILE.read_bytes()
    return zlib.compress(data, 9)


def to_pdfa(pdf_bytes, meta):
    """A finished reportlab PDF as PDF/A-2b bytes: XMP with the PDF/A claim, sRGB OutputIntent, IDs.

    What it cannot fix it does not hide: the drawing must already use only embedded fonts, device RGB or
    gray colour and no encryption (reportlab's canvas does so when `apply` was used); the tests check that.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    producer_name = producer(pdfa=True)
    instance = uuid.UUID(bytes=hashlib.md5(pdf_bytes, usedforsecurity=False).digest())
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root
        metadata = pikepdf.Stream(pdf, xmp_packet(meta, producer_name=producer_name, instance_id=instance, pdfa=True))
        metadata.Type = Name.Metadata
        metadata.Subtype = Name.XML
        root.Metadata = pdf.make_indirect(metadata)
        profile = pikepdf.Stream(pdf, b"")
        profile.write(_icc_profile(), filter=Name.FlateDecode, type_check=False)
        profile.N = 3
        intent = Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFA1,
            OutputConditionIdentifier=String(OUTPUT_CONDITION),
            Info=String(OUTPUT_CONDITION),
            RegistryName=String("http://www.color.org"),
            DestOutputProfile=pdf.make_indirect(profile),
        )
        root.OutputIntents = Array([pdf.make_indirect(intent)])
        if meta.language:
            root.Lang = String(meta.language)
        pdf.trailer.Info = pdf.make_indirect(
            Dictionary({f"/{key}": String(value) for key, value in info_entries(meta, producer_name)})
        )
        # The first ID is the document's permanent one, the second the content's (qpdf hashes the file).
        permanent = String(meta.document_id().bytes)
        pdf.trailer.ID = Array([permanent, permanent])
        out = io.BytesIO()
        pdf.save(
            out,
            min_version="1.7",
            fix_metadata_version=False,
            deterministic_id=True,
            # Every stream is compressed already (reportlab's Flate, the profile above): copied as it is.
            # Letting qpdf recompress them took 4 of the 5 ms this step costs, for 1 % smaller files.
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
    return out.getvalue()


def academy_name(language=None):
    """The academy's name in `language` from the site settings, else the first one set, else WAGTAIL_SITE_NAME."""
    from django.conf import settings
    from django.utils import translation

    from cms.models import AcademySettings

    language = (language or translation.get_language() or "ky")[:2]
    academy = AcademySettings.objects.filter(site__is_default_site=True).only("name_ky", "name_ru", "name_en").first()
    if academy:
        for name in (getattr(academy, f"name_{language}", ""), academy.name_ky, academy.name_ru, academy.name_en):
            if name:
                return name
    return settings.WAGTAIL_SITE_NAME
