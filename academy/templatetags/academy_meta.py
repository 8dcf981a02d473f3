"""`{% page_meta as meta %}` for templates/includes/meta.html (see academy/page_meta.py)."""

from django import template

from academy.page_meta import page_meta as build

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context, title="", description="", image=None, kind=""):
    return build(context, title=title, description=description, image=image, kind=kind)
