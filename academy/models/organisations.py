from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .geography import Municipality
from .i18n import TranslatedNameMixin


class OrganizationKind(models.TextChoices):
    AYIL_OKMOTU = "ayil_okmotu", _("Ayil okmotu (rural executive body)")
    CITY_HALL = "city_hall", _("City hall")
    LOCAL_COUNCIL = "local_council", _("Local council (kenesh)")
    STATE_BODY = "state_body", _("State body")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class Organization(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("municipality")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "kind", "municipality"], name="unique_organization"),
        ]

    def __str__(self):
        return self.name


class FundingProject(index.Indexed, TranslatedNameMixin):
    """A donor-funded project that pays for sessions; reports are cut by it."""

    code = models.SlugField(_("code"), unique=True)
    donor = models.CharField(_("donor"), max_length=255)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    search_fields = [
        index.SearchField("name_ky"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.SearchField("donor"),
    ]
    panels = [
        FieldPanel("code"),
        FieldPanel("donor"),
        FieldPanel("name_ky"),
        FieldPanel("name_ru"),
        FieldPanel("name_en"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
    ]

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("funding project")
        verbose_name_plural = _("funding projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="funding_period_ordered"
            ),
        ]

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The project cannot end before it starts.")})

    def __str__(self):
        return f"{self.name} ({self.donor})"
