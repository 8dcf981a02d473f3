from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin

from academy.reversing import cached_reverse
from certificates.wording import DEFAULT_TEXTS


class PageSize(models.TextChoices):
    A4 = "A4", "A4"
    A5 = "A5", "A5"
    LETTER = "letter", _("US Letter")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")


class CertificateLanguages(models.TextChoices):
    KY = "ky", _("Kyrgyz")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    KY_RU = "ky+ru", _("Bilingual: Kyrgyz and Russian")
    KY_EN = "ky+en", _("Bilingual: Kyrgyz and English")
    RU_EN = "ru+en", _("Bilingual: Russian and English")


class CertificateTemplate(PreviewableMixin, ClusterableModel):
    """How certificates look: page, artwork, wording and signatories. A Wagtail snippet."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_default = models.BooleanField(
        _("default template"), default=False, help_text=_("Used when an issuer does not pick a template.")
    )
    page_size = models.CharField(_("page size"), max_length=10, choices=PageSize.choices, default=PageSize.A4)
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    languages = models.CharField(
        _("languages on the certificate"),
        max_length=10,
        choices=CertificateLanguages.choices,
        default=CertificateLanguages.KY_RU,
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Stretched over the whole page. A JPEG renders fastest."),
    )
    background_pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("background PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The first page is used as the background, instead of a background image."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("academy logo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    heading_ky = models.CharField(_("heading (ky)"), max_length=120, default=DEFAULT_TEXTS["ky"]["heading"])
    heading_ru = models.CharField(_("heading (ru)"), max_length=120, default=DEFAULT_TEXTS["ru"]["heading"])
    heading_en = models.CharField(_("heading (en)"), max_length=120, default=DEFAULT_TEXTS["en"]["heading"])
    intro_ky = models.CharField(_("text before the name (ky)"), max_length=255, default=DEFAULT_TEXTS["ky"]["intro"])
    intro_ru = models.CharField(_("text before the name (ru)"), max_length=255, default=DEFAULT_TEXTS["ru"]["intro"])
    intro_en = models.CharField(_("text before the name (en)"), max_length=255, default=DEFAULT_TEXTS["en"]["intro"])
    body_ky = models.TextField(_("text after the name (ky)"), default=DEFAULT_TEXTS["ky"]["body"])
    body_ru = models.TextField(_("text after the name (ru)"), default=DEFAULT_TEXTS["ru"]["body"])
    body_en = models.TextField(_("text after the name (en)"), default=DEFAULT_TEXTS["en"]["body"])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("page_size"), FieldPanel("orientation")]), FieldPanel("languages")],
            heading=_("Page"),
        ),
        MultiFieldPanel(
            [FieldPanel("background_image"), FieldPanel("background_pdf"), FieldPanel("logo")],
            heading=_("Artwork"),
        ),
        FieldPanel("licence_number"),
        MultiFieldPanel(
            [FieldPanel("heading_ky"), FieldPanel("intro_ky"), FieldPanel("body_ky")], heading=_("Texts (ky)")
        ),
        MultiFieldPanel(
            [FieldPanel("heading_ru"), FieldPanel("intro_ru"), FieldPanel("body_ru")], heading=_("Texts (ru)")
        ),
        MultiFieldPanel(
            [FieldPanel("heading_en"), FieldPanel("intro_en"), FieldPanel("body_en")], heading=_("Texts (en)")
        ),
        InlinePanel("signatories", heading=_("Signatories"), label=_("Signatory"), max_num=3),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_template"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Marking a template as the default takes the mark off the previous one, in one transaction.
        with transaction.atomic():
            if self.is_default:
                CertificateTemplate.objects.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
            super().save(*args, **kwargs)

    @property
    def language_list(self):
        return self.languages.split("+")

    def texts(self):
        return {
            code: {
                "heading": getattr(self, f"heading_{code}"),
                "intro": getattr(self, f"intro_{code}"),
                "body": getattr(self, f"body_{code}"),
            }
            for code in ("ky", "ru", "en")
        }

    # Live preview in the snippet editor: a sample certificate drawn from the unsaved form.
    preview_modes = [("pdf", _("Sample PDF")), ("png", _("Sample image"))]

    @property
    def default_preview_size(self):
        return "desktop"

    def serve_preview(self, request, mode_name):
        from certificates.services.templates import preview_response

        return preview_response(self, mode_name)


class Signatory(Orderable):
    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=120)
    name_latin = models.CharField(_("name (Latin)"), max_length=120, blank=True)
    title_ky = models.CharField(_("title (ky)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (en)"), max_length=200, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A PNG with a transparent background looks best."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_latin")]),
        FieldPanel("title_ky"),
        FieldPanel("title_ru"),
        FieldPanel("title_en"),
        FieldPanel("signature"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return self.name


class CertificateCounter(models.Model):
    """The last number given in a year. Locked while a certificate is created, so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced by a corrected certificate")


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=CertificateStatus.VALID)

    def of(self, user):
        return self.filter(user=user)

    def by_code(self, code):
        return self.filter(code=(code or "").strip().upper())


