"""Content negotiation for list endpoints whose filters use the name `format`."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class _SettingsWithoutFormatOverride:
    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name):
        return getattr(api_settings, name)


class FormatIsAFilterNegotiation(DefaultContentNegotiation):
    """`?format=online` filters sessions by format; it must not pick a renderer (which answers 404)."""

    settings = _SettingsWithoutFormatOverride()
