"""Import of participant lists (.xlsx, .csv) into a session.

Organisers keep lists in spreadsheets with headers in Kyrgyz or Russian ("Аты-жөнү", "ФИО",
"Телефон", "Кызматы", "Айыл аймагы"...). The import runs in steps: read the file (bounded in
size and rows), guess the column mapping from the headers, check every row (a dry run shows
the errors row by row), then import. People are matched by e-mail or phone, or created
without a password and invited; each is registered through the registration service, so
capacity is respected and extra people are waitlisted. A bad row never stops the good ones,
and importing the same file again creates nothing new.
"""

import csv
import io
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy import spreadsheets
from academy.errors import DomainError, PermissionDeniedError
from academy.models import Municipality, OrganizationKind, Profile, User
from academy.roles import PARTICIPANTS, is_academy_admin
from academy.services.accounts import organization_for
from academy.validators import normalize_phone, validate_kyrgyz_mobile, validate_kyrgyz_phone, validate_year_of_birth
from courses.models import Registration, RegistrationSource, RegistrationStatus
from courses.services import import_matching as matching
from courses.services import registration as registration_service
from courses.services.import_matching import RESOLUTIONS  # noqa: F401 (the admin view reads it here)

MAX_ROWS = 2000
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 10
MAX_EMPTY_RUN = 1000  # stop reading after this many empty rows in a row (sheets formatted to the bottom)
UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = 24 * 3600
EXTENSIONS = (".xlsx", ".xlsm", ".csv")

FIELDS = [
    ("full_name", gettext_lazy("Full name")),
    ("last_name", gettext_lazy("Surname")),
    ("first_name", gettext_lazy("First name")),
    ("middle_name", gettext_lazy("Patronymic")),
    ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")),
    ("position", gettext_lazy("Position")),
    ("organization", gettext_lazy("Organisation")),
    ("organization_kind", gettext_lazy("Organisation kind")),
    ("municipality", gettext_lazy("Municipality")),
    ("gender", gettext_lazy("Gender")),
    ("year_of_birth", gettext_lazy("Year of birth")),
]
FIELD_NAMES = [name for name, _label in FIELDS]

# Normalised header texts seen in organisers' lists (Kyrgyz, Russian, English).
SYNONYMS = {
    "full_name": [
        "фио",
        "ф и о",
        "аты жөнү",
        "аты жону",
        "толук аты жөнү",
        "катышуучунун аты жөнү",
        "фамилиясы аты",
        "фамилиясы аты жөнү",
        "фамилия имя отчество",
        "фамилия имя",
        "фамилия и имя",
        "фио участника",
        "участник",
        "катышуучу",
        "full name",
        "name",
    ],
    "last_name": ["фамилия", "фамилиясы", "surname", "last name", "family name"],
    "first_name": ["имя", "аты", "first name", "given name"],
    "middle_name": ["отчество", "атасынын аты", "patronymic", "middle name"],
    "email": [
        "email",
        "e mail",
        "e mail address",
        "email address",
        "эл почта",
        "эл почтасы",
        "электрондук почта",
        "электронная почта",
        "электрондук дарек",
        "почта",
        "mail",
    ],
    "phone": [
        "телефон",
        "тел",
        "телефону",
        "телефон номери",
        "номер телефона",
        "байланыш телефону",
        "уюлдук телефон",
        "мобильный телефон",
        "мобильный",
        "контакты",
        "phone",
        "mobile",
        "phone number",
    ],
    "position": ["должность", "кызматы", "кызмат орду", "ээлеген кызматы", "position", "job title"],
    "organization": [
        "организация",
        "место работы",
        "мекеме",
        "мекемеси",
        "уюм",
        "уюму",
        "иштеген жери",
        "иш орду",
        "organisation",
        "organization",
        "employer",
    ],
    "organization_kind": [
        "тип организации",
        "вид организации",
        "уюмдун түрү",
        "organisation kind",
        "organization type",
    ],
    "municipality": [
        "айыл аймагы",
        "айылдык аймак",
        "айылный аймак",
        "айыл өкмөтү",
        "муниципалитет",
        "аймак",
        "municipality",
    ],
    "gender": ["пол", "жынысы", "жыныс", "gender", "sex"],
    "year_of_birth": [
        "год рождения",
        "туулган жылы",
        "туулган жыл",
        "дата рождения",
        "туулган күнү",
        "г р",
        "year of birth",
        "birth year",
        "date of birth",
    ],
}

