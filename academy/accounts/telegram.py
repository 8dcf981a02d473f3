"""Linking Telegram from the profile, and the bot's webhook."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from academy.errors import DomainError
from academy.services.messaging import telegram


@login_required
@require_POST
def link(request):
    """Open the bot with a fresh one-time code; Telegram then sends it back to the webhook as `/start <code>`."""
    try:
        _code, url = telegram.new_link_code(request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("account_profile")
    return redirect(url)


@login_required
@require_POST
def unlink(request):
    if telegram.unlink(request.user):
        messages.success(request, _("Telegram is unlinked. Messages will come by your other channels."))
    return redirect("account_profile")


@csrf_exempt
@require_POST
def webhook(request):
    """Updates from Telegram. Only Telegram knows the secret (sent back in a header), so only it can post here."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not (telegram.is_configured() and secret and hmac.compare_digest(given, secret)):
        return HttpResponseForbidden()
    try:
        update = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(update, dict):
        return HttpResponse(status=400)
    # Telegram retries an update until it gets a 2xx, so anything the bot cannot use is still acknowledged.
    return JsonResponse({"outcome": telegram.handle_update(update)})
