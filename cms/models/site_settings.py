"""Site-wide settings editors keep under Settings in the admin: the academy's name and contacts."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from academy.caching import cached

#: The cache namespace of the settings per site: dropped when the settings or a site change (cms/signals.py).
SETTINGS_CACHE = "academy-settings"


@register_setting(icon="site")
class AcademySettings(BaseSiteSetting):
    name_ky = models.CharField(_("academy name (ky)"), max_length=255, blank=True)
    name_ru = models.CharField(_("academy name (ru)"), max_length=255, blank=True)
    name_en = models.CharField(_("academy name (en)"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=30, default="CAALG")
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    footer_text = RichTextField(_("footer text"), blank=True, features=["bold", "italic", "link"])

    @classmethod
    def for_request(cls, request):
        """The settings of the request's site, from the cache: every page's header and footer show them, and
        without the cache each page would look up its site and then the settings (two queries)."""
        attribute = cls.get_cache_attr_name()
        if not hasattr(request, attribute):
            found = cached(
                SETTINGS_CACHE,
                lambda: super(AcademySettings, cls).for_request(request),
                request.get_host(),
                request.get_port(),
                timeout=3600,
            )
            found._request = request
            setattr(request, attribute, found)
        return getattr(request, attribute)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name_ky"), FieldPanel("name_ru"), FieldPanel("name_en"), FieldPanel("short_name")],
            heading=_("Name"),
        ),
        FieldPanel("licence_number"),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")], heading=_("Contacts")),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("academy settings")

    @property
    def name(self):
        language = (get_language() or "ky")[:2]
        return getattr(self, f"name_{language}", "") or self.name_ky or self.short_name
