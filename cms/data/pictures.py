"""Pictures and PDF files drawn for the demo site and the tests: no Django here, only Pillow and reportlab.

Demo practices need photos and journal issues need covers and a PDF, but the seeds are text. These are
drawn, not downloaded: a mountain landscape with a village (grain and all, so that it weighs what a phone
photo weighs), a journal cover with the issue's number, and a short PDF of the issue's contents. The same
key always draws the same picture, so seeding twice changes nothing.
"""

import io
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
PHOTO_SIZE = (2000, 1333)  # what a phone camera's photo is resized to before upload, roughly
COVER_SIZE = (840, 1188)  # A-series proportions
SKIES = [((116, 164, 214), (214, 232, 246)), ((90, 140, 200), (236, 220, 200)), ((150, 180, 210), (240, 240, 235))]
HILLS = [(96, 112, 92), (120, 132, 104), (84, 96, 110), (140, 128, 104)]


def _vertical_gradient(size, top, bottom):
    width, height = size
    strip = Image.new("RGB", (1, height))
    for y in range(height):
        share = y / max(height - 1, 1)
        strip.putpixel((0, y), tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)))
    return strip.resize(size)


def photo_jpeg(key, size=PHOTO_SIZE, quality=85):
    """A photo-like JPEG for `key`: sky, snowy ridges, hills, fields and a few houses, with camera grain."""
    rng = random.Random(key)
    width, height = size
    sky_top, sky_bottom = rng.choice(SKIES)
    image = _vertical_gradient(size, sky_top, sky_bottom)
    draw = ImageDraw.Draw(image)
    for layer in range(3):  # far ridges (snow-capped) to near hills
        base = int(height * (0.38 + 0.12 * layer))
        colour = (225, 230, 236) if layer == 0 else rng.choice(HILLS)
        points, x = [(0, height)], 0
        while x <= width:
            points.append((x, base - rng.randint(0, int(height * (0.22 - 0.06 * layer)))))
            x += rng.randint(width // 14, width // 6)
        points += [(width, base), (width, height)]
        draw.polygon(points, fill=colour)
    ground = int(height * 0.72)
    draw.rectangle((0, ground, width, height), fill=(112 + rng.randint(-10, 10), 138, 78))
    for _field in range(6):
        x0, y0 = rng.randint(0, width), rng.randint(ground, height)
        draw.rectangle((x0, y0, x0 + rng.randint(200, 600), y0 + rng.randint(30, 120)), fill=rng.choice(HILLS))
    for _house in range(rng.randint(4, 9)):
        x0, y0 = rng.randint(0, width - 160), rng.randint(ground - 40, height - 160)
        w, h = rng.randint(90, 180), rng.randint(60, 110)
        draw.rectangle((x0, y0, x0 + w, y0 + h), fill=(236, 228, 210))
        draw.polygon([(x0 - 10, y0), (x0 + w // 2, y0 - h // 2), (x0 + w + 10, y0)], fill=(150, 60, 50))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    # Texture at several scales (grass, stones, leaves) and sensor grain: without them a drawing compresses
    # ten times better than a photo and would flatter every page-weight figure.
    for scale in (48, 12, 3):
        small = (max(width // scale, 1), max(height // scale, 1))
        texture = Image.frombytes("L", small, rng.randbytes(small[0] * small[1])).resize(size, Image.BICUBIC)
        image = ImageChops.soft_light(image, texture.point(lambda v: 96 + v * 64 // 255).convert("RGB"))
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    image = Image.blend(image, grain, 0.05)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def cover_jpeg(number_line, date_line, headline, size=COVER_SIZE):
    """A Municipalitet cover: masthead, number and month, the issue's main theme, a picture band."""
    width, height = size
    image = Image.new("RGB", size, (250, 248, 242))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, int(height * 0.2)), fill=(179, 38, 30))
    draw.text((48, 60), "МУНИЦИПАЛИТЕТ", font=_font(84, bold=True), fill=(255, 255, 255))
    draw.text((48, 175), f"{number_line} · {date_line}", font=_font(34), fill=(255, 255, 255))
    band = Image.open(io.BytesIO(photo_jpeg(headline, size=(width, int(height * 0.45)), quality=80)))
    image.paste(band, (0, int(height * 0.24)))
    y = int(height * 0.73)
    line = ""
    for word in headline.split():
        if draw.textlength(f"{line} {word}", font=_font(40, bold=True)) > width - 96:
            draw.text((48, y), line.strip(), font=_font(40, bold=True), fill=(29, 29, 31))
            y, line = y + 54, ""
        line = f"{line} {word}"
    draw.text((48, y), line.strip(), font=_font(40, bold=True), fill=(29, 29, 31))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def issue_pdf(title, contents):
    """A short PDF of a journal issue: its title, then each article's rubric, title and authors."""
    return document_pdf("«Муниципалитет»", title, contents)


def document_pdf(masthead, title, contents):
    """A short PDF: a masthead and a title, then (small heading, title, note) rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for name, file in (("DejaVuSans", "DejaVuSans.ttf"), ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)  # invariant: the same bytes on every run
    width, height = A4
    pdf.setTitle(title)
    pdf.setFont("DejaVuSans-Bold", 22)
    pdf.drawString(50, height - 80, masthead)
    pdf.setFont("DejaVuSans", 13)
    pdf.drawString(50, height - 110, title)
    y = height - 160
    for rubric, heading, authors in contents:
        if y < 100:
            pdf.showPage()
            y = height - 80
        pdf.setFont("DejaVuSans", 9)
        pdf.drawString(50, y, rubric.upper())
        pdf.setFont("DejaVuSans-Bold", 11)
        y -= 16
        line = ""
        for word in heading.split():
            if pdf.stringWidth(f"{line} {word}", "DejaVuSans-Bold", 11) > width - 100:
                pdf.drawString(50, y, line.strip())
                y, line = y - 15, ""
            line = f"{line} {word}"
        pdf.drawString(50, y, line.strip())
        if authors:
            pdf.setFont("DejaVuSans", 10)
            y -= 15
            pdf.drawString(50, y, authors)
        y -= 28
    pdf.showPage()
    pdf.save()
    return out.getvalue()
