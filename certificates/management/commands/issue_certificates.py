"""Issue the certificates of a session (or resume a batch) from the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from academy.errors import DomainError
from certificates.models import CertificateTemplate, IssuanceBatch
from certificates.services import batches
from courses.models import Session


class Command(BaseCommand):
    help = (
        "Issue certificates for the completed registrations of a session. Runs here and prints a summary; "
        "with --background it queues the work for Celery instead. Safe to run again."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--session", type=int, help="ID of the session")
        target.add_argument("--batch", type=int, help="ID of an unfinished batch to resume")
        parser.add_argument("--registration", type=int, action="append", help="only these registrations (repeat)")
        parser.add_argument("--template", type=int, help="ID of the certificate template (default: the default one)")
        parser.add_argument("--by", help="e-mail of the admin recorded as the issuer")
        parser.add_argument("--language", default="ky", help="language of the summary (ky, ru, en)")
        parser.add_argument("--background", action="store_true", help="queue the batch for a Celery worker")

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            batch = self._batch(options)
            if options["background"]:
                self.stdout.write(f"Batch {batch.pk} queued ({batch.total} registrations).")
                return
            batch = batches.run_batch(batch.pk)
            self._summary(batch)

    def _batch(self, options):
        if options["batch"]:
            batch = IssuanceBatch.objects.filter(pk=options["batch"]).first()
            if batch is None:
                raise CommandError(f"There is no batch {options['batch']}.")
            if options["background"]:
                with transaction.atomic():
                    try:
                        batches.resume_batch(batch)
                    except DomainError as error:
                        raise CommandError(str(error.message))
            return batch
        session = Session.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(f"There is no session {options['session']}.")
        template = None
        if options["template"]:
            template = CertificateTemplate.objects.filter(pk=options["template"]).first()
            if template is None:
                raise CommandError(f"There is no certificate template {options['template']}.")
        created_by = None
        if options["by"]:
            created_by = get_user_model().objects.filter(email__iexact=options["by"]).first()
            if created_by is None:
                raise CommandError(f"There is no user {options['by']}.")
        try:
            with transaction.atomic():
                batch = batches.start_batch(
                    created_by=created_by,
                    session=session,
                    registration_ids=options["registration"],
                    template=template,
                    language=options["language"],
                    enqueue=options["background"],
                )
        except DomainError as error:
            raise CommandError(str(error.message))
        return batch

    def _summary(self, batch):
        self.stdout.write(
            f"Batch {batch.pk}: {batch.get_status_display()}. Issued {batch.issued_count}, "
            f"already issued {batch.existing_count}, skipped {batch.skipped_count} of {batch.total}."
        )
        for item in batch.skipped:
            self.stdout.write(f"  skipped registration {item['registration']} ({item['participant']}): {item['reason']}")
        if batch.error:
            raise CommandError(batch.error)
