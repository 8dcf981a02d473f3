"""python manage.py import_participants --session ID FILE [--mapping ...] [--dry-run] [--actor EMAIL]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from academy.errors import DomainError
from courses.models import Session
from courses.services import imports


class Command(BaseCommand):
    help = (
        "Import a participant list (.xlsx or .csv) into a session: people are matched by e-mail or phone or "
        "created and invited, then registered (extra people waitlisted). Running it again adds nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--session", type=int, required=True, help="The session id.")
        parser.add_argument(
            "--mapping",
            default="",
            help='Columns to fields, e.g. "ФИО=full_name;Телефон=phone" or JSON; 1-based column numbers work too. '
            "Fields: " + ", ".join(imports.FIELD_NAMES) + ". Guessed from the headers when omitted.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row and save nothing.")
        parser.add_argument("--actor", default="", help="E-mail of the admin recorded as having imported.")

    def handle(self, *args, **options):
        session = Session.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(f"No session with id {options['session']}.")
        actor = None
        if options["actor"]:
            actor = get_user_model().objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user {options['actor']}.")
        try:
            table = imports.read_table(options["file"], options["file"])
            mapping = imports.parse_mapping_spec(options["mapping"], table.headers)
            report = imports.run_import(session, table, mapping, actor=actor, dry_run=options["dry_run"])
        except FileNotFoundError:
            raise CommandError(f"No file {options['file']}.")
        except DomainError as error:
            raise CommandError(str(error.message))
        fields = dict(imports.FIELDS)
        self.stdout.write(
            "Columns: "
            + "; ".join(f"{table.headers[index]} → {fields[name]}" for index, name in sorted(mapping.items()))
        )
        for row in report.rows:
            for error in row.errors:
                self.stdout.write(f"row {row.number}: ERROR {error}")
            for warning in row.warnings:
                self.stdout.write(f"row {row.number}: warning {warning}")
        summary = report.summary()
        label = "Dry run" if report.dry_run else "Imported"
        self.stdout.write(
            f"{label}: {summary['rows']} rows, {summary['created']} new accounts "
            f"({summary['created_phone_only']} phone-only), {summary['matched']} existing, "
            f"{summary['already_registered']} already registered, {summary['confirmed']} confirmed, "
            f"{summary['waitlisted']} waitlisted, {summary['errors']} rows with errors."
        )