class Certificate(models.Model):
    """A completion certificate. What it certifies is copied here when it is issued and never changes."""

    registration = models.ForeignKey(
        "courses.Registration",
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="certificates"
    )
    batch = models.ForeignKey(
        "certificates.IssuanceBatch",
        verbose_name=_("issuance batch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    # The snapshot: what the certificate says, as it was on the day it was issued.
    holder_name = models.CharField(_("holder's name"), max_length=200)
    holder_name_latin = models.CharField(_("holder's name (Latin)"), max_length=200, blank=True)
    course_title = models.CharField(_("course"), max_length=500)
    course_hours = models.PositiveSmallIntegerField(_("academic hours"))
    starts_on = models.DateField(_("training started on"))
    ends_on = models.DateField(_("training ended on"))
    issued_on = models.DateField(_("issued on"))
    # The last day the certificate is valid (set at issue from the course's validity); empty: it never expires.
    expires_at = models.DateField(_("valid until"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=10)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    snapshot = models.JSONField(
        _("snapshot"), default=dict, help_text=_("Course titles, trainers, issuer, texts and signatories.")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status="valid", registration__isnull=False),
                name="one_valid_certificate_per_registration",
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_number_once_per_year"),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "revoked", "replaced"]), name="certificate_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="certificate_user_status"),
            models.Index(fields=["session", "status"], name="certificate_session_status"),
            models.Index(fields=["issued_on"], name="certificate_issued_on"),
            # The daily expiry reminders read valid certificates by their last day.
            models.Index(
                fields=["expires_at"],
                name="certificate_expires_valid",
                condition=Q(status="valid", expires_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.holder_name}"

    @property
    def is_valid(self):
        return self.status == CertificateStatus.VALID

    def is_expired(self, today=None):
        """Past its last day (a revoked or replaced certificate keeps that status instead)."""
        return self.expires_at is not None and self.expires_at < (today or timezone.localdate())

    def public_status(self, today=None):
        """The status shown to the world: the stored one, or "expired" for a valid certificate past its date."""
        if self.status == CertificateStatus.VALID and self.is_expired(today):
            return "expired"
        return self.status

    @property
    def localized_course_title(self):
        titles = self.snapshot.get("course_titles") or {}
        language = (get_language() or "ky")[:2]
        return titles.get(language) or self.course_title

    @property
    def display_holder_name(self):
        language = (get_language() or "ky")[:2]
        return self.holder_name_latin if language == "en" and self.holder_name_latin else self.holder_name

    def get_verify_path(self):
        return cached_reverse("certificate_verify", self.code)


class CertificateEvent(models.Model):
    """The audit trail of a certificate: who did what, when and why."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")
        REISSUED = "reissued", _("Issued as a correction")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")

    def __str__(self):
        return f"{self.certificate_id} {self.kind} {self.created_at:%Y-%m-%d}"


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Issuing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PartState(models.TextChoices):
    """Where one part of a batch stands (IssuanceBatch.part_results)."""

    RUNNING = "running", _("Issuing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class IssuanceBatch(models.Model):
    """One bulk issuance. Progress lives here, so the admin and the API can follow it from any process."""

    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate_batches",
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="batches"
    )
    registration_ids = models.JSONField(_("registrations"), default=list)
    language = models.CharField(_("language"), max_length=2, default="ky")
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    total = models.PositiveIntegerField(_("registrations"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    issued_count = models.PositiveIntegerField(_("issued"), default=0)
    existing_count = models.PositiveIntegerField(_("already issued"), default=0)
    skipped = models.JSONField(_("skipped"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    runs = models.PositiveSmallIntegerField(_("runs"), default=0)
    parts = models.PositiveSmallIntegerField(
        _("parts"), default=0, help_text=_("How many parts the batch is split into for the workers (0: not yet).")
    )
    part_results = models.JSONField(_("progress of the parts"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issuance batch")
        verbose_name_plural = _("issuance batches")

    def __str__(self):
        return f"#{self.pk} {self.session or ''} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)

    @property
    def percent(self):
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed / self.total))

    @property
    def skipped_count(self):
        return len(self.skipped)

    def part_state(self, part):
        return (self.part_results.get(str(part)) or {}).get("state")

    @property
    def parts_done(self):
        return sum(self.part_state(part) == PartState.DONE for part in range(self.parts))


class IssuerKey(models.Model):
    """The academy's Ed25519 key for dev and test, when ACADEMY_SIGNING_KEY is empty. One row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    private_key_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="issuer_key_singleton")]

    def __str__(self):
        return f"issuer key ({self.created_at:%Y-%m-%d})"
