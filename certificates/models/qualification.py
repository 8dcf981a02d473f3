"""The qualification record: trainings taken outside the academy, the academy's cycle rule, issued transcripts.

Trainings completed at the academy are not copied here: the hours ledger reads them from the completed
registrations (certificates/services/hours_ledger.py), so the ledger can never disagree with completion.
"""

import os
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from academy.reversing import cached_reverse
from courses.storage import get_private_storage


class RoleGroup(models.TextChoices):
    SERVANT = "servant", _("Municipal servants")
    HEAD = "head", _("Heads of municipalities")
    DEPUTY = "deputy", _("Deputies of local councils")


class CycleStatus(models.TextChoices):
    UP_TO_DATE = "up_to_date", _("Up to date")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ExternalTrainingSource(models.TextChoices):
    ADMIN = "admin", _("Added in the admin")
    IMPORT = "import", _("Imported list")
    DEMO = "demo", _("Demo data")


def title_key(title):
    """What makes two titles the same training: letter case, ё/е and spacing do not count."""
    return " ".join(str(title or "").casefold().replace("ё", "е").split())[:300]


def evidence_upload_to(instance, filename):
    """`external-trainings/<person id>/<random>.<ext>`: unguessable, the uploaded name is not trusted."""
    extension = os.path.splitext(filename)[1].lower()[:6]
    return f"external-trainings/{instance.user_id or 'unknown'}/{uuid.uuid4().hex}{extension}"


class ExternalTrainingQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)


class ExternalTraining(models.Model):
    """A training taken elsewhere or before the academy kept records, entered by an academy admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="external_trainings",
    )
    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    starts_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ended on"))
    hours = models.PositiveSmallIntegerField(
        _("academic hours"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    evidence = models.FileField(
        _("evidence file"),
        upload_to=evidence_upload_to,
        storage=get_private_storage,
        max_length=255,
        blank=True,
        help_text=_("A scan of the certificate or of the order (PDF, JPG or PNG). Only academy admins see it."),
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True, editable=False)
    source = models.CharField(
        _("source"), max_length=10, choices=ExternalTrainingSource.choices, default=ExternalTrainingSource.ADMIN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = ExternalTrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_on", "-pk"]
        verbose_name = _("external training")
        verbose_name_plural = _("external trainings")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="external_training_hours_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="external_training_ends_after_start"),
            models.UniqueConstraint(
                fields=["user", "title_key", "starts_on", "ends_on"], name="external_training_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["user", "ends_on"], name="external_training_user_end")]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    def save(self, *args, **kwargs):
        self.title = " ".join(self.title.split())
        self.title_key = title_key(self.title)
        super().save(*args, **kwargs)


class QualificationRule(models.Model):
    """How many hours a role group must earn, and in how many years. Set by the academy in the admin.

    A person belongs to the first group (heads, then deputies) one of whose keywords their position
    contains; everyone else is a municipal servant.
    """

    role_group = models.CharField(_("role group"), max_length=10, choices=RoleGroup.choices, unique=True)
    min_hours = models.PositiveSmallIntegerField(
        _("hours required"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    cycle_years = models.PositiveSmallIntegerField(
        _("every (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("“due soon” from (days before)"),
        default=90,
        validators=[MaxValueValidator(730)],
        help_text=_("A person is due soon this many days before their due date."),
    )
    position_keywords = models.TextField(
        _("positions of this group"),
        blank=True,
        help_text=_(
            "One word or phrase a line, in Kyrgyz or Russian: a person whose position contains one of them "
            "belongs to this group. Not used for municipal servants, who are everyone else."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role_group"]
        verbose_name = _("qualification rule")
        verbose_name_plural = _("qualification rules")
        constraints = [
            models.CheckConstraint(condition=Q(min_hours__gt=0), name="qualification_rule_hours_positive"),
            models.CheckConstraint(condition=Q(cycle_years__gt=0), name="qualification_rule_years_positive"),
        ]

    def __str__(self):
        return f"{self.get_role_group_display()}: {self.min_hours} / {self.cycle_years}"

    @property
    def keywords(self):
        return [line.strip() for line in self.position_keywords.splitlines() if line.strip()]


class Transcript(models.Model):
    """A transcript as printed: what it said on the day it was drawn, signed, found by the code in its QR."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transcripts",
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    holder_name = models.CharField(_("holder's name"), max_length=200)
    holder_name_latin = models.CharField(_("holder's name (Latin)"), max_length=200, blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict)
    digest = models.CharField(max_length=64)
    signature = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="transcript_once_per_content")]

    def __str__(self):
        return f"{self.holder_name} ({self.issued_on:%d.%m.%Y})"

    def get_verify_path(self):
        return cached_reverse("transcript_verify", self.code)
