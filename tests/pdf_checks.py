"""Checks of the PDFs the product prints, read back with pikepdf (not with the code that wrote them).

`metadata(content)` gives the info dictionary and the XMP side by side; `font_problems(content)` lists fonts
that are referenced but never used, or used but not embedded; `pdfa_problems(content)` lists what breaks the
PDF/A-2b rules we can check without veraPDF (ISO 19005-2 clause in each message).
"""

import io
import re
from datetime import datetime, timedelta, timezone

import pikepdf

from academy.pdf_metadata import ICC_PROFILE

DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"
MM = "{http://ns.adobe.com/xap/1.0/mm/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'(\d{2})'?|Z)?")


def open_pdf(content):
    return pikepdf.open(io.BytesIO(content))


def pdf_date(text):
    """A PDF date string as an aware datetime."""
    match = _PDF_DATE.fullmatch(str(text))
    assert match, text
    year, month, day, hour, minute, second, sign, off_hours, off_minutes = match.groups()
    offset = timedelta(0)
    if sign:
        offset = timedelta(hours=int(off_hours), minutes=int(off_minutes)) * (1 if sign == "+" else -1)
    return datetime(*map(int, (year, month, day, hour, minute, second)), tzinfo=timezone(offset))


def metadata(content):
    """(info dictionary as {key: str}, XMP as {qualified name: value}, raw XMP bytes)."""
    with open_pdf(content) as pdf:
        info = {str(key)[1:]: str(value) for key, value in pdf.docinfo.items()}
        raw = pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b""
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            values = dict(xmp)
    return info, values, raw


def info_xmp_mismatches(info, xmp):
    """Pairs of the info dictionary and XMP that do not say the same thing (ISO 19005-2, 6.6.2.3.1)."""
    pairs = {
        "Title": f"{DC}title",
        "Author": f"{DC}creator",
        "Subject": f"{DC}description",
        "Keywords": f"{PDF}Keywords",
        "Creator": f"{XMP}CreatorTool",
        "Producer": f"{PDF}Producer",
        "CreationDate": f"{XMP}CreateDate",
        "ModDate": f"{XMP}ModifyDate",
    }
    problems = []
    for key, name in pairs.items():
        if key not in info:
            continue
        value = xmp.get(name)
        if key == "Author":
            value = value[0] if value and len(value) == 1 else value
        if key in ("CreationDate", "ModDate"):
            same = value is not None and pdf_date(info[key]) == datetime.fromisoformat(value)
        else:
            same = info[key] == value
        if not same:
            problems.append(f"info {key}={info[key]!r} but XMP {name}={value!r}")
    return problems


def _font_is_embedded(font):
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _walk(resources, content_owner, referenced, used, codes=None):
    """Collect the fonts a resource dictionary offers, those its content stream selects with Tf, and (into
    `codes`, by font) the character codes its text operators show."""
    fonts = resources.get("/Font", {}) if resources is not None else {}
    for font in fonts.values():
        referenced[font.objgen] = font
    current = None
    for operands, operator in pikepdf.parse_content_stream(content_owner, "Tf Do Tj TJ ' \""):
        operator = str(operator)
        if operator == "Tf" and operands[0] in fonts:
            current = fonts[operands[0]]
            used[current.objgen] = current
        elif operator == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.get("/Subtype") == "/Form":
                _walk(xobject.get("/Resources", resources), xobject, referenced, used, codes)
        elif codes is not None and current is not None:
            strings = operands[0] if operator == "TJ" else operands[-1:]
            shown = codes.setdefault(current.objgen, set())
            for item in strings:
                if isinstance(item, pikepdf.String):
                    shown.update(bytes(item))


def font_problems(content):
    """Fonts referenced but never used, and fonts used but not embedded, over the whole document."""
    referenced, used = {}, {}
    with open_pdf(content) as pdf:
        for page in pdf.pages:
            _walk(page.obj.get("/Resources"), page, referenced, used)
        problems = [f"unused font {referenced[key].get('/BaseFont')}" for key in referenced.keys() - used.keys()]
        problems += [
            f"font not embedded: {font.get('/BaseFont')}" for font in used.values() if not _font_is_embedded(font)
        ]
    return problems


