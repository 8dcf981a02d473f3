"""Certificate templates: the default one, validation before issuing, artwork preparation, previews.

Artwork (backgrounds, logos, signatures) is converted once into small local files that reportlab
embeds without re-decoding them for every certificate: JPEG for opaque pictures (embedded as
they are), PNG only where transparency matters. The converted files live in a cache directory,
named by the hash of their content, so any number of processes can share it.
"""

import hashlib
import io
import logging
import os
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.base_url import site_base_url
from academy.errors import DomainError
from certificates.models import CertificateTemplate
from certificates.pdf import CertificateData, Fonts, SignatoryData, render_certificate_pdf
from certificates.wording import LABELS

logger = logging.getLogger(__name__)

FONT_FILES = {
    "sans": "DejaVuSans.ttf",
    "sans_bold": "DejaVuSans-Bold.ttf",
    "serif": "DejaVuSerif.ttf",
    "serif_bold": "DejaVuSerif-Bold.ttf",
}
BACKGROUND_MAX_PIXELS = 2400
SMALL_ARTWORK_MAX_PIXELS = 800

# (kind, storage name) -> local path of the converted artwork; checked for existence before use.
_artwork_paths = {}


def font_dir():
    return Path(getattr(settings, "CERTIFICATES_FONT_DIR", None) or settings.BASE_DIR / "static" / "fonts")


def fonts():
    base = font_dir()
    return Fonts(**{role: str(base / name) for role, name in FONT_FILES.items()})


def artwork_cache_dir():
    configured = getattr(settings, "CERTIFICATES_ARTWORK_CACHE_DIR", None)
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "academy-certificate-artwork"


