"""Pages reached from printed QR codes speak the language of their link, not the phone's.

Addresses printed on paper (`/verify/<code>/`, `/q/<code>`) carry no language prefix, so that codes
printed before a language existed keep working. The language rides in the query string instead
(`?lang=ru`); a link without it (or with an unknown one) answers in Kyrgyz, the site's first language,
whatever the browser's Accept-Language or the language cookie say.
"""

from functools import wraps
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils import translation

PARAM = "lang"


def languages():
    return [code for code, _name in settings.LANGUAGES]


def normalize(language):
    """A supported language code for `language`, else the site's first language."""
    code = (language or "").strip().lower()[:2]
    return code if code in languages() else settings.LANGUAGE_CODE


def with_language(url, language):
    """`url` with `?lang=<language>` (replacing any language already in it, keeping other parameters)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != PARAM]
    query.append((PARAM, normalize(language)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def speaks_link_language(view):
    """Answer in the language named by the link (`?lang=`), Kyrgyz when it names none.

    Marks the request so the language switch links to the same address in another `?lang=`
    (academy_tags.language_links) instead of a language prefix these addresses do not have.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = normalize(request.GET.get(PARAM))
        translation.activate(language)  # LocaleMiddleware activates afresh for every request
        request.LANGUAGE_CODE = language
        request.link_language = True
        response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper
