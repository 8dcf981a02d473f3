from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from academy.models import Municipality


class Venue(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="venues"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("room capacity"), validators=[MinValueValidator(1)])

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("address")]
    panels = [FieldPanel("name"), FieldPanel("municipality"), FieldPanel("address"), FieldPanel("capacity")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="venue_capacity_positive")]

    def __str__(self):
        return self.name
