"""A session's joint action plan (БАП), kept as items and followed up months after the session (issue 19.3).

An item says what is to be done, in which municipality, who is responsible and by when. Months after the
session (settings.ACTION_PLAN_FOLLOW_UP_MONTHS, by default 3 and 6) the responsible people are asked to
report each item; every answer is an `ActionPlanReport`, and the item keeps the latest status so reports can
count items done with one grouped query.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.storage import get_private_storage


class ActionPlanStatus(models.TextChoices):
    NOT_REPORTED = "not_reported", _("Not reported")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# The statuses a report may give (an item is "not reported" only until its first report).
REPORTED_STATUSES = (ActionPlanStatus.DONE, ActionPlanStatus.IN_PROGRESS, ActionPlanStatus.DROPPED)


class ActionPlanSource(models.TextChoices):
    TRAINER = "trainer", _("Entered by the trainer")
    PARTICIPANT_PLAN = "participant_plan", _("From a participant's plan")


def action_plan_report_upload_to(instance, filename):
    """`action_plans/<session id>/<random>.<ext>`: unguessable; the reporter's file name is not trusted."""
    extension = os.path.splitext(filename)[1].lower()[:6]
    session_id = instance.item.session_id if instance.item_id else "unknown"
    return f"action_plans/{session_id}/{uuid.uuid4().hex}{extension}"


class ActionPlanItemQuerySet(models.QuerySet):
    def for_session(self, session):
        return self.filter(session=session)

    def responsible(self, user):
        return self.filter(responsible_user=user)

    def without_account(self):
        """Items whose responsible person has no account: no one to ask, the trainer reports for them."""
        return self.filter(responsible_user__isnull=True)


class ActionPlanItem(models.Model):
    session = models.ForeignKey(
        "courses.Session", verbose_name=_("session"), on_delete=models.CASCADE, related_name="action_plan_items"
    )
    municipality = models.ForeignKey(
        "academy.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plan_items",
        help_text=_("Leave empty for an item of the whole session."),
    )
    what = models.TextField(_("what is to be done"))
    responsible_name = models.CharField(_("responsible person"), max_length=200)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plan_items",
    )
    due_date = models.DateField(_("due by"))
    source = models.CharField(
        _("source"), max_length=20, choices=ActionPlanSource.choices, default=ActionPlanSource.TRAINER
    )
    submission = models.ForeignKey(
        "courses.AssignmentSubmission",
        verbose_name=_("participant's plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plan_items",
    )
    # The latest reported status, kept on the item so reports count with one grouped query.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionPlanStatus.choices,
        default=ActionPlanStatus.NOT_REPORTED,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActionPlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["session", "due_date", "pk"]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        indexes = [
            models.Index(fields=["session", "status"], name="action_item_session_status"),
            models.Index(fields=["responsible_user", "session"], name="action_item_responsible"),
        ]

    def __str__(self):
        return f"{self.what[:60]} ({self.get_status_display()})"

    @property
    def has_someone_to_ask(self):
        return self.responsible_user_id is not None


class ActionPlanReport(models.Model):
    """One answer about one item in one follow-up round (months after the session). The latest one wins."""

    item = models.ForeignKey(
        ActionPlanItem, verbose_name=_("action plan item"), on_delete=models.CASCADE, related_name="reports"
    )
    round = models.PositiveSmallIntegerField(_("follow-up round, months after the session"))
    status = models.CharField(_("status"), max_length=20, choices=ActionPlanStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    file = models.FileField(
        _("photo or document"),
        upload_to=action_plan_report_upload_to,
        storage=get_private_storage,
        max_length=255,
        blank=True,
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("action plan report")
        verbose_name_plural = _("action plan reports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionPlanStatus.NOT_REPORTED), name="action_report_status_reported"
            ),
        ]
        indexes = [models.Index(fields=["item", "round"], name="action_report_item_round")]

    def __str__(self):
        return f"{self.item_id} @ {self.round}: {self.get_status_display()}"


class ActionPlanFollowUp(models.Model):
    """A follow-up round sent for a session: the daily task sends each round once."""

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="action_plan_follow_ups")
    round = models.PositiveSmallIntegerField(_("follow-up round, months after the session"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("people asked"), default=0)

    class Meta:
        ordering = ["session", "round"]
        verbose_name = _("action plan follow-up")
        verbose_name_plural = _("action plan follow-ups")
        constraints = [models.UniqueConstraint(fields=["session", "round"], name="action_follow_up_once")]

    def __str__(self):
        return f"{self.session_id} @ {self.round}"
