"""External and past trainings: checked here, whether they come from the admin form or an imported list.

A training with no hours (or fewer than one), dates the wrong way round or in the future, or the same title
on the same dates as one already in the person's record is refused with a message that says why, and
nothing is written.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from academy.formats import format_range
from academy.models import Profile, User
from academy.roles import is_academy_admin
from academy.validators import normalize_phone
from certificates.models import ExternalTraining, ExternalTrainingSource, title_key
from courses.services.uploads import validate_upload

EVIDENCE_KINDS = ("pdf", "jpg", "png")
MAX_HOURS = 1000
TITLE_MAX = 300


@dataclass(frozen=True)
class TrainingValues:
    title: str
    provider: str
    starts_on: date
    ends_on: date
    hours: int


def person_label(user):
    return user.display_name if user is not None else ""


def find_person(identity):
    """The account with this e-mail address or phone number, or None."""
    identity = (identity or "").strip()
    if not identity:
        return None
    if "@" in identity:
        return User.objects.filter(email__iexact=identity).first()
    phone = normalize_phone(identity)
    if len(phone) < 8:
        return None
    profile = Profile.objects.filter(phone=phone).select_related("user").first()
    return profile.user if profile else None


def parse_hours(value):
    """Whole academic hours above zero from a number or text ("16", "16,0", "16.0"); DomainError otherwise."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        hours = value
    else:
        text = str(value if value is not None else "").strip().replace(",", ".").replace(" ", "")
        if not text:
            raise DomainError(_("Give the number of academic hours."), field="hours", code="no_hours")
        try:
            number = float(text)
        except ValueError:
            raise DomainError(
                _("“%(value)s” is not a number of hours.") % {"value": text[:20]}, field="hours", code="bad_hours"
            )
        if number != number or number in (float("inf"), float("-inf")) or not number.is_integer():
            raise DomainError(
                _("Academic hours are whole numbers: “%(value)s” is not.") % {"value": text[:20]},
                field="hours",
                code="bad_hours",
            )
        hours = int(number)
    if hours <= 0:
        raise DomainError(_("Academic hours must be more than zero."), field="hours", code="hours_not_positive")
    if hours > MAX_HOURS:
        raise DomainError(
            _("At most %(max)s academic hours for one training.") % {"max": MAX_HOURS}, field="hours", code="bad_hours"
        )
    return hours


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y")


def parse_date(value, field):
    """A date from a date or text ("2024-03-12", "12.03.2024", "12/03/2024"); DomainError naming `field`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", "", str(value or ""))
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError(
        _("“%(value)s” is not a date; write it as 31.12.2024.") % {"value": text[:20]}, field=field, code="bad_date"
    )


def check_values(*, title, starts_on, ends_on, hours, provider="", today=None):
    """Cleaned TrainingValues, or DomainError (with the field at fault) for the first problem found."""
    today = today or timezone.localdate()
    title = " ".join(str(title or "").split())
    if not title:
        raise DomainError(_("Give the training's title."), field="title", code="no_title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title is too long: at most %(max)s characters.") % {"max": TITLE_MAX}, field="title"
        )
    provider = " ".join(str(provider or "").split())[:TITLE_MAX]
    hours = parse_hours(hours)
    starts_on = parse_date(starts_on, "starts_on")
    ends_on = parse_date(ends_on, "ends_on")
    if starts_on is None and ends_on is None:
        raise DomainError(_("Give the training's dates."), field="starts_on", code="no_dates")
    starts_on, ends_on = starts_on or ends_on, ends_on or starts_on
    if ends_on < starts_on:
        raise DomainError(_("The training cannot end before it starts."), field="ends_on", code="bad_dates")
    if ends_on > today:
        raise DomainError(
            _("Only trainings that have ended can be added: the end date is in the future."),
            field="ends_on",
            code="future",
        )
    if starts_on.year < 1991:
        raise DomainError(_("The dates are too far in the past."), field="starts_on", code="bad_dates")
    return TrainingValues(title=title, provider=provider, starts_on=starts_on, ends_on=ends_on, hours=hours)


def duplicate_message(user, values):
    return _(
        "%(person)s already has “%(title)s” on these dates (%(dates)s) in their record: nothing was added."
    ) % {
        "person": person_label(user),
        "title": values.title,
        "dates": format_range(values.starts_on, values.ends_on),
    }


def find_duplicate(user, values, exclude_pk=None):
    duplicates = ExternalTraining.objects.filter(
        user=user, title_key=title_key(values.title), starts_on=values.starts_on, ends_on=values.ends_on
    )
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    return duplicates.first()


def check_training(user, *, exclude_pk=None, today=None, **raw):
    """Cleaned values for `user`'s record; DomainError when a value is wrong or the training is already there."""
    if user is None:
        raise DomainError(_("Choose the person."), field="person", code="no_person")
    values = check_values(today=today, **raw)
    if find_duplicate(user, values, exclude_pk):
        raise DomainError(duplicate_message(user, values), field="title", code="duplicate")
    return values


def check_evidence(file):
    """The evidence file's safe name; DomainError when it is not a PDF, JPG or PNG within the size limit."""
    return validate_upload(file, allowed=EVIDENCE_KINDS).name


def ensure_admin(actor):
    if not is_academy_admin(actor):
        raise PermissionDeniedError(_("Only academy admins can change the record of external trainings."))


def add_training(user, *, by, evidence=None, source=ExternalTrainingSource.ADMIN, today=None, **raw):
    """Add one external or past training to `user`'s record; returns it. DomainError changes nothing."""
    ensure_admin(by)
    values = check_training(user, today=today, **raw)
    evidence_name = check_evidence(evidence) if evidence else ""
    training = ExternalTraining(
        user=user,
        title=values.title,
        provider=values.provider,
        starts_on=values.starts_on,
        ends_on=values.ends_on,
        hours=values.hours,
        source=source,
        created_by=by,
        evidence_name=evidence_name,
    )
    if evidence:
        training.evidence.save(evidence_name, evidence, save=False)
    try:
        with transaction.atomic():
            training.save()
    except IntegrityError:  # the same training added at the same moment by someone else
        if training.evidence:
            training.evidence.delete(save=False)
        raise DomainError(duplicate_message(user, values), field="title", code="duplicate")
    return training
