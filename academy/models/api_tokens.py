from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class TokenUse(models.Model):
    """When an API token was last used, written at most once an hour (academy.services.api_tokens).

    A token unused for ACADEMY_API_TOKEN_IDLE_DAYS stops working. A token without this row counts from its
    creation."""

    token = models.OneToOneField(Token, on_delete=models.CASCADE, primary_key=True, related_name="use")
    last_used_at = models.DateTimeField()

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")

    def __str__(self):
        return f"{self.token_id} {self.last_used_at:%Y-%m-%d %H:%M}"
