from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def active_language():
    """The two-letter code of the active language (Kyrgyz outside a request)."""
    return (get_language() or "ky")[:2]


class TranslatedNameQuerySet(models.QuerySet):
    def by_name(self, language=None):
        """Ordered by the name in `language` (default: the active one), so lists read alphabetically."""
        language = language or active_language()
        field = f"name_{language}" if language in ("ky", "ru", "en") else "name_ky"
        return self.order_by(field, "pk")


class TranslatedNameMixin(models.Model):
    """A name kept in Kyrgyz, Russian and English; `name` follows the active language.

    Reference lists (regions, districts, municipalities, course topics, audiences, delivery languages,
    funding projects) use it, so public pages, the API and the admin show the reader's language.
    """

    name_ky = models.CharField(_("name in Kyrgyz"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    objects = TranslatedNameQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def name(self):
        return getattr(self, f"name_{active_language()}", None) or self.name_ky

    def __str__(self):
        return self.name