def default_template():
    """The template marked as default, or the only one there is."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None:
        templates = list(CertificateTemplate.objects.all()[:2])
        template = templates[0] if len(templates) == 1 else None
    if template is None:
        raise DomainError(
            _("There is no default certificate template. Create one, or mark one as the default."),
            field="template",
            code="no_template",
        )
    return template


def _artwork_items(template):
    """(kind, label, file field) of every picture the template uses."""
    items = []
    if template.background_pdf_id:
        items.append(("background_pdf", _("background PDF"), template.background_pdf.file))
    elif template.background_image_id:
        items.append(("background", _("background image"), template.background_image.file))
    if template.logo_id:
        items.append(("small", _("logo"), template.logo.file))
    for signatory in template.signatories.all():
        if signatory.signature_id:
            label = _("signature of %(name)s") % {"name": signatory.name}
            items.append(("small", label, signatory.signature.file))
    return items


def validate_template(template):
    """Raise a DomainError naming the first missing or unreadable file; prepare the artwork otherwise."""
    for path in (Path(p) for p in vars(fonts()).values()):
        if not path.is_file():
            raise DomainError(
                _("The font file %(file)s is missing, so certificates cannot be drawn.") % {"file": path},
                field="template",
                code="missing_file",
            )
    for kind, label, field_file in _artwork_items(template):
        name = field_file.name
        if not name or not field_file.storage.exists(name):
            raise DomainError(
                _("The %(what)s file %(file)s of template “%(template)s” is missing.")
                % {"what": label, "file": name or "—", "template": template.name},
                field="template",
                code="missing_file",
            )
        try:
            _prepared(kind, field_file)
        except DomainError:
            raise
        except Exception as error:  # an upload that is not a picture, or a broken PDF
            raise DomainError(
                _("The %(what)s file %(file)s of template “%(template)s” cannot be read: %(error)s")
                % {"what": label, "file": name, "template": template.name, "error": error},
                field="template",
                code="bad_file",
            )
    if not template.signatories.all():
        logger.info("Certificate template %s has no signatories.", template.pk)
    return template


def _prepared(kind, field_file):
    """The local path of the converted artwork for `field_file`, converting it on first use."""
    key = (kind, field_file.name)
    path = _artwork_paths.get(key)
    if path and os.path.exists(path):
        return path
    with field_file.storage.open(field_file.name, "rb") as handle:
        source = handle.read()
    digest = hashlib.sha256(kind.encode() + b"\0" + source).hexdigest()[:32]
    if kind == "background_pdf":
        content, extension = _rasterize_pdf(source), ".jpg"
    else:
        content, extension = _convert_image(source, BACKGROUND_MAX_PIXELS if kind == "background" else None)
    directory = artwork_cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = str(directory / f"{digest}{extension}")
    if not os.path.exists(path):
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=extension)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    _artwork_paths[key] = path
    return path


def _convert_image(source, max_pixels=None):
    from PIL import Image

    image = Image.open(io.BytesIO(source))
    image.load()
    image.thumbnail((max_pixels or SMALL_ARTWORK_MAX_PIXELS,) * 2)
    out = io.BytesIO()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha and max_pixels is None:
        image.convert("RGBA").save(out, "PNG", optimize=False)
        return out.getvalue(), ".png"
    image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue(), ".jpg"


def _rasterize_pdf(source):
    try:
        import pypdfium2
    except ImportError:
        raise DomainError(
            _("PDF backgrounds need the pypdfium2 package on the server; upload the background as an image instead."),
            field="background_pdf",
            code="bad_file",
        )
    document = pypdfium2.PdfDocument(source)
    try:
        page = document[0]
        width, height = page.get_size()
        image = page.render(scale=BACKGROUND_MAX_PIXELS / max(width, height)).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue()


def artwork_paths(template, *, strict=False):
    """Local files of the template's artwork: {"background", "logo", "signatures": {image id: path}}.

    With strict=False a missing file is left out (an old certificate still downloads); issuing
    validates strictly first.
    """
    result = {"background": None, "logo": None, "signatures": {}}

    def prepare(kind, field_file):
        try:
            return _prepared(kind, field_file)
        except Exception:
            if strict:
                raise
            logger.warning("Certificate artwork %s is missing or unreadable.", field_file.name)
            return None

    if template.background_pdf_id:
        result["background"] = prepare("background_pdf", template.background_pdf.file)
    elif template.background_image_id:
        result["background"] = prepare("background", template.background_image.file)
    if template.logo_id:
        result["logo"] = prepare("small", template.logo.file)
    for signatory in template.signatories.all():
        if signatory.signature_id:
            result["signatures"][signatory.signature_id] = prepare("small", signatory.signature.file)
    return result


def signatory_snapshot(template):
    return [
        {
            "name": signatory.name,
            "name_latin": signatory.name_latin,
            "titles": {code: getattr(signatory, f"title_{code}") for code in ("ky", "ru", "en")},
            "signature_id": signatory.signature_id,
        }
        for signatory in template.signatories.all()
    ]


def page_data(*, template, artwork, snapshot, stamp="", **facts):
    """CertificateData from a template's page setup and artwork plus the certificate's facts."""
    signatures = artwork["signatures"]
    return CertificateData(
        fonts=fonts(),
        page_size=template.page_size,
        orientation=template.orientation,
        background_path=artwork["background"],
        logo_path=artwork["logo"],
        texts=snapshot["texts"],
        trainers=tuple((t["name"], t.get("name_latin", "")) for t in snapshot.get("trainers", [])),
        issuer_names=snapshot.get("issuer_names", {}),
        course_titles=snapshot.get("course_titles", {}),
        signatories=tuple(
            SignatoryData(
                name=s["name"],
                name_latin=s.get("name_latin", ""),
                titles=s.get("titles", {}),
                signature_path=signatures.get(s.get("signature_id")),
            )
            for s in snapshot.get("signatories", [])
        ),
        stamp=stamp,
        **facts,
    )


def sample_pdf(template):
    """A sample certificate drawn with the template (unsaved edits included): for the admin preview."""
    from certificates.services.issuance import issuer_names

    validate_template(template)
    languages = tuple(template.language_list)
    base = site_base_url()
    prefix = getattr(settings, "CERTIFICATES_NUMBER_PREFIX", "CAALG")
    today = timezone.localdate()
    snapshot = {
        "texts": template.texts(),
        "trainers": [{"name": "Нурлан Ниязов", "name_latin": "Nurlan Niyazov"}],
        "issuer_names": issuer_names(),
        "course_titles": {
            "ky": "Муниципалдык кызмат көрсөтүүлөргө жеткиликтүүлүктү жакшыртуу",
            "ru": "Улучшение доступа к муниципальным услугам",
            "en": "Improving access to municipal services",
        },
        "signatories": signatory_snapshot(template),
    }
    data = page_data(
        template=template,
        artwork=artwork_paths(template, strict=True),
        snapshot=snapshot,
        stamp=" / ".join(dict.fromkeys(LABELS[code]["sample"] for code in languages)),
        number=f"{prefix}-{today.year}-000000",
        verify_url=f"{base}/verify/SAMPLE/?lang={languages[0]}",
        languages=languages,
        holder_name="Айгүл Токтосунова",
        holder_name_latin="Aigul Toktosunova",
        hours=16,
        starts_on=date(today.year, today.month, 1),
        ends_on=date(today.year, today.month, 2),
        issued_on=today,
        licence_number=template.licence_number,
    )
    return render_certificate_pdf(data)


def pdf_to_png(pdf_bytes, scale=1.5):
    """The first page as PNG bytes, or None when pypdfium2 is not installed."""
    try:
        import pypdfium2
    except ImportError:
        return None
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def preview_response(template, mode_name):
    """The admin's live preview: a sample PDF, or a PNG of it; a readable message when the template is broken."""
    try:
        pdf = sample_pdf(template)
    except DomainError as error:
        html = render_to_string("certificates/admin/preview_error.html", {"message": error.message})
        return HttpResponse(html)
    if mode_name == "png":
        png = pdf_to_png(pdf)
        if png is not None:
            return HttpResponse(png, content_type="image/png")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-sample.pdf"'
    return response
