"""Template helpers for the catalogue's filter forms."""

from django import template

register = template.Library()


@register.simple_tag
def active_filter_count(filterset):
    """How many of the filter form's fields carry a value (shown on the folded "Filters" button)."""
    form = filterset.form
    count = 0
    for name in form.fields:
        values = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]
        if any(value not in (None, "") for value in values):
            count += 1
    return count