FEMALE = {"ж", "жен", "женский", "женщина", "аял", "а", "f", "female", "w", "woman", "кыз"}
MALE = {"м", "муж", "мужской", "мужчина", "эркек", "э", "m", "male", "man"}
KIND_WORDS = [
    ("ayil_okmotu", ["айыл өкмөтү", "айыл окмоту", "а ө", "а о", "ао", "ayil okmotu", "rural executive"]),
    ("city_hall", ["мэрия", "шаардык мэрия", "city hall", "мэриясы"]),
    ("local_council", ["кеңеш", "кенеш", "жергиликтүү кеңеш", "местный кенеш", "local council", "council"]),
    ("state_body", ["государственный орган", "мамлекеттик орган", "министерство", "state body", "ministry"]),
    ("ngo", ["нко", "нпо", "ngo", "бейөкмөт уюм", "коомдук бирикме", "общественное объединение"]),
]


def normalize_text(value):
    """Lower case, ё→е, punctuation to spaces, spaces collapsed: "Аты-жөнү:" → "аты жөнү"."""
    text = str(value or "").lower().replace("ё", "е")
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE).replace("_", " ")
    return " ".join(text.split())


def field_choices():
    return [(name, str(label)) for name, label in FIELDS]


def _header_field(header):
    text = normalize_text(header)
    if not text:
        return None
    best, best_length = None, 0
    for name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            if (text == synonym or text.startswith(synonym + " ")) and len(synonym) > best_length:
                best, best_length = name, len(synonym)
    return best


def guess_mapping(headers):
    """{column index: field name} guessed from the header texts; each field at most once."""
    mapping, used = {}, set()
    for index, header in enumerate(headers):
        name = _header_field(header)
        if name and name not in used:
            mapping[index] = name
            used.add(name)
    return mapping


def check_mapping(mapping, headers):
    """Validate {column index: field}; returns it cleaned (ints, known fields, each field once)."""
    cleaned, seen = {}, {}
    for index, name in mapping.items():
        if not name:
            continue
        # int("¹") raises: only ASCII digits count as a column number; a field name must be a string.
        if not isinstance(name, str) or not re.fullmatch(r"[0-9]{1,4}", str(index)):
            raise DomainError(_("The column mapping is not valid."), field="mapping")
        index = int(index)
        if name not in FIELD_NAMES or not 0 <= index < len(headers):
            raise DomainError(_("The column mapping is not valid."), field="mapping")
        if name in seen:
            raise DomainError(
                _("Two columns are mapped to “%(field)s”: choose one.") % {"field": dict(FIELDS)[name]},
                field="mapping",
            )
        seen[name] = index
        cleaned[index] = name
    if "email" not in seen and "phone" not in seen:
        raise DomainError(
            _("Map a column to E-mail or Phone: people are identified by them."), field="mapping", code="no_identity"
        )
    if "full_name" not in seen and not ({"last_name", "first_name"} & set(seen)) and "email" not in seen:
        raise DomainError(_("Map a column to Full name."), field="mapping", code="no_name")
    return cleaned


