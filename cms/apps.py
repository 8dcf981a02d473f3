from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import signals

        signals.connect()

        from cms.contest import signals as contest_signals

        contest_signals.connect()
