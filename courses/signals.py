"""Cache invalidation for the public `/q/<code>` lookups: a link answers from the cache until it or its target changes.

Scans are counted with a queryset UPDATE (no signal), so counting never drops the cache.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from courses.models import Material, Session, ShortLink
from courses.services import shortlinks


@receiver(post_save, sender=ShortLink, dispatch_uid="courses.shortlink_cache.link_save")
@receiver(post_delete, sender=ShortLink, dispatch_uid="courses.shortlink_cache.link_delete")
def _link_changed(sender, instance, **kwargs):
    shortlinks.invalidate_links([instance.code])


@receiver(post_save, sender=Material, dispatch_uid="courses.shortlink_cache.material_save")
def _material_changed(sender, instance, **kwargs):
    # A deleted material deletes its link (CASCADE), whose own post_delete drops the cache.
    shortlinks.invalidate_links(shortlinks.codes_pointing_at(material=instance))


@receiver(post_save, sender=Session, dispatch_uid="courses.shortlink_cache.session_save")
def _session_changed(sender, instance, created, **kwargs):
    if not created:
        shortlinks.invalidate_links(shortlinks.codes_pointing_at(session=instance))


def _document_changed(sender, instance, **kwargs):
    # pre_delete: after the delete the materials no longer point at the document.
    shortlinks.invalidate_links(shortlinks.codes_pointing_at(document=instance))


def connect_document_signals():
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    post_save.connect(_document_changed, sender=document_model, dispatch_uid="courses.shortlink_cache.document_save")
    pre_delete.connect(_document_changed, sender=document_model, dispatch_uid="courses.shortlink_cache.document_del")
