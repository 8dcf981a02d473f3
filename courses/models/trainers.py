from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from academy.validators import validate_kyrgyz_phone


class TrainerProfile(index.Indexed, models.Model):
    """The public face of a trainer-consultant (тренер-консультант)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile")
    bio_ky = models.TextField(_("biography (ky)"), blank=True)
    bio_ru = models.TextField(_("biography (ru)"), blank=True)
    bio_en = models.TextField(_("biography (en)"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = models.CharField(_("topics"), max_length=255, blank=True, help_text=_("Comma-separated"))
    public_email = models.EmailField(_("public e-mail"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=16, blank=True, validators=[validate_kyrgyz_phone])

    search_fields = [index.SearchField("bio_ky"), index.SearchField("bio_ru"), index.SearchField("topics")]
    panels = [
        FieldPanel("user"),
        FieldPanel("photo"),
        MultiFieldPanel([FieldPanel("bio_ky"), FieldPanel("bio_ru"), FieldPanel("bio_en")], heading=_("Biography")),
        FieldPanel("topics"),
        MultiFieldPanel([FieldPanel("public_email"), FieldPanel("public_phone")], heading=_("Contacts")),
    ]

    class Meta:
        verbose_name = _("trainer profile")
        verbose_name_plural = _("trainer profiles")

    @property
    def bio(self):
        language = (get_language() or "ky")[:2]
        return getattr(self, f"bio_{language}", "") or self.bio_ky

    @property
    def topic_list(self):
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]

    def __str__(self):
        return str(self.user)
