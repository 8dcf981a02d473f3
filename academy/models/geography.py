from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import TranslatedNameMixin


class Region(TranslatedNameMixin):
    """An oblast, or a city of republican significance (Bishkek, Osh)."""

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("Oblast")
        CITY = "city", _("City of republican significance")

    code = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OBLAST)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(TranslatedNameMixin):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        CITY = "city", _("City")

    code = models.SlugField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DISTRICT)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Municipality(TranslatedNameMixin):
    class Kind(models.TextChoices):
        AYIL_AIMAK = "ayil_aimak", _("Rural municipality (ayil aimak)")
        TOWN = "town", _("Town")
        CITY = "city", _("City")

    code = models.SlugField(unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="municipalities")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.AYIL_AIMAK)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