def parse_mapping_spec(spec, headers):
    """The --mapping option of the command: "Header=field;Header 2=field" or JSON; headers or 1-based numbers."""
    import json

    if not spec:
        return guess_mapping(headers)
    try:
        pairs = json.loads(spec)
        if not isinstance(pairs, dict):
            raise ValueError
    except RecursionError as error:  # '[' * 10000: nested beyond what the parser takes
        raise DomainError(_("The column mapping is not valid."), field="mapping") from error
    except ValueError:
        pairs = {}
        for part in re.split(r"[;\n]", spec):
            if "=" in part:
                key, value = part.rsplit("=", 1)
                pairs[key.strip()] = value.strip()
    normalized_headers = [normalize_text(header) for header in headers]
    mapping = {}
    for key, name in pairs.items():
        key = str(key)
        if not isinstance(name, str):  # {"E-mail": {"nested": "json"}}
            raise DomainError(_("The column mapping is not valid."), field="mapping")
        if re.fullmatch(r"[0-9]{1,4}", key):  # not str.isdigit(): "¹" is a digit to it, but int("¹") fails
            index = int(key) - 1
        elif normalize_text(key) in normalized_headers:
            index = normalized_headers.index(normalize_text(key))
        else:
            raise DomainError(_("No column “%(column)s” in the file.") % {"column": key}, field="mapping")
        mapping[index] = name
    return check_mapping(mapping, headers)


# --- reading files -------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list
    rows: list  # [(spreadsheet row number, [cell text, ...]), ...]
    filename: str = ""

    def samples(self, index, count=3):
        values = [cells[index] for _number, cells in self.rows if index < len(cells) and cells[index]]
        return values[:count]


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _xlsx_rows(path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign file
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            yield number, [_cell_text(value) for value in row]
    except DomainError:
        raise
    except Exception as error:
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx)."), field="file") from error
    finally:
        workbook.close()


def _detect_encoding(sample):
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            if encoding == "utf-8-sig" and error.start >= len(sample) - 3:
                return encoding  # a character cut at the end of the sample
    return "cp1251"  # Excel's "CSV" on Russian Windows


# Excel's plain "CSV" on Windows is Windows-1251, which has no ө, ү, ң (nor Ө, Ү, Ң): Excel writes "?"
# instead, and "Т?л?г?нов ?м?рбек" would print on a certificate. A "?" between Cyrillic letters, or
# starting a Cyrillic word, is such a lost letter (a real question mark ends a word). A Windows-1251 file
# with only Russian letters loses nothing and is read as Windows-1251.
LOST_LETTER = re.compile(r"[А-ЯЁа-яёӨөҮүҢң]\?+[А-ЯЁа-яёӨөҮүҢң]|(?:^|[\s(\"«])\?+[А-ЯЁа-яёӨөҮүҢң]{2,}")


def _refuse_lost_letters(number, cells):
    for value in cells:
        if LOST_LETTER.search(value):
            raise DomainError(
                _(
                    "Row %(number)s has “?” instead of letters (“%(value)s”): the file was saved in an encoding "
                    "without the Kyrgyz letters ө, ү, ң. In Excel choose File → Save as → “CSV UTF-8” "
                    "(or save it as an .xlsx workbook) and upload it again."
                )
                % {"number": number, "value": value[:60]},
                field="file",
                code="lost_letters",
            )


