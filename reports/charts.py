"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable on any phone and in print.

* `bar_chart` draws horizontal bars (long Kyrgyz labels fit, many rows scroll naturally).
* `oblast_map` shades the oblast shapes shipped in ``static/reports/kyrgyzstan-oblasts.svg``
  (simplified hand-made outlines; ids are Region codes) by a value per region.

Every label is escaped; the result is marked safe only after escaping.
"""

import functools
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .services.structures import Chart

SVG_NS = "{http://www.w3.org/2000/svg}"
MAP_FILE = Path(settings.BASE_DIR) / "static" / "reports" / "kyrgyzstan-oblasts.svg"
BAR_COLOUR = "#b3261e"
LIGHT = (0xF6, 0xE7, 0xE6)
DARK = (0xB3, 0x26, 0x1E)
WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 60
ROW = 26
MAX_LABEL = 34
#: Bar charts show the largest rows; the table beside them has every row.
MAX_BARS = 25


def _number(value):
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".rstrip("0").rstrip(".") if abs(value) >= 10 else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}".replace(",", "\u202f")


def _short(label):
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(chart):
    """Horizontal bar chart of `chart.items` ([(label, value)]) as an SVG string."""
    items = [(str(label), float(value or 0)) for label, value in chart.items][:MAX_BARS]
    title = escape(chart.title)
    if not items:
        return ""
    top = chart.max_value or max(value for _label, value in items) or 1
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * len(items) + 8
    parts = [
        f'<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{title}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{title}</title>",
    ]
    for index, (label, value) in enumerate(items):
        y = 4 + index * ROW
        width = max(0.0, min(1.0, value / top)) * bar_area
        parts.append(
            f"<g><title>{escape(label)}: {escape(_number(value))}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1d1d1f">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" fill="{BAR_COLOUR}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 17}" font-size="13" fill="#1d1d1f">'
            f"{escape(_number(value))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


@functools.lru_cache(maxsize=1)
def map_shapes():
    """(viewBox, [shape]) from the shipped SVG; each shape is a dict of its tag and attributes."""
    root = ElementTree.parse(MAP_FILE).getroot()
    shapes = []
    for element in root:
        tag = element.tag.replace(SVG_NS, "")
        if tag not in ("path", "circle"):
            continue
        shapes.append({"tag": tag, **element.attrib})
    return root.attrib["viewBox"], shapes


#: Words dropped from region names on the map, where space is short.
REGION_WORDS = {"облусу", "шаары", "область", "город", "region", "city"}


def short_region_name(name):
    words = [word for word in str(name).split() if word.lower() not in REGION_WORDS]
    return " ".join(words) or str(name)


def _shade(ratio):
    ratio = max(0.0, min(1.0, ratio))
    red, green, blue = (round(light + (dark - light) * ratio) for light, dark in zip(LIGHT, DARK, strict=True))
    return f"#{red:02x}{green:02x}{blue:02x}"


def oblast_map(chart):
    """Oblasts shaded by value: `chart.items` is {region code: (label, value)}."""
    view_box, shapes = map_shapes()
    values = {code: value or 0 for code, (_label, value) in chart.items.items()}
    top = max(values.values(), default=0) or 1
    title = escape(chart.title)
    shapes_svg, labels_svg = [], []
    for shape in shapes:
        code = shape.get("id")
        if code is None:  # decoration, e.g. the lake
            attributes = " ".join(f'{name}="{escape(value)}"' for name, value in shape.items() if name != "tag")
            shapes_svg.append(f"<{shape['tag']} {attributes}/>")
            continue
        label, value = chart.items.get(code, (code, 0))
        ratio = (value or 0) / top
        fill = _shade(ratio) if value else "#ececef"
        hover = f"<title>{escape(label)}: {escape(_number(value))} {escape(chart.unit)}</title>"
        if shape["tag"] == "circle":
            geometry = f'cx="{escape(shape["cx"])}" cy="{escape(shape["cy"])}" r="{escape(shape["r"])}"'
            shapes_svg.append(f'<circle {geometry} fill="{fill}" stroke="#1d1d1f" stroke-width="1">{hover}</circle>')
        else:
            shapes_svg.append(
                f'<path d="{escape(shape["d"])}" fill="{fill}" stroke="#fff" stroke-width="1.5">{hover}</path>'
            )
        text_fill = "#fff" if ratio > 0.55 and shape["tag"] == "path" else "#1d1d1f"
        x, y = escape(shape.get("data-label-x", "0")), escape(shape.get("data-label-y", "0"))
        short = escape(short_region_name(label))
        labels_svg.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-size="10" fill="{text_fill}">{short}'
            f'<tspan x="{x}" dy="12" font-weight="bold">{escape(_number(value))}</tspan></text>'
        )
    return mark_safe(  # noqa: S308 - every piece of text is escaped
        f'<svg class="report-map" xmlns="http://www.w3.org/2000/svg" viewBox="{escape(view_box)}" width="100%" '
        f'role="img" aria-label="{title}"><title>{title}</title>{"".join(shapes_svg)}{"".join(labels_svg)}</svg>'
    )


def render(chart: Chart):
    return oblast_map(chart) if chart.kind == "map" else bar_chart(chart)
