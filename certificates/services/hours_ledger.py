"""The hours ledger of a person: what they trained, when, and for how many academic hours.

Two sources, read together, nothing copied:

* every completed registration at the academy (`Registration.completed_at` set by the completion
  service) credits its course's academic hours (`CoursePage.hours`) on the local date of completion;
  when completion is taken back (a trainer's override, a cancelled registration) the hours go with it;
* every external or past training an admin entered (`ExternalTraining`) credits its hours on its end date.

Reading one person's ledger takes a fixed number of queries, however long the record is.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from certificates.models import Certificate, CertificateStatus, ExternalTraining, QualificationRule
from certificates.services.qualification_cycle import Credit, Rule, cycle_state, rule_for
from courses.models import Registration

ACADEMY = "academy"
EXTERNAL = "external"
LANGUAGES = ("ky", "ru", "en")


@dataclass(frozen=True)
class LedgerEntry:
    kind: str  # ACADEMY or EXTERNAL
    ref: int  # the registration's or the external training's id
    titles: dict  # {language: title}
    provider: dict  # {language: name}
    starts_on: date
    ends_on: date
    credited_on: date
    hours: int
    certificate_number: str = ""

    def title(self, language=None):
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        return self.titles.get(language) or next((title for title in self.titles.values() if title), "")

    def provider_name(self, language=None):
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        return self.provider.get(language) or next((name for name in self.provider.values() if name), "")

    @property
    def is_external(self):
        return self.kind == EXTERNAL

    def as_dict(self, language=None):
        return {
            "kind": self.kind,
            "title": self.title(language),
            "titles": dict(self.titles),
            "provider": self.provider_name(language),
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "credited_on": self.credited_on.isoformat(),
            "hours": self.hours,
            "certificate_number": self.certificate_number,
        }


@dataclass
class Record:
    """A person's ledger with the rule that applies to them and where they stand today."""

    user: object
    entries: list
    rule: Rule
    state: object
    holder_name: str = ""
    holder_name_latin: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def total_hours(self):
        return sum(entry.hours for entry in self.entries)


def course_titles(course_ids):
    """{course page id: {language: title}}: each course's live translations, in one query."""
    from wagtail.models import Page

    ids = {course_id for course_id in course_ids if course_id is not None}
    if not ids:
        return {}
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    rows = Page.objects.filter(Q(pk__in=ids) | Q(translation_key__in=keys, live=True)).values_list(
        "pk", "translation_key", "title", "locale__language_code", "live"
    )
    own, by_key = {}, {}
    for pk, key, title, language, live in rows:
        if pk in ids:
            own[pk] = (key, title, language)
        if live:
            by_key.setdefault(key, {})[language[:2]] = title
    result = {}
    for pk, (key, title, language) in own.items():
        titles = dict(by_key.get(key, {}))
        titles.setdefault(language[:2], title)
        result[pk] = titles
    return result


def academy_names():
    from certificates.services.issuance import issuer_names

    return issuer_names()


def _local_date(value):
    return timezone.localtime(value).date()


def academy_entries(user, names=None):
    """The completed registrations of `user`, as ledger entries (3 queries)."""
    registrations = list(
        Registration.objects.of(user)
        .completed()
        .select_related("session__course")
        .only(
            "pk",
            "completed_at",
            "session__starts_at",
            "session__ends_at",
            "session__course__id",
            "session__course__hours",
            "session__course__title",
        )
    )
    if not registrations:
        return []
    titles = course_titles(registration.session.course_id for registration in registrations)
    numbers = dict(
        Certificate.objects.filter(
            registration_id__in=[registration.pk for registration in registrations], status=CertificateStatus.VALID
        ).values_list("registration_id", "number")
    )
    names = names if names is not None else academy_names()
    return [
        LedgerEntry(
            kind=ACADEMY,
            ref=registration.pk,
            titles=titles.get(registration.session.course_id) or {"ky": registration.session.course.title},
            provider=dict(names),
            starts_on=_local_date(registration.session.starts_at),
            ends_on=_local_date(registration.session.ends_at),
            credited_on=_local_date(registration.completed_at),
            hours=registration.session.course.hours,
            certificate_number=numbers.get(registration.pk, ""),
        )
        for registration in registrations
    ]


def external_entries(user):
    """The external and past trainings of `user`, as ledger entries (1 query)."""
    return [
        LedgerEntry(
            kind=EXTERNAL,
            ref=training.pk,
            titles=dict.fromkeys(LANGUAGES, training.title),
            provider=dict.fromkeys(LANGUAGES, training.provider),
            starts_on=training.starts_on,
            ends_on=training.ends_on,
            credited_on=training.ends_on,
            hours=training.hours,
        )
        for training in ExternalTraining.objects.of(user).only(
            "pk", "title", "provider", "starts_on", "ends_on", "hours"
        )
    ]


def ledger(user, names=None):
    """Every entry of `user`'s ledger, newest first."""
    entries = academy_entries(user, names) + external_entries(user)
    return sorted(entries, key=lambda entry: (entry.credited_on, entry.starts_on, entry.kind, entry.ref), reverse=True)


def credits(entries):
    return [Credit(entry.credited_on, entry.hours) for entry in entries]


def rules():
    """{role group: Rule} as the academy set them (1 query)."""
    return {rule.role_group: Rule.from_model(rule) for rule in QualificationRule.objects.all()}


def profile_of(user):
    try:
        return user.profile
    except Exception:  # no profile yet (RelatedObjectDoesNotExist)
        return None


def record(user, today=None):
    """`user`'s ledger, rule and standing on `today` (Bishkek date by default), in a bounded number of queries."""
    today = today or timezone.localdate()
    profile = profile_of(user)
    rule = rule_for(profile.position if profile else "", rules())
    entries = ledger(user)
    return Record(
        user=user,
        entries=entries,
        rule=rule,
        state=cycle_state(credits(entries), rule, today),
        holder_name=(profile.full_name if profile else "") or user.display_name,
        holder_name_latin=profile.full_name_latin if profile else "",
    )
