from datetime import date

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.services.structures import DATE, DECIMAL, INT, PERCENT

register = template.Library()


@register.filter
def report_value(value, kind="text"):
    """A figure or table cell for the screen: numbers grouped, percents with one decimal."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind == PERCENT and isinstance(value, int | float):
        return f"{number_format(value, 1)} %"
    if kind == DECIMAL and isinstance(value, int | float):
        return number_format(value, 2)
    if kind == INT and isinstance(value, int | float):
        return number_format(value, 0, force_grouping=True)
    if kind == DATE and isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return value


@register.filter
def cell(row, column):
    return report_value(row.get(column.key), column.kind)


@register.filter
def is_number(kind):
    return kind in (INT, DECIMAL, PERCENT)
