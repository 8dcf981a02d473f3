from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the current page in every public language, the active one marked."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE)[:2]
    page = context.get("page")
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.url
    return [
        {
            "code": code,
            "name": name,
            "url": translations.get(code) or translate_url(path, code),
            "active": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def localized(obj, field):
    """`obj|localized:"title"` reads title_ru, title_en or title_ky by the active language."""
    from django.utils.translation import get_language

    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_ky", None) or getattr(obj, field, "")
