"""A new password ends the person's API tokens (their sessions end by themselves: Django checks each
session against a hash of the password, and only update_session_auth_hash keeps the one that changed it)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from academy.services import api_tokens


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="academy.revoke_tokens_on_new_password")
def revoke_tokens_on_new_password(sender, instance, created, **kwargs):
    # set_password() leaves the raw password in `_password` until the save; a hash upgrade on login clears it.
    if not created and getattr(instance, "_password", None) is not None:
        api_tokens.revoke_all(instance)
