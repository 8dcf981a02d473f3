"""Template helpers of the materials area (the session page includes templates/courses/materials/)."""

from django import template

from courses.services import materials as service

register = template.Library()


@register.simple_tag(takes_context=True)
def session_material_cards(context, session):
    """The materials of `session` the current visitor may see, ready to show (a fixed number of queries)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return service.material_cards(service.visible_session_materials(user, session))
