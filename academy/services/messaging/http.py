"""One way to call the channels' HTTP APIs: a timeout, and failures sorted into temporary and permanent."""

import requests
from django.conf import settings

from .errors import PermanentDeliveryError, TemporaryDeliveryError


def call(method, url, **kwargs):
    try:
        response = requests.request(method, url, timeout=settings.MESSAGING_TIMEOUT_SECONDS, **kwargs)
    except requests.RequestException as error:
        raise TemporaryDeliveryError(f"{type(error).__name__}: {error}") from error
    if response.status_code == 429 or response.status_code >= 500:
        raise TemporaryDeliveryError(f"HTTP {response.status_code}: {response.text[:200]}")
    if response.status_code >= 400:
        raise PermanentDeliveryError(f"HTTP {response.status_code}: {response.text[:200]}")
    return response
