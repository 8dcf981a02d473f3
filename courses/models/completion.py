import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.storage import get_private_storage


def assignment_upload_to(instance, filename):
    """`assignments/<session id>/<random>.<ext>`: unguessable, and the participant's file name is not trusted."""
    extension = os.path.splitext(filename)[1].lower()[:6]
    session_id = instance.registration.session_id if instance.registration_id else "unknown"
    return f"assignments/{session_id}/{uuid.uuid4().hex}{extension}"


class AssignmentSubmissionQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=AssignmentSubmission.Status.ACCEPTED)

    def awaiting_review(self):
        return self.filter(status=AssignmentSubmission.Status.SUBMITTED)

    def for_session(self, session):
        return self.filter(registration__session=session)


class AssignmentSubmission(models.Model):
    """A file handed in for the course's assignment, e.g. the joint action plan (БАП).

    The file lives in private storage (settings.PRIVATE_MEDIA_ROOT) and is served only by
    permission-checking views.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    registration = models.ForeignKey("courses.Registration", on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(_("file"), upload_to=assignment_upload_to, storage=get_private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)

    objects = AssignmentSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
        indexes = [models.Index(fields=["registration", "status"], name="submission_registration_status")]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class CompletionOverrideQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-decided_at", "-pk")


class CompletionOverride(models.Model):
    """A trainer's decision that overrides the completion rule; kept as an audit trail.

    The latest override of a registration wins over the rule.
    """

    registration = models.ForeignKey(
        "courses.Registration", on_delete=models.CASCADE, related_name="completion_overrides"
    )
    completed = models.BooleanField(_("completed"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    objects = CompletionOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("completion override")
        verbose_name_plural = _("completion overrides")

    def __str__(self):
        return f"{self.registration_id}: {self.completed} — {self.reason[:50]}"
