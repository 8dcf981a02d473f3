from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reports import migrate_hooks

        # sender=self: once per migrate (the signals are sent once per app), and once per flush.
        pre_migrate.connect(migrate_hooks.drop_sqlite_triggers, sender=self, dispatch_uid="reports_rollups_pre")
        post_migrate.connect(migrate_hooks.install_sqlite_triggers, sender=self, dispatch_uid="reports_rollups_post")