def _csv_rows(path):
    with open(path, "rb") as raw:
        sample = raw.read(64 * 1024)
    encoding = _detect_encoding(sample)
    if encoding == "utf-16" and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "cp1251"
    text_sample = sample.decode(encoding, errors="replace")[:8192]
    try:
        dialect = csv.Sniffer().sniff(text_sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first_line = text_sample.splitlines()[0] if text_sample else ""
        delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for number, row in enumerate(reader, start=1):
                cells = [_cell_text(value) for value in row[:MAX_COLUMNS]]
                _refuse_lost_letters(number, cells)
                yield number, cells
    except csv.Error as error:
        raise DomainError(_("The file could not be read as a CSV table."), field="file") from error


def read_table(path, filename=None, *, max_rows=MAX_ROWS):
    """Read the first sheet (or the CSV): find the header row, then up to `max_rows` non-empty data rows."""
    filename = filename or str(path)
    extension = Path(filename).suffix.lower()
    if extension not in EXTENSIONS:
        raise DomainError(_("Upload the list as an .xlsx or .csv file."), field="file", code="bad_file_type")
    rows = _xlsx_rows(path) if extension in (".xlsx", ".xlsm") else _csv_rows(path)
    head = []
    for number, cells in rows:
        if any(cells):
            head.append((number, cells))
            if len(head) >= HEADER_SCAN_ROWS:
                break
    if not head:
        raise DomainError(_("The file is empty."), field="file", code="empty")
    # The header is the row that names the most known columns (lists often start with a title line).
    scored = [(len(guess_mapping(cells)), -position) for position, (_number, cells) in enumerate(head)]
    best = max(range(len(head)), key=lambda position: scored[position])
    header_number, headers = head[best]
    width = max([len(headers)] + [len(cells) for _number, cells in head[best + 1 :]])
    data = [(number, cells) for number, cells in head[best + 1 :]]
    empty_run = 0
    for number, cells in rows:
        if not any(cells):
            empty_run += 1
            if empty_run > MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        data.append((number, cells))
        width = max(width, len(cells))
        if len(data) > max_rows:
            raise DomainError(
                _("The list has more than %(count)s rows; please split it into several files.") % {"count": max_rows},
                field="file",
                code="too_many_rows",
            )
    headers = list(headers) + [""] * (width - len(headers))
    headers = [header or _("Column %(number)s") % {"number": index + 1} for index, header in enumerate(headers)]
    data = [(number, list(cells) + [""] * (width - len(cells))) for number, cells in data]
    if not data:
        raise DomainError(_("The file has a header but no participants."), field="file", code="empty")
    return Table(headers=headers, rows=data, filename=Path(filename).name)


# --- uploads kept between the steps ---------------------------------------------------------------


def _upload_storage():
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / UPLOAD_DIR)


def check_upload(uploaded):
    limit = settings.ACADEMY_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise DomainError(
            _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)},
            field="file",
            code="too_large",
        )
    if Path(uploaded.name or "").suffix.lower() not in EXTENSIONS:
        raise DomainError(_("Upload the list as an .xlsx or .csv file."), field="file", code="bad_file_type")


def save_upload(uploaded):
    """Keep an uploaded list under PRIVATE_MEDIA_ROOT until the import is confirmed; returns its stored name."""
    check_upload(uploaded)
    storage = _upload_storage()
    remove_old_uploads(storage)
    name = uuid.uuid4().hex + Path(uploaded.name).suffix.lower()
    return storage.save(name, uploaded)


STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(xlsx|xlsm|csv)$")


def upload_path(name):
    if not STORED_NAME.match(name or ""):
        raise DomainError(_("The uploaded file has expired; please upload it again."), field="file", code="expired")
    storage = _upload_storage()
    if not storage.exists(name):
        raise DomainError(_("The uploaded file has expired; please upload it again."), field="file", code="expired")
    return storage.path(name)


def delete_upload(name):
    if STORED_NAME.match(name or ""):
        storage = _upload_storage()
        if storage.exists(name):
            storage.delete(name)


def remove_old_uploads(storage=None):
    storage = storage or _upload_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return
    limit = time.time() - UPLOAD_MAX_AGE
    for name in files:
        path = Path(storage.path(name))
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue


# --- checking rows --------------------------------------------------------------------------------


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


