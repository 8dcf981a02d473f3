class DeliveryError(OSError):
    """A message could not be handed to its channel. An OSError, so Celery's autoretry and the outbox's
    flush treat it like an SMTP failure."""


class TemporaryDeliveryError(DeliveryError):
    """Worth trying again later: no connection, a timeout, the service busy (5xx, 429)."""


class PermanentDeliveryError(DeliveryError):
    """Trying again will not help: the bot was blocked, the chat or the number does not exist (4xx)."""
