"""Import of external and past trainings from a spreadsheet (.xlsx, .csv), the way participant lists are imported.

The file is read and kept between the steps by the participant import (courses.services.imports: the same
size and row limits, encodings, header detection); the columns are mapped from the headers (Kyrgyz,
Russian, English), every row is checked in a dry run, and only then written. People are found by e-mail
or phone among existing accounts (nobody is created here). A row with no hours, hours ≤ 0, bad dates, an
unknown person or a training already in the person's record changes nothing; the other rows go in.
Importing the same file again adds nothing.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.errors import DomainError
from academy.models import Profile, User
from academy.validators import normalize_phone
from certificates.models import ExternalTraining, ExternalTrainingSource, title_key
from certificates.services import external_trainings
from courses.services.imports import read_uploaded_preview
from courses.services.imports.mapping import clean_columns, guess_columns

FIELDS = [
    ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")),
    ("full_name", gettext_lazy("Full name")),
    ("title", gettext_lazy("Training title")),
    ("provider", gettext_lazy("Provider")),
    ("starts_on", gettext_lazy("Start date")),
    ("ends_on", gettext_lazy("End date")),
    ("hours", gettext_lazy("Academic hours")),
]

SYNONYMS = {
    "email": ["email", "e mail", "эл почта", "электрондук почта", "электронная почта", "почта", "mail"],
    "phone": ["телефон", "тел", "телефон номери", "номер телефона", "мобильный", "phone", "mobile"],
    "full_name": ["фио", "аты жөнү", "аты жону", "фамилия имя отчество", "участник", "катышуучу", "full name", "name"],
    "title": [
        "название",
        "название обучения",
        "название курса",
        "название тренинга",
        "тема",
        "курс",
        "тренинг",
        "обучение",
        "окуунун аталышы",
        "курстун аталышы",
        "аталышы",
        "темасы",
        "окуу",
        "title",
        "training",
        "course",
    ],
    "provider": [
        "организатор",
        "провайдер",
        "кем проведено",
        "обучающая организация",
        "уюштуруучу",
        "окуткан уюм",
        "уюм",
        "provider",
        "organiser",
        "organizer",
    ],
    "starts_on": [
        "дата начала",
        "начало",
        "с",
        "башталган күнү",
        "башталышы",
        "башталган датасы",
        "start",
        "start date",
        "from",
        "дата",
        "күнү",
        "date",
    ],
    "ends_on": [
        "дата окончания",
        "окончание",
        "по",
        "аяктаган күнү",
        "аякташы",
        "аяктаган датасы",
        "end",
        "end date",
        "to",
    ],
    "hours": [
        "часы",
        "часов",
        "количество часов",
        "академических часов",
        "академические часы",
        "саат",
        "саат саны",
        "академиялык саат",
        "hours",
        "academic hours",
    ],
}


def field_choices():
    return [(name, str(label)) for name, label in FIELDS]


def guess_mapping(headers):
    """{column index: field} guessed from the headers; each field at most once."""
    return guess_columns(headers, SYNONYMS)


def preview(table, mapping=None):
    return read_uploaded_preview(table, guess_mapping(table.headers) if mapping is None else mapping)


def check_mapping(mapping, headers):
    """{column index: field} cleaned; DomainError naming what is missing or doubled."""
    cleaned = clean_columns(mapping, headers, FIELDS)
    seen = set(cleaned.values())
    labels = dict(FIELDS)
    if not {"email", "phone"} & seen:
        raise DomainError(
            _("Map a column to E-mail or Phone: people are identified by them."), field="mapping", code="no_identity"
        )
    missing = [labels[name] for name in ("title", "hours") if name not in seen]
    if not {"starts_on", "ends_on"} & seen:
        missing.append(labels["ends_on"])
    if missing:
        raise DomainError(
            _("Map a column to each of: %(fields)s.") % {"fields": ", ".join(str(label) for label in missing)},
            field="mapping",
            code="missing_fields",
        )
    return cleaned


@dataclass
class RowResult:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    user: object = None
    training: object = None  # the checked TrainingValues
    action: str = ""  # "add", "already" (in the record: nothing changes), "" (error)
    note: str = ""

    @property
    def ok(self):
        return not self.errors

    @property
    def person_name(self):
        return external_trainings.person_label(self.user)

    @property
    def action_label(self):
        return {"add": _("Will be added"), "added": _("Added"), "already": _("Already in the record")}.get(
            self.action, ""
        )


@dataclass
class ImportReport:
    rows: list
    dry_run: bool

    def _count(self, *actions):
        return sum(1 for row in self.rows if row.action in actions)

    @property
    def added(self):
        return self._count("add", "added")

    @property
    def already(self):
        return self._count("already")

    @property
    def errors(self):
        return sum(1 for row in self.rows if row.errors)

    def summary(self):
        return {"rows": len(self.rows), "added": self.added, "already": self.already, "errors": self.errors}


def _people(rows):
    """{("email", e-mail) | ("phone", phone): user} for every identity named in the rows, in two queries."""
    emails = {row.values["email"].lower() for row in rows if row.values.get("email")}
    phones = {normalize_phone(row.values["phone"]) for row in rows if row.values.get("phone")}
    found = {}
    if emails:
        for user in User.objects.filter(email__in=emails).select_related("profile"):
            found[("email", user.email)] = user
    if phones:
        for profile in Profile.objects.filter(phone__in=phones).select_related("user__profile"):
            found[("phone", profile.phone)] = profile.user
    return found


def _existing(users):
    """{(user id, title key, start, end)} already in the records of these people (one query)."""
    return set(
        ExternalTraining.objects.filter(user__in=users).values_list("user_id", "title_key", "starts_on", "ends_on")
    )


def check_rows(table, mapping, today=None):
    """Every row checked against the record, nothing written: a list of RowResult."""
    rows = []
    for number, cells in table.rows:
        values = {name: cells[index] if index < len(cells) else "" for index, name in mapping.items()}
        rows.append(RowResult(number=number, values=values))
    people = _people(rows)
    for row in rows:
        email = (row.values.get("email") or "").strip().lower()
        phone = normalize_phone(row.values.get("phone"))
        row.user = people.get(("email", email)) or people.get(("phone", phone))
        if row.user is None:
            identity = email or row.values.get("phone") or ""
            row.errors.append(
                _("No account with the e-mail or phone “%(identity)s”: add the person first.")
                % {"identity": identity[:80]}
                if identity
                else _("The row has no e-mail or phone.")
            )
    existing = _existing({row.user for row in rows if row.user is not None})
    in_file = {}
    for row in rows:
        try:
            row.training = external_trainings.check_values(
                title=row.values.get("title"),
                provider=row.values.get("provider"),
                starts_on=row.values.get("starts_on"),
                ends_on=row.values.get("ends_on"),
                hours=row.values.get("hours"),
                today=today,
            )
        except DomainError as error:
            row.errors.append(str(error.message))
            continue
        if row.errors:
            continue
        key = (row.user.pk, title_key(row.training.title), row.training.starts_on, row.training.ends_on)
        if key in in_file:
            row.errors.append(
                _("Repeats row %(number)s (same person, title and dates): nothing is added.")
                % {"number": in_file[key]}
            )
        elif key in existing:
            row.action = "already"
            row.note = external_trainings.duplicate_message(row.user, row.training)
        else:
            row.action = "add"
            in_file[key] = row.number
    return rows


def run_import(table, mapping, *, actor, dry_run=False, today=None):
    """Check (and unless `dry_run`, add) the rows; returns an ImportReport. Only academy admins may import."""
    external_trainings.ensure_admin(actor)
    mapping = check_mapping(mapping, table.headers)
    rows = check_rows(table, mapping, today=today)
    if not dry_run:
        for row in rows:
            if row.action != "add":
                continue
            values = row.training
            try:
                with transaction.atomic():
                    ExternalTraining.objects.create(
                        user=row.user,
                        title=values.title,
                        provider=values.provider,
                        starts_on=values.starts_on,
                        ends_on=values.ends_on,
                        hours=values.hours,
                        source=ExternalTrainingSource.IMPORT,
                        created_by=actor,
                    )
            except IntegrityError:  # added by someone else since the check
                row.action = "already"
                row.note = external_trainings.duplicate_message(row.user, values)
            else:
                row.action = "added"
    return ImportReport(rows=rows, dry_run=dry_run)