@dataclass
class ImportReport:
    rows: list
    dry_run: bool

    def count(self, **conditions):
        return sum(1 for row in self.rows if all(getattr(row, key) == value for key, value in conditions.items()))

    @property
    def errors(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def created(self):
        return self.count(action="create")

    @property
    def created_phone_only(self):
        """New accounts with a phone and no e-mail: they sign in first with a printed slip or a message."""
        return sum(1 for row in self.rows if row.action == "create" and not row.values.get("email"))

    @property
    def matched(self):
        return self.count(action="match")

    @property
    def already(self):
        return self.count(action="already")

    @property
    def conflicts(self):
        return self.count(action="conflict")

    @property
    def confirmed(self):
        return sum(1 for row in self.rows if row.action in ("create", "match") and row.status == "confirmed")

    @property
    def waitlisted(self):
        return sum(1 for row in self.rows if row.action in ("create", "match") and row.status == "waitlisted")

    def summary(self):
        return {
            "rows": len(self.rows),
            "created": self.created,
            "created_phone_only": self.created_phone_only,
            "matched": self.matched,
            "already_registered": self.already,
            "confirmed": self.confirmed,
            "waitlisted": self.waitlisted,
            "conflicts": self.conflicts,
            "errors": self.errors,
        }


def _municipality_index():
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


def _clean_row(number, cells, mapping, municipalities):
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


def _conflict(row, user, reason):
    row.action, row.candidate, row.conflict = "conflict", user, reason


def _resolve_people(rows, resolutions=None):
    """Match rows to accounts (see import_matching for the rules); two bulk queries whatever the number of rows.

    `resolutions` is {row number: "existing" | "new" | "skip"}, the organiser's choice for conflicting rows.
    """
    resolutions = resolutions or {}
    emails = {row.values["email"] for row in rows if row.values.get("email")}
    phones = {row.values["phone"] for row in rows if row.values.get("phone")}
    users_by_email = {user.email: user for user in User.objects.filter(email__in=emails).select_related("profile")}
    users_by_phone = {}
    for profile in Profile.objects.filter(phone__in=phones).select_related("user"):
        users_by_phone.setdefault(profile.phone, []).append(profile.user)
    first_row_of = {}
    for row in rows:
        if row.errors:
            continue
        email, phone, name = row.values.get("email"), row.values.get("phone"), row.values["full_name"]
        phone_users = users_by_phone.get(phone, []) if phone else []
        user = users_by_email.get(email) if email else None
        if user is not None:
            if phone_users and user not in phone_users:
                row.warnings.append(_("The phone number belongs to another account; matched by e-mail."))
            if name and not matching.names_agree(name, matching.account_name(user)):
                _conflict(row, user, _("The e-mail address belongs to an account with another name."))
        elif phone_users:
            if len(phone_users) > 1:
                row.errors.append(_("Several accounts have this phone number; add the e-mail address to the list."))
                continue
            if email:
                _conflict(
                    row, phone_users[0], _("The e-mail address has no account, but the phone number belongs to one.")
                )
            elif not name or not matching.names_agree(name, matching.account_name(phone_users[0])):
                _conflict(row, phone_users[0], _("The phone number belongs to an account with another name."))
            else:
                user = phone_users[0]
        if row.action == "conflict":
            choice = resolutions.get(row.number)
            if choice == "existing":
                user = row.candidate
            elif choice == "new":
                if not email or email in users_by_email:
                    row.errors.append(_("A new person needs an e-mail address that no account uses."))
                    continue
                user = None
                if phone_users:
                    row.values["phone"] = ""
                    row.warnings.append(_("The phone number stays with the existing account; the new person has none."))
            elif choice == "skip":
                row.action = "skip"
                continue
            else:
                continue  # unresolved: shown to the organiser, never imported
        if user is None and not email:
            if not row.values.get("phone"):
                row.errors.append(_("A new person needs an e-mail address or a Kyrgyz mobile number that no account uses."))
                continue
            try:
                # A phone-only account signs in with its number and gets its messages by SMS: a landline cannot.
                validate_kyrgyz_mobile(row.values["phone"])
            except ValidationError as error:
                row.errors.append(
                    _("A new person without an e-mail address needs a mobile number: %(reason)s")
                    % {"reason": " ".join(error.messages)}
                )
                continue
        if user is None and not name:
            row.errors.append(_("The full name is missing."))
            continue
        row.user = user
        row.identity = f"user:{user.pk}" if user else (f"email:{email}" if email else f"phone:{row.values['phone']}")
        if row.identity in first_row_of:
            row.errors.append(_("The same person as in row %(number)s.") % {"number": first_row_of[row.identity]})
            row.user = None
            row.action = ""
            continue
        first_row_of[row.identity] = row.number
        row.action = "match" if user else "create"


def check_rows(session, table, mapping, resolutions=None):
    """Clean every row and match people, without writing anything."""
    mapping = check_mapping(mapping, table.headers)
    municipalities = _municipality_index()
    rows = [_clean_row(number, cells, mapping, municipalities) for number, cells in table.rows]
    _resolve_people(rows, resolutions)
    matched_ids = [row.user.pk for row in rows if row.user is not None]
    existing = dict(
        Registration.objects.filter(session=session, user_id__in=matched_ids).values_list("user_id", "status")
    )
    for row in rows:
        if row.user is not None and row.user.pk in existing:
            row.action = "already"
            row.status = existing[row.user.pk]
    return rows


def _check_importer(actor, session):
    if actor is not None and not is_academy_admin(actor):
        raise PermissionDeniedError(_("Only academy admins can import participant lists."))


def run_import(session, table, mapping, *, actor, dry_run=False, resolutions=None):
    """Check (dry run) or import the rows. `actor` is the admin; None only from the command line.

    `resolutions`: {row number: "existing" | "new" | "skip"} for rows in conflict (unresolved ones are skipped).
    """
    _check_importer(actor, session)
    registration_service.check_session_accepts(session, by_organiser=True)
    rows = check_rows(session, table, mapping, resolutions)
    if dry_run:
        free = registration_service.seats_left(session)
        for row in rows:
            if row.action in ("create", "match"):
                row.status = RegistrationStatus.CONFIRMED if free > 0 else RegistrationStatus.WAITLISTED
                free -= 1
        return ImportReport(rows=rows, dry_run=True)
    participants = Group.objects.get_or_create(name=PARTICIPANTS)[0]
    for row in rows:
        if row.action not in ("create", "match"):
            continue
        try:
            with transaction.atomic():
                user = row.user
                if user is None:
                    user = _create_person(row.values, session, participants)
                elif not Profile.objects.filter(user=user).exists():
                    _create_profile(user, row.values, session)
                registration = registration_service.enrol(
                    session,
                    user,
                    actor=actor,
                    trusted=actor is None,
                    source=RegistrationSource.IMPORT,
                    notify=row.action == "match",
                )
                if row.action == "create":
                    registration_service.invite_on_commit(user, session)
        except DomainError as error:
            row.errors.append(str(error.message))
            row.action = ""
        except (IntegrityError, ValidationError):
            row.errors.append(_("This row could not be saved (the account may have been created meanwhile)."))
            row.action = ""
        else:
            row.user = user
            row.status = registration.status
    return ImportReport(rows=rows, dry_run=False)


def _create_profile(user, values, session):
    organization = None
    if values.get("organization"):
        organization = organization_for(
            values["organization"], values.get("organization_kind") or "other", values.get("municipality")
        )
    return Profile.objects.create(
        user=user,
        full_name=values.get("full_name") or user.email or values.get("phone") or "",
        gender=values.get("gender") or "",
        year_of_birth=values.get("year_of_birth"),
        position=values.get("position") or "",
        organization=organization,
        organization_kind=values.get("organization_kind") or "",
        municipality=values.get("municipality"),
        phone=values.get("phone") or "",
        preferred_language=session.language or settings.LANGUAGE_CODE,
    )


def _create_person(values, session, participants):
    """A new participant without a password: they choose one through the invitation link, sent by their best
    channel (e-mail, Telegram or SMS), or from a printed first sign-in slip. Phone-only people have no e-mail."""
    user = User.objects.create_user(email=values.get("email") or None, password=None)
    _create_profile(user, values, session)
    user.groups.add(participants)
    return user


def read_uploaded_preview(table, mapping_guess=None):
    """Headers with sample values and the guessed field, for the mapping screen."""
    mapping_guess = guess_mapping(table.headers) if mapping_guess is None else mapping_guess
    return [
        {"index": index, "header": header, "samples": table.samples(index), "field": mapping_guess.get(index, "")}
        for index, header in enumerate(table.headers)
    ]


def write_csv_report(report):
    """The checked rows as CSV text (row, action, status, errors, warnings), for the command line."""
    output = io.StringIO()
    writer = spreadsheets.csv_writer(output)
    for row in report.rows:
        writer.writerow([row.number, row.action, row.status, " | ".join(row.errors), " | ".join(row.warnings)])
    return output.getvalue()
