"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable on any phone and in print.

* `bar_chart` draws horizontal bars (long Kyrgyz labels fit, many rows scroll naturally).
* `district_map` splits those oblast shapes into districts (approximate district points, see below)
  and dots their municipalities (the qualification report).
* `oblast_map` shades the oblast shapes shipped in ``static/reports/kyrgyzstan-oblasts.svg``
  (simplified hand-made outlines; ids are Region codes) by a value per region.

Every label is escaped; the result is marked safe only after escaping.
"""

import functools
import math
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
    if chart.kind == "district_map":
        return district_map(chart)
    return oblast_map(chart) if chart.kind == "map" else bar_chart(chart)


# --- the district map (qualification report) --------------------------------------------------------
#
# The oblast outlines are split into district cells: each rural district takes the part of its oblast
# nearer to its point (reports/district_points.py) than to any other district's of that oblast (a Voronoi
# cell, clipped half-plane by half-plane). Cities are circles at their point. Municipalities are dots
# in their district's cell, set on a small spiral around its point: where they sit inside the district
# is schematic, which the caption says.

NO_ONE_TRAINED = "#1d1d1f"
TRAINED_DOT = "#ffffff"


def _path_points(d):
    """[(x, y)] of a shipped outline (only M, L and Z, absolute)."""
    points = []
    for part in d.replace("M", " ").replace("L", " ").replace("Z", " ").split():
        x, y = part.split(",")
        points.append((float(x), float(y)))
    return points


def _clip(polygon, point, other):
    """The part of `polygon` nearer to `point` than to `other` (Sutherland–Hodgman against one half-plane)."""
    (px, py), (ox, oy) = point, other
    mx, my, nx, ny = (px + ox) / 2, (py + oy) / 2, ox - px, oy - py

    def inside(vertex):
        return (vertex[0] - mx) * nx + (vertex[1] - my) * ny <= 0

    def crossing(a, b):
        da = (a[0] - mx) * nx + (a[1] - my) * ny
        db = (b[0] - mx) * nx + (b[1] - my) * ny
        t = da / (da - db)
        return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))

    result = []
    for index, current in enumerate(polygon):
        previous = polygon[index - 1]
        if inside(current):
            if not inside(previous):
                result.append(crossing(previous, current))
            result.append(current)
        elif inside(previous):
            result.append(crossing(previous, current))
    return result


def district_cells(outline, points):
    """{code: polygon}: the oblast `outline` split among `points` ({code: (x, y)})."""
    cells = {}
    for code, point in points.items():
        polygon = list(outline)
        for other_code, other in points.items():
            if other_code != code and polygon and other != point:
                polygon = _clip(polygon, point, other)
        if len(polygon) >= 3:
            cells[code] = polygon
    return cells


def _spiral(center, count, step):
    """`count` dot centres around `center`, none on top of another (a golden-angle spiral)."""
    x, y = center
    return [
        (
            x + step * math.sqrt(index + 0.5) * math.cos(index * 2.39996),
            y + step * math.sqrt(index + 0.5) * math.sin(index * 2.39996),
        )
        for index in range(count)
    ]


def district_map(chart):
    """Districts shaded by value, municipalities as dots. `chart.items`: {"regions": [region code],
    "districts": {code: {"label", "value", "city"}}, "municipalities": [{"district", "label", "note",
    "no_one_trained"}]}; `chart.unit` names the value."""
    from .district_points import POINTS, to_map

    _view_box, shapes = map_shapes()
    regions = set(chart.items["regions"])
    districts = chart.items["districts"]
    outlines = {shape["id"]: shape for shape in shapes if shape.get("id") in regions}
    if not outlines:
        return ""
    values = [item["value"] or 0 for item in districts.values()]
    top = max(values, default=0) or 1
    title = escape(chart.title)
    parts, dots, bounds = [], [], []
    rural = {code: to_map(*POINTS[code]) for code, item in districts.items() if code in POINTS and not item["city"]}
    by_region = {}
    for code, item in districts.items():
        if code in rural:
            by_region.setdefault(item["region"], {})[code] = rural[code]
    for region_code, shape in outlines.items():
        if shape["tag"] != "path":
            center = (float(shape["cx"]), float(shape["cy"]))
            bounds += [(center[0] - 12, center[1] - 12), (center[0] + 12, center[1] + 12)]
            continue
        outline = _path_points(shape["d"])
        bounds += outline
        cells = district_cells(outline, by_region.get(region_code, {}))
        if not cells:
            parts.append(f'<path d="{escape(shape["d"])}" fill="#ececef" stroke="#fff" stroke-width="1"/>')
        for code, polygon in cells.items():
            item = districts[code]
            value = item["value"] or 0
            fill = _shade(value / top) if value else "#ececef"
            d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in polygon) + " Z"
            hover = f"<title>{escape(item['label'])}: {escape(_number(value))} {escape(chart.unit)}</title>"
            parts.append(f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="0.8">{hover}</path>')
    if not bounds:
        return ""
    min_x, max_x = min(x for x, _y in bounds), max(x for x, _y in bounds)
    min_y, max_y = min(y for _x, y in bounds), max(y for _x, y in bounds)
    size = max(max_x - min_x, max_y - min_y, 40)
    step = size / 110  # dots keep the same size on the screen whatever is zoomed to
    places = {}
    for item in chart.items["municipalities"]:
        places.setdefault(item["district"], []).append(item)
    for code, items in places.items():
        if code not in POINTS:
            continue
        district = districts.get(code, {})
        center = to_map(*POINTS[code])
        if district.get("city"):
            value = district.get("value") or 0
            fill = _shade(value / top) if value else "#ececef"
            hover = f"<title>{escape(district.get('label', ''))}: {escape(_number(value))} {escape(chart.unit)}</title>"
            parts.append(
                f'<circle cx="{center[0]:.1f}" cy="{center[1]:.1f}" r="{step * 1.7:.2f}" fill="{fill}" '
                f'stroke="#1d1d1f" stroke-width="{step * 0.4:.2f}">{hover}</circle>'
            )
            bounds.append(center)
            continue
        for (x, y), item in zip(_spiral(center, len(items), step * 2.2), items, strict=True):
            colour = NO_ONE_TRAINED if item["no_one_trained"] else TRAINED_DOT
            dots.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{step * 0.9:.2f}" fill="{colour}" stroke="#1d1d1f" '
                f'stroke-width="{step * 0.3:.2f}"><title>{escape(item["label"])}: {escape(item["note"])}</title></circle>'
            )
    margin = size * 0.04
    box = f"{min_x - margin:.1f} {min_y - margin:.1f} {max_x - min_x + 2 * margin:.1f} {max_y - min_y + 2 * margin:.1f}"
    return mark_safe(  # noqa: S308 - every piece of text is escaped
        f'<svg class="report-map report-map--districts" xmlns="http://www.w3.org/2000/svg" viewBox="{box}" '
        f'width="100%" role="img" aria-label="{title}"><title>{title}</title>{"".join(parts)}{"".join(dots)}</svg>'
    )