def _truetype_tables(data):
    import struct

    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for index in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sLLL", data[12 + 16 * index : 28 + 16 * index])
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


def truetype_width_problems(font, shown=()):
    """Glyph widths of a simple TrueType font's /Widths that differ from its embedded program (6.2.11.5),
    and codes drawn with the .notdef glyph (6.2.11.8). Also checks the cmap of a symbolic font (6.2.11.6)."""
    import struct

    data = font.FontDescriptor.FontFile2.read_bytes()
    tables = _truetype_tables(data)
    units = struct.unpack(">H", tables["head"][18:20])[0]
    metrics = struct.unpack(">H", tables["hhea"][34:36])[0]
    hmtx = tables["hmtx"]
    advances = [struct.unpack(">H", hmtx[4 * i : 4 * i + 2])[0] for i in range(metrics)]
    cmap = tables["cmap"]
    encodings = struct.unpack(">H", cmap[2:4])[0]
    subtables = [struct.unpack(">HHL", cmap[4 + 8 * i : 12 + 8 * i]) for i in range(encodings)]
    problems = []
    symbolic = int(font.FontDescriptor.Flags) & 4
    if symbolic and "/Encoding" in font:
        problems.append(f"6.2.11.6: symbolic TrueType {font.BaseFont} has an Encoding")
    if symbolic and len(subtables) != 1 and not any(p == 3 and e == 0 for p, e, _o in subtables):
        problems.append(f"6.2.11.6: symbolic TrueType {font.BaseFont} cmap has several encodings and no (3,0)")
    _platform, _encoding, offset = subtables[0]
    table_format = struct.unpack(">H", cmap[offset : offset + 2])[0]
    if table_format == 0:
        glyphs = dict(enumerate(cmap[offset + 6 : offset + 6 + 256]))
    elif table_format == 6:  # what reportlab's subsets carry: a trimmed table
        start, count = struct.unpack(">HH", cmap[offset + 6 : offset + 10])
        ids = struct.unpack(f">{count}H", cmap[offset + 10 : offset + 10 + 2 * count])
        glyphs = {start + index: glyph for index, glyph in enumerate(ids)}
    else:
        return problems + [f"cmap format {table_format} of {font.BaseFont} not read by this check"]
    first = int(font.FirstChar)
    for index, width in enumerate(font.Widths):
        code = first + index
        glyph = glyphs.get(code, 0)
        advance = advances[min(glyph, len(advances) - 1)] * 1000 / units
        if abs(float(width) - advance) > 1:
            problems.append(f"6.2.11.5: {font.BaseFont} code {code} width {width} != {advance:.1f}")
    for code in sorted(shown):
        if glyphs.get(code, 0) == 0:
            problems.append(f"6.2.11.8: {font.BaseFont} shows code {code}, the .notdef glyph")
    return problems


def pdfa_problems(content):
    """What breaks PDF/A-2b among the rules checkable here. An empty list is the goal."""
    problems = []
    lines = content.split(b"\n", 2)
    if not re.fullmatch(rb"%PDF-1\.[0-7]\r?", lines[0]):
        problems.append("6.1.2: header is not %PDF-1.n")
    if len(lines) < 2 or not (lines[1].startswith(b"%") and all(byte > 127 for byte in lines[1][1:5])):
        problems.append("6.1.2: no binary comment after the header")
    if re.search(rb"[^\r\n]endstream", content):
        problems.append("6.1.7.1: endstream not preceded by an end-of-line")
    if re.search(rb"stream(?!\r\n|\n)", content.replace(b"endstream", b"")):
        problems.append("6.1.7.1: stream keyword not followed by an end-of-line")
    if not content.rstrip(b"\r\n").endswith(b"%%EOF"):
        problems.append("6.1.3: data after %%EOF")
    problems += font_problems(content)
    with open_pdf(content) as pdf:
        trailer = pdf.trailer
        if "/Encrypt" in trailer:
            problems.append("6.1.3: encrypted")
        ids = trailer.get("/ID")
        if ids is None or len(ids) != 2:
            problems.append("6.1.3: no file identifier in the trailer")
        root = pdf.Root
        for key in ("/AA", "/Names", "/OCProperties", "/AcroForm"):
            if key in root and (key != "/Names" or "/JavaScript" in root.Names or "/EmbeddedFiles" in root.Names):
                problems.append(f"6.x: catalog has {key}")
        problems += _output_intent_problems(root)
        problems += _metadata_problems(root)
        for page in pdf.pages:
            problems += _page_problems(page)
        referenced, used, codes = {}, {}, {}
        for page in pdf.pages:
            _walk(page.obj.get("/Resources"), page, referenced, used, codes)
        for key, font in used.items():
            if font.get("/Subtype") == "/TrueType" and "/FontFile2" in font.get("/FontDescriptor", {}):
                problems += truetype_width_problems(font, codes.get(key, ()))
    info, xmp, _raw = metadata(content)
    problems += [f"6.6.2.3.1: {problem}" for problem in info_xmp_mismatches(info, xmp)]
    if xmp.get(f"{PDFAID}part") != "2" or xmp.get(f"{PDFAID}conformance") != "B":
        problems.append("6.6.4: XMP does not claim pdfaid part 2 conformance B")
    return problems


