"""The donor outcome report as an A4 PDF (reportlab, the DejaVu fonts of reports/pdf.py): the figures level by
level, then the sessions (the first `PDF_SESSION_ROWS`; the .xlsx carries every one). A pure function: the
report in, bytes out, with the PDF metadata of academy.pdf_metadata."""

from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from academy.formats import format_date

from ..pdf import BOLD, RED, REGULAR, _register_fonts, build_a4, format_value

PDF_SESSION_ROWS = 60
#: The per-session columns the page has room for (the .xlsx has them all).
PDF_COLUMNS = (
    "starts_on",
    "session",
    "participants",
    "satisfaction",
    "improved_share",
    "action_done_share",
    "cost_per_participant_hour",
)
GREY = colors.HexColor("#d6d6db")


def _styles():
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, textColor=RED, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=7.5, leading=9),
        "small": ParagraphStyle(
            "small", fontName=REGULAR, fontSize=8, leading=10, textColor=colors.HexColor("#4a4a4f")
        ),
        "heading": ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
    }


def _cell_text(value, kind):
    if hasattr(value, "strftime"):
        return format_date(value)
    return format_value(value, kind)


def _level(title, figures, styles):
    rows = [
        [
            Paragraph(escape(str(figure.label)), styles["body"]),
            Paragraph(f"<b>{escape(format_value(figure.value, figure.kind))}</b>", styles["body"]),
            Paragraph(escape(str(figure.note or "")), styles["small"]),
        ]
        for figure in figures
    ]
    table = Table(rows, colWidths=[72 * mm, 33 * mm, 71 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return KeepTogether([Paragraph(escape(str(title)), styles["heading"]), table])


def _sessions(table, styles):
    columns = [column for column in table.columns if column.key in PDF_COLUMNS]
    rows = [[Paragraph(f"<b>{escape(str(column.label))}</b>", styles["cell"]) for column in columns]]
    for row in table.rows[:PDF_SESSION_ROWS]:
        rows.append(
            [Paragraph(escape(_cell_text(row.get(column.key), column.kind)), styles["cell"]) for column in columns]
        )
    widths = {"starts_on": 18 * mm, "session": 58 * mm}
    rest = (176 * mm - sum(widths.values())) / (len(columns) - len(widths))
    data_table = Table(rows, colWidths=[widths.get(column.key, rest) for column in columns], repeatRows=1)
    data_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RED),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ]
        )
    )
    return data_table


def outcome_pdf(report, period_line, academy_name="", generated_at=None):
    """Bytes of the PDF of an outcome Report (reports/services/outcomes/report.py)."""
    _register_fonts()
    generated_at = generated_at or timezone.now()
    styles = _styles()
    title = _("Outcome report")
    story = []
    if academy_name:
        story.append(Paragraph(escape(academy_name), styles["small"]))
    story.append(Paragraph(escape(title) + ": " + escape(str(report.title)), styles["title"]))
    story.append(Paragraph(escape(period_line), styles["body"]))
    story.append(Spacer(1, 2 * mm))
    for level_title, figures in report.levels:
        story.append(_level(level_title, figures, styles))
    table = report.table("sessions")
    story.append(Paragraph(escape(str(table.title)), styles["heading"]))
    if table.rows:
        story.append(_sessions(table, styles))
        if len(table.rows) > PDF_SESSION_ROWS:
            story.append(
                Paragraph(
                    escape(
                        _("The first %(shown)s of %(total)s sessions; the .xlsx download has every one.")
                        % {"shown": PDF_SESSION_ROWS, "total": len(table.rows)}
                    ),
                    styles["small"],
                )
            )
    else:
        story.append(Paragraph(escape(_("Nothing to show for these filters.")), styles["body"]))
    story.append(Spacer(1, 3 * mm))
    for note in report.notes:
        story.append(Paragraph(escape(str(note)), styles["small"]))
    story.append(
        Paragraph(
            escape(_("Generated on %(date)s.") % {"date": format_date(generated_at, "datetime")}), styles["small"]
        )
    )
    return build_a4(story, f"{title}: {report.title}", academy_name, period_line, generated_at)
