"""Cleaning one row of a list: names, e-mail, phone, organisation, municipality, gender, year of birth.

What cannot be read becomes a warning (the value is left empty) or, without any identity, an error.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from academy.models import Municipality, OrganizationKind
from academy.validators import normalize_phone, validate_kyrgyz_phone, validate_year_of_birth
from courses.models import RegistrationStatus
from courses.services import import_matching as matching
from courses.services.imports.mapping import normalize_text

FEMALE = {"ж", "жен", "женский", "женщина", "аял", "а", "f", "female", "w", "woman", "кыз"}
MALE = {"м", "муж", "мужской", "мужчина", "эркек", "э", "m", "male", "man"}
KIND_WORDS = [
    ("ayil_okmotu", ["айыл өкмөтү", "айыл окмоту", "а ө", "а о", "ао", "ayil okmotu", "rural executive"]),
    ("city_hall", ["мэрия", "шаардык мэрия", "city hall", "мэриясы"]),
    ("local_council", ["кеңеш", "кенеш", "жергиликтүү кеңеш", "местный кенеш", "local council", "council"]),
    ("state_body", ["государственный орган", "мамлекеттик орган", "министерство", "state body", "ministry"]),
    ("ngo", ["нко", "нпо", "ngo", "бейөкмөт уюм", "коомдук бирикме", "общественное объединение"]),
]


@dataclass
class RowResult:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    user: object = None
    identity: str = ""
    action: str = ""  # "create", "match", "already", "conflict" (organiser decides), "skip", "" (error)
    status: str = ""  # the registration status given (or that would be given)
    candidate: object = None  # the account a conflicting row might be
    conflict: str = ""

    @property
    def account_name(self):
        """The matched (or conflicting) account's own name, never the row's."""
        return matching.account_name(self.user or self.candidate)

    @property
    def ok(self):
        return not self.errors

    @property
    def action_label(self):
        return {
            "create": _("New account"),
            "match": _("Existing account"),
            "already": _("Already registered"),
            "conflict": _("Conflict: choose"),
            "skip": _("Skipped"),
        }.get(self.action, "")

    @property
    def status_label(self):
        return str(dict(RegistrationStatus.choices).get(self.status, ""))


def municipality_index():
    index = {}
    for municipality in Municipality.objects.all():
        for name in (municipality.name_ky, municipality.name_ru, municipality.name_en):
            key = _municipality_key(name)
            if key:
                index.setdefault(key, municipality)
    return index


MUNICIPALITY_SUFFIXES = re.compile(
    r"\b(айыл аймагы|айылдык аймак|айылный аймак|айыл өкмөтү|айыл окмоту|а а|а ө|а о|аа|ао|шаары|город|г|"
    r"rural municipality|municipality|ayil aimak|aiyl aimak)\b"
)


def _municipality_key(name):
    return " ".join(MUNICIPALITY_SUFFIXES.sub(" ", normalize_text(name)).split())


def _organization_kind(value, organization_name):
    text = normalize_text(value)
    if text:
        codes = {code for code, _label in OrganizationKind.choices}
        if text.replace(" ", "_") in codes:
            return text.replace(" ", "_"), None
        labels = {normalize_text(label): code for code, label in OrganizationKind.choices}
        if text in labels:
            return labels[text], None
    for source in (text, normalize_text(organization_name)):
        if not source:
            continue
        for code, words in KIND_WORDS:
            if any(re.search(rf"(^| ){re.escape(word)}($| )", source) for word in words):
                return code, None
    if text:
        return "", _("Unknown organisation kind “%(value)s”; left empty.") % {"value": value}
    return "", None


def _year(value):
    text = str(value or "").strip()
    if not text:
        return None
    match = re.search(r"\b(19\d{2}|20\d{2})\b", text)
    return int(match.group(1)) if match else "invalid"


def clean_row(number, cells, mapping, municipalities):
    raw = {name: cells[index].strip() for index, name in mapping.items() if index < len(cells)}
    row = RowResult(number=number, values={})
    values = row.values
    full_name = raw.get("full_name") or " ".join(
        part for part in (raw.get("last_name"), raw.get("first_name"), raw.get("middle_name")) if part
    )
    values["full_name"] = full_name[:200]

    email = (raw.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
            values["email"] = email
        except ValidationError:
            row.warnings.append(_("“%(value)s” is not a valid e-mail address; ignored.") % {"value": email})
    phone_text = re.split(r"[,;/]", raw.get("phone") or "")[0].strip()
    if phone_text:
        phone = normalize_phone(phone_text)
        try:
            validate_kyrgyz_phone(phone)
            values["phone"] = phone
        except ValidationError:
            row.warnings.append(_("“%(value)s” is not a Kyrgyz phone number; ignored.") % {"value": phone_text})

    values["position"] = (raw.get("position") or "")[:200]
    values["organization"] = (raw.get("organization") or "")[:255]
    kind, warning = _organization_kind(raw.get("organization_kind"), values["organization"])
    values["organization_kind"] = kind
    if warning:
        row.warnings.append(warning)

    municipality_text = raw.get("municipality") or ""
    values["municipality"] = None
    if municipality_text:
        municipality = municipalities.get(_municipality_key(municipality_text))
        if municipality is None:
            row.warnings.append(_("Municipality “%(value)s” not found; left empty.") % {"value": municipality_text})
        values["municipality"] = municipality

    gender_text = normalize_text(raw.get("gender"))
    values["gender"] = ""
    if gender_text in FEMALE:
        values["gender"] = "female"
    elif gender_text in MALE:
        values["gender"] = "male"
    elif gender_text:
        row.warnings.append(_("Gender “%(value)s” not recognised; left empty.") % {"value": raw.get("gender")})

    year = _year(raw.get("year_of_birth"))
    values["year_of_birth"] = None
    if year == "invalid":
        row.warnings.append(
            _("Year of birth “%(value)s” not recognised; left empty.") % {"value": raw["year_of_birth"]}
        )
    elif year is not None:
        try:
            validate_year_of_birth(year)
            values["year_of_birth"] = year
        except ValidationError as error:
            row.warnings.append(error.messages[0])

    if not values.get("email") and not values.get("phone"):
        row.errors.append(_("An e-mail address or a Kyrgyz phone number is needed to identify the person."))
    return row
