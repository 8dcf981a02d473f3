from django.db import models
from django.utils.translation import get_language


class TranslatedNameMixin(models.Model):
    """A name kept in Kyrgyz, Russian and English; `name` follows the active language."""

    name_ky = models.CharField("name (ky)", max_length=200)
    name_ru = models.CharField("name (ru)", max_length=200)
    name_en = models.CharField("name (en)", max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self):
        language = (get_language() or "ky")[:2]
        return getattr(self, f"name_{language}", None) or self.name_ky

    def __str__(self):
        return self.name
