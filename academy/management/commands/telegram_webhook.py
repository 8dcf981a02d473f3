"""Point the academy's Telegram bot at this site's webhook (run once per deployment, and after changing the secret)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from academy.services.messaging import telegram
from academy.services.messaging.errors import DeliveryError


class Command(BaseCommand):
    help = "Register this site's Telegram webhook (TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET) with the Bot API."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="The public webhook address (default: WAGTAILADMIN_BASE_URL + /telegram/webhook/).")

    def handle(self, *args, **options):
        if not telegram.is_configured():
            raise CommandError("Set TELEGRAM_BOT_TOKEN first.")
        if not settings.TELEGRAM_WEBHOOK_SECRET:
            raise CommandError("Set TELEGRAM_WEBHOOK_SECRET first: Telegram sends it back, so only it can post updates.")
        url = options["url"] or settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("telegram_webhook")
        if not url.startswith("https://"):
            raise CommandError(f"Telegram posts only to https addresses, not {url}.")
        try:
            answer = telegram.set_webhook(url)
        except DeliveryError as error:
            raise CommandError(f"Telegram refused: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Webhook set to {url}: {answer.get('description', 'ok')}"))
