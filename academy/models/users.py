from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.validators import looks_like_phone, normalize_phone, validate_kyrgyz_phone, validate_year_of_birth

from .geography import Municipality
from .organisations import Organization, OrganizationKind


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Language(models.TextChoices):
    KY = "ky", "Кыргызча"
    RU = "ru", "Русский"
    EN = "en", "English"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        # People with a phone and no e-mail have accounts too (their number is on the profile).
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """Sign-in names: an e-mail address, or the mobile number of the person's profile."""
        if looks_like_phone(username):
            return self.get(profile__phone=normalize_phone(username))
        return self.get(email__iexact=username)


class User(AbstractUser):
    """An academy account. People log in with their e-mail address."""

    username = None
    # Empty (NULL) for people who sign in with their phone: unique among those who have one.
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower() or None
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        profile = getattr(self, "profile", None)
        if profile and profile.full_name:
            return profile.full_name
        return self.get_full_name() or self.email or (profile.phone if profile else "") or f"#{self.pk}"

    def __str__(self):
        return self.display_name


class ProfileQuerySet(models.QuerySet):
    def women(self):
        return self.filter(gender=Gender.FEMALE)


class Profile(models.Model):
    """What the academy knows of a participant; reports for donors are cut by these fields."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(_("full name (Cyrillic)"), max_length=200)
    full_name_latin = models.CharField(_("full name (Latin)"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[validate_year_of_birth]
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    organization_kind = models.CharField(
        _("organisation kind"), max_length=20, choices=OrganizationKind.choices, blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[validate_kyrgyz_phone], db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KY
    )
    has_disability = models.BooleanField(_("person with a disability"), default=False)
    # Where messages go (academy/services/messaging): the person's choices, and their linked Telegram chat.
    notify_by_telegram = models.BooleanField(_("messages by Telegram"), default=True)
    notify_by_email = models.BooleanField(_("messages by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("messages by SMS"), default=True)
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=32, blank=True, editable=False)
    telegram_linked_at = models.DateTimeField(_("Telegram linked at"), null=True, blank=True, editable=False)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            # One number signs in one account (phone accounts) and receives one person's messages.
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="profile_one_account_per_phone",
                violation_error_message=_("An account with this phone number already exists."),
            ),
            # One Telegram chat belongs to one person: a second link moves it (academy/services/messaging).
            models.UniqueConstraint(
                fields=["telegram_chat_id"], condition=~models.Q(telegram_chat_id=""), name="profile_one_telegram_chat"
            )
        ]

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone)
        if self.organization_id and not self.organization_kind:
            self.organization_kind = self.organization.kind
        super().save(*args, **kwargs)

    @property
    def has_consented(self):
        return self.consent_given_at is not None

    def __str__(self):
        return self.full_name
