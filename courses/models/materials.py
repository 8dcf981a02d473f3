from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academy.models import Language
from academy.roles import is_academy_admin, is_trainer


def _trained_sessions(user):
    from courses.models import Session

    return Session.objects.filter(trainers=user)


class MaterialQuerySet(models.QuerySet):
    """Who may see which material, and which materials belong to a session or a course.

    A material with a session is a session material (its `course` is that session's course);
    a material without a session is a course material, shared by every session of the course
    (in every language version of the course page: matched by `translation_key`).
    """

    def for_session(self, session):
        """The session's own materials and the materials of its course."""
        return self.filter(
            Q(session=session) | Q(session__isnull=True, course__translation_key=session.course.translation_key)
        )

    def for_course(self, course):
        """Course-level materials, whichever language version of the course page is given."""
        return self.filter(session__isnull=True, course__translation_key=course.translation_key)

    def _trainer_access(self, user):
        if not is_trainer(user):
            return Q(pk__in=[])
        sessions = _trained_sessions(user)
        return Q(session_id__in=sessions.values("pk")) | Q(
            session__isnull=True, course__translation_key__in=sessions.values("course__translation_key")
        )

    def _participant_access(self, user):
        from courses.models import Registration, Session

        confirmed = Registration.objects.confirmed().filter(user=user)
        course_keys = Session.objects.filter(pk__in=confirmed.values("session_id")).values("course__translation_key")
        return Q(session_id__in=confirmed.values("session_id")) | Q(
            session__isnull=True, course__translation_key__in=course_keys
        )

    def visible_to(self, user):
        """Public materials; participants' materials for confirmed participants (of the session, or of any
        session of the course for a course material) and trainers; trainers' materials for trainers of the
        session (or of the course's sessions) and admins. One query, whatever the data size."""
        if is_academy_admin(user):
            return self
        visible = Q(visibility=Material.Visibility.PUBLIC)
        if user is not None and user.is_authenticated:
            trainer_access = self._trainer_access(user)
            visible |= Q(visibility=Material.Visibility.PARTICIPANTS) & (
                self._participant_access(user) | trainer_access
            )
            visible |= Q(visibility=Material.Visibility.TRAINERS) & trainer_access
        return self.filter(visible)

    def manageable_by(self, user):
        """Materials a user may edit: all for admins, those of their sessions (and courses) for trainers."""
        if is_academy_admin(user):
            return self
        return self.filter(self._trainer_access(user))


class Material(models.Model):
    """A training material attached to a course or to one session."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        IMAGE = "image", _("Image")
        LINK = "link", _("External link")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTICIPANTS = "participants", _("Registered participants of the session")
        TRAINERS = "trainers", _("Trainers only")

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
    )
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KY)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=2000, blank=True)  # search and video links run long
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False) | Q(session__isnull=False), name="material_has_course_or_session"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC

    @property
    def file_extension(self):
        """`pdf`, `docx`, ... for a document material; empty otherwise."""
        if self.kind == self.Kind.DOCUMENT and self.document_id:
            return self.document.file_extension.lower()
        return ""


class ShortLink(models.Model):
    """The stable `/q/<code>` link printed as a QR code; the target may change, the code never does."""

    code = models.CharField(max_length=12, unique=True)
    material = models.OneToOneField(
        Material, on_delete=models.CASCADE, null=True, blank=True, related_name="short_link"
    )
    session = models.OneToOneField(
        "courses.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="material_pack_link",
        help_text=_("The material pack of a session."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    scan_count = models.PositiveIntegerField(_("scans"), default=0)
    last_scanned_at = models.DateTimeField(_("last scanned at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        constraints = [
            models.CheckConstraint(
                condition=Q(material__isnull=False, session__isnull=True)
                | Q(material__isnull=True, session__isnull=False),
                name="short_link_has_one_target",
            ),
        ]

    def __str__(self):
        return f"/q/{self.code}"