def _output_intent_problems(root):
    intents = root.get("/OutputIntents")
    if not intents:
        return ["6.2.3: no OutputIntent"]
    problems = []
    profiles = {intent.DestOutputProfile.objgen for intent in intents if "/DestOutputProfile" in intent}
    if len(profiles) != 1:
        problems.append("6.2.3: output intents do not share one profile")
    for intent in intents:
        if intent.get("/S") != "/GTS_PDFA1":
            continue
        profile = intent.DestOutputProfile
        data = profile.read_bytes()
        if int(profile.get("/N", 0)) != 3 or data[16:20] != b"RGB ":
            problems.append("6.2.3: output profile is not an RGB profile with N 3")
        if data[12:16] not in (b"mntr", b"prtr") or data[8] not in (2, 4):
            problems.append("6.2.3: output profile is not a v2/v4 monitor or printer profile")
    return problems


def _metadata_problems(root):
    metadata_stream = root.get("/Metadata")
    if metadata_stream is None:
        return ["6.6.2.1: no XMP metadata stream"]
    problems = []
    if "/Filter" in metadata_stream:
        problems.append("6.6.2.1: metadata stream is filtered")
    header = metadata_stream.read_bytes().split(b"?>", 1)[0]
    if b"bytes=" in header or b"encoding=" in header:
        problems.append("6.6.2.1: xpacket header has bytes or encoding")
    return problems


def _page_problems(page):
    problems = []
    resources = page.obj.get("/Resources", {})
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Interpolate") is True:
            problems.append("6.2.8: image with Interpolate true")
        for key in ("/Alternates", "/OPI"):
            if key in xobject:
                problems.append(f"6.2.8: image with {key}")
        filters = xobject.get("/Filter")
        names = [
            str(name) for name in (filters if isinstance(filters, pikepdf.Array) else [filters] if filters else [])
        ]
        if "/LZWDecode" in names:
            problems.append("6.1.7.2: LZW filter")
        colour = xobject.get("/ColorSpace")
        if colour is not None and str(colour) == "/DeviceCMYK":
            problems.append("6.2.4.3: DeviceCMYK image with an RGB output intent")
    for state in resources.get("/ExtGState", {}).values():
        if "/TR" in state or "/HTP" in state or ("/TR2" in state and state.TR2 != "/Default"):
            problems.append("6.2.5: transfer function or halftone in a graphics state")
        if "/BM" in state and str(state.BM) not in BLEND_MODES:
            problems.append(f"6.2.10: blend mode {state.BM}")
    for _operands, operator in pikepdf.parse_content_stream(page, "k K"):
        problems.append(f"6.2.4.3: DeviceCMYK colour operator {operator} with an RGB output intent")
        break
    if "/AA" in page.obj:
        problems.append("6.5: page additional actions")
    return problems


BLEND_MODES = {
    "/Normal",
    "/Compatible",
    "/Multiply",
    "/Screen",
    "/Overlay",
    "/Darken",
    "/Lighten",
    "/ColorDodge",
    "/ColorBurn",
    "/HardLight",
    "/SoftLight",
    "/Difference",
    "/Exclusion",
    "/Hue",
    "/Saturation",
    "/Color",
    "/Luminosity",
}


def shipped_profile():
    return ICC_PROFILE.read_bytes()
