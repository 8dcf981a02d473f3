"""The catalogue's search providers (cms/search/registry.py): courses, sessions and materials' titles.

Registered in CoursesConfig.ready(). A session or material is found in each language its course has a
live page in; its result belongs to that page, so an unpublished or restricted course hides them too.
Drafts, cancelled sessions and materials that are not public are never indexed.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished

from cms.search import indexing
from cms.search.registry import Document, PageProvider, Provider, register
from cms.search.text import join_text


def _course_pages(course_page):
    """Live, public language versions of a course."""
    from courses.models import CoursePage

    if course_page is None:
        return []
    return list(
        CoursePage.objects.live()
        .public()
        .filter(translation_key=course_page.translation_key)
        .select_related("locale")
        .only("pk", "title", "translation_key", "locale__language_code")
    )


def _place(venue):
    if venue is None:
        return "", None
    place = venue.municipality
    return f"{venue.name} {place.name_ky} {place.name_ru} {place.name_en}", place.district.region_id


class CourseProvider(PageProvider):
    kind = "course"
    label = _("Course")
    label_plural = _("Courses")
    boost = 1.5
    order = 10

    @property
    def model(self):
        from courses.models import CoursePage

        return CoursePage

    def queryset(self):
        return super().queryset().prefetch_related("topics", "audiences")

    def body(self, page):
        topics = " ".join(f"{topic.name_ky} {topic.name_ru} {topic.name_en}" for topic in page.topics.all())
        audiences = " ".join(audience.name for audience in page.audiences.all())
        return join_text(page.summary, topics, audiences, page.learning_outcomes, page.body)

    def connect(self):
        super().connect()
        page_published.connect(self._related, sender=self.model, dispatch_uid="site_search.course.related", weak=False)
        page_unpublished.connect(
            self._related, sender=self.model, dispatch_uid="site_search.course.related_off", weak=False
        )

    def _related(self, sender, instance, **kwargs):
        # Sessions and materials are found under each live language version of the course.
        key = instance.translation_key
        transaction.on_commit(lambda: self._refresh_related(key), robust=True)

    @staticmethod
    def _refresh_related(key):
        from courses.models import Material, Session

        for session_id in Session.objects.filter(course__translation_key=key).values_list("pk", flat=True):
            indexing.refresh(SESSIONS, session_id)
        for material_id in Material.objects.filter(course__translation_key=key).values_list("pk", flat=True):
            indexing.refresh(MATERIALS, material_id)


class SessionProvider(Provider):
    kind = "session"
    label = _("Session")
    label_plural = _("Sessions")
    boost = 0.8
    order = 15

    def queryset(self):
        from courses.models import Session, SessionStatus

        return (
            Session.objects.published()
            .exclude(status=SessionStatus.CANCELLED)
            .select_related("course", "venue__municipality__district")
        )

    def documents(self, session):
        from courses.models import SessionStatus

        if session.status in (SessionStatus.DRAFT, SessionStatus.CANCELLED):
            return []
        place, region_id = _place(session.venue)
        starts = timezone.localtime(session.starts_at)
        documents = []
        for course in _course_pages(session.course):
            language = course.locale.language_code
            with translation.override(language):
                url = reverse("session_detail", args=[session.pk])
            title = f"{session.title or course.title} · {starts:%d.%m.%Y}"
            documents.append(
                Document(
                    page_id=course.pk,
                    language=language,
                    title=title,
                    body=join_text(course.title, place),
                    url=url,
                    region_id=region_id,
                    year=starts.year,
                )
            )
        return documents

    def connect(self):
        from courses.models import Session

        post_save.connect(self._saved, sender=Session, dispatch_uid="site_search.session.saved", weak=False)
        post_delete.connect(self._deleted, sender=Session, dispatch_uid="site_search.session.deleted", weak=False)

    def _saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            indexing.refresh_on_commit(self, instance.pk)

    def _deleted(self, sender, instance, **kwargs):
        indexing.refresh_on_commit(self, instance.pk)


class MaterialProvider(Provider):
    kind = "material"
    label = _("Training material")
    label_plural = _("Training materials")
    boost = 0.7
    order = 40

    def queryset(self):
        from courses.models import Material

        return Material.objects.filter(visibility=Material.Visibility.PUBLIC).select_related(
            "course", "session__course", "session__venue__municipality__district"
        )

    def documents(self, material):
        from courses.models import Material, SessionStatus

        if material.visibility != Material.Visibility.PUBLIC:
            return []
        session = material.session
        if session is not None and session.status in (SessionStatus.DRAFT, SessionStatus.CANCELLED):
            return []
        course = material.course or (session.course if session else None)
        region_id = _place(session.venue)[1] if session else None
        year = timezone.localtime(session.starts_at).year if session else None
        documents = []
        for page in _course_pages(course):
            url = ""
            if session is not None:
                with translation.override(page.locale.language_code):
                    url = reverse("session_detail", args=[session.pk])
            documents.append(
                Document(
                    page_id=page.pk,
                    language=page.locale.language_code,
                    title=material.title,
                    body=join_text(material.description, page.title),
                    url=url,
                    region_id=region_id,
                    year=year,
                )
            )
        return documents

    def connect(self):
        from courses.models import Material

        post_save.connect(self._saved, sender=Material, dispatch_uid="site_search.material.saved", weak=False)
        post_delete.connect(self._deleted, sender=Material, dispatch_uid="site_search.material.deleted", weak=False)

    def _saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            indexing.refresh_on_commit(self, instance.pk)

    def _deleted(self, sender, instance, **kwargs):
        indexing.refresh_on_commit(self, instance.pk)


COURSES, SESSIONS, MATERIALS = CourseProvider(), SessionProvider(), MaterialProvider()


def register_providers():
    for provider in (COURSES, SESSIONS, MATERIALS):
        register(provider)
