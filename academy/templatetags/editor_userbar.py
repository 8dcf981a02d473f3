"""The Wagtail userbar only where it helps an editor: on a CMS page the signed-in user may edit.

Wagtail's own tag renders it for anyone with admin access on every page that extends base.html, trainers
included: about 1.2 MB of admin JavaScript and CSS on the roll call, the check-in screen and the trainer
dashboard, pages a trainer opens on a cheap phone over a hall's Wi-Fi (issue #14 §3)."""

from django import template
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar
from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_userbar(context, position="bottom-right"):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    page = get_page_instance(context)
    if not isinstance(page, Page) or not page.pk:
        return ""
    if not page.permissions_for_user(user).can_edit():
        return ""
    return wagtailuserbar(context, position)
