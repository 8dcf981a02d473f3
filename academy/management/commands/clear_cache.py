from django.core.management.base import BaseCommand, CommandError

from academy.cache import UNAVAILABLE
from academy.services.cache_reset import clear_caches


class Command(BaseCommand):
    help = (
        "Empty the shared cache (cached pages, verification answers, API reads, throttle counters). "
        "Run after restoring a backup; Celery's queued tasks in the same Redis are kept."
    )
    requires_system_checks = []  # runs right after a restore, before migrate: it needs nothing but the cache

    def handle(self, *args, **options):
        try:
            cleared = clear_caches()
        except UNAVAILABLE as error:
            raise CommandError(f"The cache could not be reached ({error}); nothing was cleared.") from error
        for alias, deleted in cleared.items():
            count = "all" if deleted is None else str(deleted)
            self.stdout.write(f"cache '{alias}' cleared ({count} entries)")
