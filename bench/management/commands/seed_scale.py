"""Fill the database with an academy at the scale of ten years of work (issue #8), in minutes.

    python manage.py seed_scale                      # the target: 100,000 people, 10,000 sessions, ...
    python manage.py seed_scale --preset small       # 5 % of it, for quick runs
    python manage.py seed_scale --people 2000 --sessions 200 --registrations 6000
    python manage.py seed_scale --force              # replace a previous scale set
    python manage.py seed_scale --append             # add another set beside it

Works on SQLite and PostgreSQL. See reports/scale.py for what is generated and BENCHMARKS.md for timings.
"""

import logging
import time
from dataclasses import replace
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from bench import scale


class Command(BaseCommand):
    help = "Generate a deterministic academy at the target scale (people, sessions, registrations, certificates)."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(scale.PRESETS), default="target", help="Base sizes.")
        parser.add_argument("--people", type=int, help="People (participants and trainers).")
        parser.add_argument("--sessions", type=int, help="Sessions over ten years.")
        parser.add_argument("--registrations", type=int, help="Registrations in all.")
        parser.add_argument("--certificates", type=int, help="Certificates (when the certificates app has models).")
        parser.add_argument("--courses", type=int, help="Course pages (created through Wagtail's page tree).")
        parser.add_argument("--no-attendance", action="store_true", help="Skip attendance rows.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")
        parser.add_argument("--today", type=date.fromisoformat, help="The date the ten years end around (YYYY-MM-DD).")
        parser.add_argument("--batch-size", type=int, default=5000)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--force", action="store_true", help="Delete an existing scale set first.")
        mode.add_argument("--append", action="store_true", help="Add to an existing scale set.")

    def handle(self, *args, **options):
        quiet = [logging.getLogger(name) for name in ("wagtail", "django_tasks", "modelsearch")]
        levels = [logger.level for logger in quiet]
        for logger in quiet:  # a log line per page and per search-index task would drown the timings
            logger.setLevel(logging.WARNING)
        try:
            self.generate(options)
        finally:
            for logger, level in zip(quiet, levels, strict=True):
                logger.setLevel(level)

    def generate(self, options):
        sizes = scale.PRESETS[options["preset"]]
        overrides = {name: options[name] for name in ("people", "sessions", "registrations", "certificates", "courses")}
        for name, value in overrides.items():
            if value is not None and value < 0:
                raise CommandError(f"--{name} cannot be negative.")
        sizes = replace(sizes, **{name: value for name, value in overrides.items() if value is not None})
        if options["no_attendance"]:
            sizes = replace(sizes, attendance=False)
        if sizes.sessions and not sizes.courses:
            raise CommandError("Sessions need at least one course (--courses).")
        if sizes.registrations and sizes.people < 10:
            raise CommandError("Registrations need people (--people of at least 10).")

        started = time.monotonic()
        existing = scale.existing_counts()
        offset = 0
        if existing["people"] or existing["courses"]:
            if options["force"]:
                scale.purge_scale_set(log=self.stdout.write)
            elif options["append"]:
                offset = existing["people"]
            else:
                raise CommandError(
                    "A scale set is already there ({people} people, {courses} courses, {sessions} sessions, "
                    "{registrations} registrations). Use --force to replace it or --append to add to it.".format(
                        **existing
                    )
                )
        self.stdout.write(
            f"Generating on {connection.vendor}: "
            + ", ".join(f"{name} {value:,}" for name, value in sizes.as_dict().items() if not isinstance(value, bool))
        )
        generator = scale.ScaleGenerator(
            sizes,
            seed=options["seed"],
            today=options["today"],
            batch_size=options["batch_size"],
            log=self.stdout.write,
            offset=offset,
        )
        try:
            with translation.override("ky"):
                counts = generator.run()
        except RuntimeError as error:
            raise CommandError(str(error))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write("Rows: " + ", ".join(f"{name} {count:,}" for name, count in sorted(counts.items())))
        self.stdout.write(self.style.SUCCESS(f"Scale set ready in {elapsed:.1f} s ({elapsed / 60:.1f} min)."))
