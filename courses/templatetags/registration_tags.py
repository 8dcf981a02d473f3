from django import template

from courses.services import registration as service

register = template.Library()

BADGES = {"confirmed": "ok", "waitlisted": "warn", "pending": "warn", "offered": "warn"}


@register.simple_tag(takes_context=True)
def registration_state(context, session):
    """The current user's registration for `session`, seats left and what they may do (two queries)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return service.registration_state(session, user)


@register.filter
def registration_badge(status):
    """The badge class for a registration status: "ok", "warn" or ""."""
    return BADGES.get(status, "")
