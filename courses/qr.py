"""QR codes as SVG (for print) and PNG (for screens). Generic: any app may encode any URL with it.

Medium error correction (15 %) and the standard four-module quiet zone keep printed and photocopied codes
readable. The SVG draws each row's dark runs as one path on a white square, so it prints sharply at any size.
"""

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4


def qr_matrix(data, *, border=QUIET_ZONE):
    """The modules of the code as rows of booleans (True = dark), the quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _dark_runs(matrix):
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                yield start, y, x - start
            else:
                x += 1


def qr_svg(data, *, module_size=4, border=QUIET_ZONE, title=None):
    """An SVG document (str) of the code; `module_size` sets the default pixel size of one module."""
    matrix = qr_matrix(data, border=border)
    size = len(matrix)
    path = "".join(f"M{x},{y}h{length}v1h-{length}z" for x, y, length in _dark_runs(matrix))
    label = ""
    if title:
        from django.utils.html import escape

        label = f"<title>{escape(title)}</title>"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * module_size}" height="{size * module_size}" shape-rendering="crispEdges" role="img">'
        f'{label}<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>'
    )


def qr_png(data, box_size=10, *, border=QUIET_ZONE):
    """PNG bytes of the code, `box_size` pixels per module (black on white, 1-bit)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=max(1, min(int(box_size), 40)), border=border)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image().get_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def draw_qr(canvas, data, x, y, size, *, border=QUIET_ZONE):
    """Draw the code on a reportlab canvas as vector squares: bottom-left corner at (x, y), `size` points wide."""
    matrix = qr_matrix(data, border=border)
    count = len(matrix)
    module = size / count
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for column, row, length in _dark_runs(matrix):
        canvas.rect(x + column * module, y + size - (row + 1) * module, length * module, module, stroke=0, fill=1)
    canvas.restoreState()
