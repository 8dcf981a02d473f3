"""Dates and times as the academy's readers write them, from one place.

The patterns live in Django format modules, one per language (``academy/formats/<language>/formats.py``,
found through ``FORMAT_MODULE_PATH``), so Django itself (``{{ value }}``, ``|date:"DATE_FORMAT"``, the admin)
uses them too. Templates use the filters in ``academy_tags`` (``|when``, ``|date_range``,
``|datetime_range``) and Python code (e-mails, PDFs, messages) calls :func:`format_date` and
:func:`format_range`, which add what Django's date format cannot do:

* Kyrgyz month and weekday names spelled from the format module (``MONTHS_IN_DATES``: "19-декабры",
  ``MONTHS``, ``WEEKDAYS``) instead of Django's capitalised nominatives ("19 Декабрь");
* aware datetimes shown in the academy's time zone (Asia/Bishkek), whatever the process's time zone;
* a date given where a date-and-time style is asked for is written without the time.

=================  ==========================  ======================  ======================
style              ky                          ru                      en
=================  ==========================  ======================  ======================
``date``           2026-жылдын 19-декабры      19 декабря 2026 г.      19 December 2026
``datetime``       2026-жылдын 19-декабры,     19 декабря 2026 г.,     19 December 2026, 14:30
                   14:30                       14:30
``short_date``     19.12.2026                  19.12.2026              19.12.2026
``short_datetime`` 19.12.2026 14:30            19.12.2026 14:30        19.12.2026 14:30
``time``           14:30                       14:30                   14:30
``month_day``      19-декабры                  19 декабря              19 December
``weekday_date``   19-декабры, ишемби          суббота, 19 декабря     Saturday, 19 December
``year_month``     2026-жылдын декабрь айы     Декабрь 2026 г.         December 2026
=================  ==========================  ======================  ======================
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation

STYLES = {
    "date": "DATE_FORMAT",
    "datetime": "DATETIME_FORMAT",
    "short_date": "SHORT_DATE_FORMAT",
    "short_datetime": "SHORT_DATETIME_FORMAT",
    "time": "TIME_FORMAT",
    "month_day": "MONTH_DAY_FORMAT",
    "weekday_date": "WEEKDAY_DATE_FORMAT",
    "year_month": "YEAR_MONTH_FORMAT",
}
# What a style becomes for a value that has no time of day.
_DATE_ONLY = {"datetime": "date", "short_datetime": "short_date", "time": None}
_FALLBACK_PATTERNS = {
    "WEEKDAY_DATE_FORMAT": "l, j F",
    "DATE_RANGE_FORMATS": {"same_month": ("j", "–", "j F Y"), "same_year": ("j F", " – ", "j F Y")},
}


def format_date(value, style="date", language=None):
    """`value` (a date or datetime) written in `style` (see the module's table) in `language`
    (default: the active one). None and "" give ""."""
    if value is None or value == "":
        return ""
    if style not in STYLES:
        raise ValueError(f"Unknown date style {style!r}; use one of {', '.join(STYLES)}.")
    language = _language(language)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
    elif isinstance(value, date) and style in _DATE_ONLY:
        style = _DATE_ONLY[style]
        if style is None:
            return ""
    pattern = _spelled(_pattern(STYLES[style], language), value, language)
    with translation.override(language):
        return dateformat.format(value, pattern)


def format_range(start, end, style="date", language=None):
    """From `start` to `end`: one date when both fall on the same local day (with both times for
    "datetime"), days of one year written once for "date" ("19–20 декабря 2026 г."), else "start – end"."""
    if not end:
        return format_date(start, style, language)
    if not start:
        return format_date(end, style, language)
    first, last = _local_day(start), _local_day(end)
    if first == last:
        if style in ("datetime", "short_datetime") and isinstance(start, datetime) and isinstance(end, datetime):
            return f"{format_date(start, style, language)} – {format_date(end, 'time', language)}"
        return format_date(start, style, language)
    if style == "date" and first.year == last.year:
        return _day_span(first, last, _language(language))
    return f"{format_date(start, style, language)} – {format_date(end, style, language)}"


def _day_span(first, last, language):
    """Days of one year written once: "19–20 декабря 2026 г.", "30 ноября – 2 декабря 2026 г."."""
    spans = _pattern("DATE_RANGE_FORMATS", language)
    head, separator, tail = spans["same_month" if first.month == last.month else "same_year"]
    with translation.override(language):
        return (
            dateformat.format(first, _spelled(head, first, language))
            + separator
            + dateformat.format(last, _spelled(tail, last, language))
        )


def _language(language):
    code = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _local_day(value):
    if isinstance(value, datetime):
        return (timezone.localtime(value, timezone.get_default_timezone()) if timezone.is_aware(value) else value).date()
    return value


def _pattern(name, language):
    if name in formats.FORMAT_SETTINGS:
        return formats.get_format(name, language)
    for module in formats.get_format_modules(language):
        if hasattr(module, name):
            return getattr(module, name)
    return _FALLBACK_PATTERNS[name]


def _names(language):
    """The month and weekday names the language's own format module spells out, if any."""
    for module in formats.get_format_modules(language):
        if hasattr(module, "MONTHS_IN_DATES"):
            return {"E": module.MONTHS_IN_DATES, "F": module.MONTHS, "l": module.WEEKDAYS}
    return {}


def _spelled(pattern, value, language):
    """`pattern` with its month (E, F) and weekday (l) specifiers replaced by the language's names."""
    names = _names(language)
    if not names:
        return pattern
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ("E", "F"):
            out.append(_literal(names[char][value.month - 1]))
        elif char == "l":
            out.append(_literal(names[char][value.weekday()]))
        else:
            out.append(char)
    return "".join(out)


def _literal(text):
    """`text` escaped so that Django's date format copies it as it is."""
    return "".join("\\" + char if char.isascii() and char.isalpha() else char for char in text)
