"""What a public page tells search engines and link previews: description, Open Graph, alternate languages.

`templates/includes/meta.html` renders it in every page's head (templates/base.html). A Wagtail page
speaks for itself (SEO title, search description, else its introduction or summary, its image); other
pages pass `meta_title`, `meta_description`, `meta_image` (a Wagtail image) or `meta_type` when they
include the template in their `{% block meta %}`.
"""

import logging

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DESCRIPTION_LENGTH = 200  # search engines show about 155-160 characters; previews a little more
IMAGE_SPEC = "fill-1200x630"  # the size link previews (Facebook, Telegram, WhatsApp) show best
OG_LOCALES = {"ky": "ky_KG", "ru": "ru_RU", "en": "en_US"}


def _first(*values):
    for value in values:
        text = " ".join(strip_tags(str(value or "")).split())
        if text:
            return text
    return ""


def _page_image(page):
    for field in ("hero_image", "image", "og_image"):
        image = getattr(page, field, None)
        if image is not None:
            return image
    return None


def _image_url(request, image):
    if image is None:
        return ""
    try:
        url = image.get_rendition(IMAGE_SPEC).url
    except Exception:  # a missing or broken original must cost the preview picture, never the page
        logger.warning("No Open Graph rendition for image %s", getattr(image, "pk", None), exc_info=True)
        return ""
    return request.build_absolute_uri(url) if request is not None else url


def page_meta(context, *, title="", description="", image=None, kind=""):
    """The values templates/includes/meta.html prints, from the template context."""
    from academy.templatetags.academy_tags import language_links

    request = context.get("request")
    page = context.get("page")
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    is_page = page is not None and hasattr(page, "specific_class")
    title = _first(title, getattr(page, "seo_title", ""), getattr(page, "title", "")) if is_page else _first(title)
    description = _first(
        description,
        getattr(page, "search_description", "") if is_page else "",
        getattr(page, "intro", "") if is_page else "",
        getattr(page, "summary", "") if is_page else "",
        _("Trainings for municipal servants, local council deputies and activists of Kyrgyzstan, with certificates."),
    )
    image = image or None  # an unset template variable arrives as ""
    if image is None and is_page:
        image = _page_image(page)
    if not kind:
        kind = "article" if is_page and page.specific_class.__name__ == "NewsPage" else "website"

    links = language_links(context)
    absolute = request.build_absolute_uri if request is not None else (lambda url: url)
    alternates = [{"code": link["code"], "url": absolute(link["url"])} for link in links]
    current = next((link["url"] for link in alternates if link["code"] == language), None)
    default = next((link["url"] for link in alternates if link["code"] == settings.LANGUAGE_CODE), None)
    return {
        "title": title,
        "description": Truncator(description).chars(DESCRIPTION_LENGTH),
        "type": kind,
        "url": current or (absolute(request.path) if request is not None else ""),
        "image": _image_url(request, image),
        "locale": OG_LOCALES.get(language, language),
        "alternate_locales": [OG_LOCALES.get(code, code) for code, _name in settings.LANGUAGES if code != language],
        "alternates": alternates,
        "default_url": default,
    }
