"""`manage.py rebuild_search_index [--kind practice ...]`: rewrite the site search index (cms/search/)."""

from django.core.management.base import BaseCommand, CommandError

from cms.search import indexing, registry


class Command(BaseCommand):
    help = "Rebuild the public site search index (all kinds, or those given with --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="Only this kind (repeatable).")

    def handle(self, *args, **options):
        kinds = options["kind"] or None
        known = {provider.kind for provider in registry.providers()}
        unknown = sorted(set(kinds or ()) - known)
        if unknown:
            raise CommandError(f"Unknown kind {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        counts = indexing.rebuild(kinds)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
