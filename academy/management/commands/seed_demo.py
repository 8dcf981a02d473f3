"""Fill a realistic demo academy. Running it again changes nothing.

Each app contributes a `demo` module (`<app>/demo.py`) or package (`<app>/demo/<area>.py`) with `ORDER` (modules run from low to high, so a module
can rely on the data of the apps it builds on) and `seed(context)`. `context` is a dict the
steps share: the command's `now`, `stdout`, and whatever earlier steps put there.
"""

import pkgutil
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation


def demo_modules():
    modules = []
    for app_config in apps.get_app_configs():
        if not app_config.path.startswith(str(settings.BASE_DIR)):
            continue
        for info in pkgutil.iter_modules([app_config.path]):
            if info.name != "demo":
                continue
            demo = import_module(f"{app_config.name}.demo")
            if not info.ispkg:
                modules.append(demo)
                continue
            for part in pkgutil.iter_modules(demo.__path__):
                modules.append(import_module(f"{demo.__name__}.{part.name}"))
    return sorted(modules, key=lambda module: (module.ORDER, module.__name__))


class Command(BaseCommand):
    help = "Fill a realistic demo academy drawn from the seed documents (idempotent)."

    def handle(self, *args, **options):
        context = {"now": timezone.now(), "stdout": self.stdout}
        with translation.override("ky"):
            for module in demo_modules():
                with transaction.atomic():
                    summary = module.seed(context)
                self.stdout.write(f"{module.__name__}: {summary or 'ok'}")
        self.stdout.write(self.style.SUCCESS("Demo academy is ready."))
