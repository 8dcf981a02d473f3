from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from academy.models import Language


class CachedContentPage(Page):
    """A practice or journal page whose anonymous responses come from the content cache (cms.services.content_cache)."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from cms.services.content_cache import cached_content_page, share_with_visitors

        return share_with_visitors(cached_content_page(super().serve)(request, *args, **kwargs))


class TextLanguageMixin(models.Model):
    """The language a page's long text is written in.

    A translation often starts with only its title and summary translated; its long text is still the
    original's (Wagtail copies every field, this one too). Templates mark that text with `lang` when it is
    not the language the page is read in, so screen readers read it in the right voice.
    """

    text_language = models.CharField(
        _("language of the text"),
        max_length=2,
        choices=Language.choices,
        default=Language.KY,
        help_text=_(
            "The language the long text is written in. A new translation keeps the original's text, and this "
            "language, until someone translates the text and changes it here."
        ),
    )

    class Meta:
        abstract = True

    @property
    def foreign_text_language(self):
        """The text's language when it differs from the language the page is read in, else ""."""
        language = self.text_language or ""
        return "" if language == (get_language() or "")[:2] else language
