from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the current page in every public language, the active one marked."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE)[:2]
    if request is not None and getattr(request, "link_language", False):
        # Unprefixed addresses behind printed QR codes carry their language as ?lang= (academy.link_language).
        from academy.link_language import with_language

        return [
            {"code": code, "name": name, "url": with_language(path, code), "active": code == current}
            for code, name in settings.LANGUAGES
        ]
    page = context.get("page")
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.url
    return [
        {
            "code": code,
            "name": name,
            "url": translations.get(code) or _translated(path, get_language(), code),
            "active": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@lru_cache(maxsize=4096)
def _translated(path, active, code):
    """`translate_url(path, code)`, worked out once per process and path: it resolves the path anew (a third of
    a millisecond a language on every page). The URL patterns never change in a running process; `active` is part
    of the key because the language prefix a path resolves under is the active language's."""
    return translate_url(path, code)


@register.filter
def localized(obj, field):
    """`obj|localized:"title"` reads title_ru, title_en or title_ky by the active language."""
    from django.utils.translation import get_language

    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_ky", None) or getattr(obj, field, "")


@register.filter(expects_localtime=True)
def when(value, style="date"):
    """`{{ value|when }}`, `{{ value|when:"datetime" }}`: a date or time as the reader's language writes it
    ("2026-жылдын 19-декабры", "19 декабря 2026 г."), in Bishkek time. Styles: see academy.formats."""
    from academy.formats import format_date

    return format_date(value, style)


@register.filter(expects_localtime=True)
def date_range(start, end):
    """`{{ session.starts_at|date_range:session.ends_at }}`: one date, or "first – last"."""
    from academy.formats import format_range

    return format_range(start, end, "date")


@register.filter(expects_localtime=True)
def datetime_range(start, end):
    """`{{ session.starts_at|datetime_range:session.ends_at }}`: "date, 09:00 – 17:00" within one day,
    else both dates with their times."""
    from academy.formats import format_range

    return format_range(start, end, "datetime")
