"""Cache invalidation: a certificate's public verification record and page change with it (issue, revoke, reissue)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certificates.models import Certificate
from certificates.services import verification


@receiver(post_save, sender=Certificate, dispatch_uid="certificates.verification_cache.save")
@receiver(post_delete, sender=Certificate, dispatch_uid="certificates.verification_cache.delete")
def drop_cached_verification(sender, instance, **kwargs):
    codes = [instance.code]
    if instance.replaces_id:
        # The replaced certificate's record links to this one.
        replaced = Certificate.replaces.is_cached(instance) and instance.replaces
        codes.append(
            replaced.code
            if replaced
            else Certificate.objects.filter(pk=instance.replaces_id).values_list("code", flat=True).first()
        )
    verification.invalidate_cached(*codes)
