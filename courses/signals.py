"""Reactions to edits made anywhere (admin forms, API, shell).

* Cache invalidation for the public `/q/<code>` lookups: a link answers from the cache until it or
  its target changes. Scans are counted with a queryset UPDATE (no signal), so counting never drops the cache.
* Completion is re-evaluated when a started session's dates, agenda or course rule change.
* The cached public catalogue pages are dropped when what they show changes.
* An action-plan report's photo or document, and a handed-in assignment's file, leave the storage once their
  deletion is committed, however they are deleted (a newer file, the item, registration, session or course
  removed, in the admin or a service); a rolled-back deletion keeps them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import (
    ActionPlanReport,
    AgendaItem,
    AssignmentSubmission,
    CourseIndexPage,
    CoursePage,
    Material,
    Registration,
    Session,
    SessionStatus,
    ShortLink,
    TrainerProfile,
    Venue,
)
from courses.services import completion, public_pages, shortlinks


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
        completion.reevaluate_after_commit(instance)


@receiver(post_save, sender=AgendaItem, dispatch_uid="courses.completion.agenda_save")
@receiver(post_delete, sender=AgendaItem, dispatch_uid="courses.completion.agenda_delete")
def _agenda_changed(sender, instance, **kwargs):
    if AgendaItem.session.is_cached(instance):  # admin forms save rows of a session they already hold
        session = instance.session
    else:
        session = Session.objects.filter(pk=instance.session_id).first()
    if session is not None:
        completion.reevaluate_after_commit(session)


def _course_published(sender, instance, **kwargs):
    # The rule (minimum %, assignment, attendance per block or day) is read from the live course.
    for session in Session.objects.filter(course_id=instance.pk, starts_at__lte=timezone.now()).exclude(
        status__in=(SessionStatus.CANCELLED, SessionStatus.COMPLETED)
    ):
        completion.reevaluate_after_commit(session)


def _document_changed(sender, instance, **kwargs):
    # pre_delete: after the delete the materials no longer point at the document.
    shortlinks.invalidate_links(shortlinks.codes_pointing_at(document=instance))


page_published.connect(_course_published, sender=CoursePage, dispatch_uid="courses.completion.course_published")


def connect_document_signals():
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    post_save.connect(_document_changed, sender=document_model, dispatch_uid="courses.shortlink_cache.document_save")
    pre_delete.connect(_document_changed, sender=document_model, dispatch_uid="courses.shortlink_cache.document_del")


@receiver(post_save, sender=Session, dispatch_uid="courses.catalogue_cache.session_save")
@receiver(post_delete, sender=Session, dispatch_uid="courses.catalogue_cache.session_delete")
@receiver(post_save, sender=AgendaItem, dispatch_uid="courses.catalogue_cache.agenda_save")
@receiver(post_delete, sender=AgendaItem, dispatch_uid="courses.catalogue_cache.agenda_delete")
@receiver(post_save, sender=Registration, dispatch_uid="courses.catalogue_cache.registration_save")
@receiver(post_delete, sender=Registration, dispatch_uid="courses.catalogue_cache.registration_delete")
@receiver(post_save, sender=Venue, dispatch_uid="courses.catalogue_cache.venue_save")
@receiver(post_save, sender=TrainerProfile, dispatch_uid="courses.catalogue_cache.trainer_save")
@receiver(post_delete, sender=CoursePage, dispatch_uid="courses.catalogue_cache.course_delete")
@receiver(post_delete, sender=CourseIndexPage, dispatch_uid="courses.catalogue_cache.index_delete")
@receiver(page_published, sender=CoursePage, dispatch_uid="courses.catalogue_cache.course_published")
@receiver(page_unpublished, sender=CoursePage, dispatch_uid="courses.catalogue_cache.course_unpublished")
@receiver(page_published, sender=CourseIndexPage, dispatch_uid="courses.catalogue_cache.index_published")
@receiver(page_unpublished, sender=CourseIndexPage, dispatch_uid="courses.catalogue_cache.index_unpublished")
@receiver(post_page_move, dispatch_uid="courses.catalogue_cache.page_moved")
# A page (or an ancestor) restricted to a password, signed-in people or groups must leave the front cache.
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="courses.catalogue_cache.restriction_save")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="courses.catalogue_cache.restriction_delete")
def _catalogue_changed(sender, **kwargs):
    public_pages.catalogue_changed()


@receiver(post_delete, sender=ActionPlanReport, dispatch_uid="courses.action_plans.report_file_delete")
@receiver(post_delete, sender=AssignmentSubmission, dispatch_uid="courses.assignments.submission_file_delete")
def _private_file_deleted(sender, instance, **kwargs):
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
