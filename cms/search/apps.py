from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteSearchConfig(AppConfig):
    name = "cms.search"
    label = "site_search"
    verbose_name = _("Site search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.search import providers

        providers.register_site_content()

        from cms.search import results_cache

        results_cache.connect()  # cached results are dropped when a page is published, moved, restricted...
