from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .geography import Municipality


class OfficerRole(models.TextChoices):
    HEAD = "head", _("Head of the municipality")
    HR = "hr", _("HR officer")


class MunicipalityOfficer(models.Model):
    """A municipality's head or HR officer: sees and nominates the people of that one municipality.

    Assigned by academy admins in the admin. One account speaks for one municipality; the people it
    speaks for are those whose profile names that municipality.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="municipality_officer",
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="officers"
    )
    role = models.CharField(_("role"), max_length=10, choices=OfficerRole.choices, default=OfficerRole.HR)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["municipality__name_en", "pk"]
        verbose_name = _("municipality officer")
        verbose_name_plural = _("municipality officers")

    def __str__(self):
        return f"{self.user} — {self.municipality} ({self.get_role_display()})"
