"""Which column of an organiser's list holds which field: header synonyms (ky, ru, en), the guess, checks."""

import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.errors import DomainError

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


def normalize_text(value):
    """Lower case, ё→е, punctuation to spaces, spaces collapsed: "Аты-жөнү:" → "аты жөнү"."""
    text = str(value or "").lower().replace("ё", "е")
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE).replace("_", " ")
    return " ".join(text.split())


def field_choices():
    return [(name, str(label)) for name, label in FIELDS]


def _header_field(header, synonyms):
    text = normalize_text(header)
    if not text:
        return None
    best, best_length = None, 0
    for name, words in synonyms.items():
        for synonym in words:
            if (text == synonym or text.startswith(synonym + " ")) and len(synonym) > best_length:
                best, best_length = name, len(synonym)
    return best


def guess_columns(headers, synonyms):
    """{column index: field name} guessed from the header texts by {field: synonyms}; each field at most once.
    Also used by other imports (external trainings) with their own synonyms."""
    mapping, used = {}, set()
    for index, header in enumerate(headers):
        name = _header_field(header, synonyms)
        if name and name not in used:
            mapping[index] = name
            used.add(name)
    return mapping


def guess_mapping(headers):
    """{column index: field name} guessed from the header texts; each field at most once."""
    return guess_columns(headers, SYNONYMS)


def clean_columns(mapping, headers, fields):
    """{column index: field} with ints, fields known to `fields` ((name, label) pairs) and each field once;
    shared by every spreadsheet import. DomainError for anything else."""
    cleaned, labels = {}, dict(fields)
    for index, name in mapping.items():
        if not name:
            continue
        # int("¹") raises: only ASCII digits count as a column number; a field name must be a string.
        if not isinstance(name, str) or not re.fullmatch(r"[0-9]{1,4}", str(index)):
            raise DomainError(_("The column mapping is not valid."), field="mapping")
        index = int(index)
        if name not in labels or not 0 <= index < len(headers):
            raise DomainError(_("The column mapping is not valid."), field="mapping")
        if name in cleaned.values():
            raise DomainError(
                _("Two columns are mapped to “%(field)s”: choose one.") % {"field": labels[name]}, field="mapping"
            )
        cleaned[index] = name
    return cleaned


def check_mapping(mapping, headers):
    """Validate {column index: field}; returns it cleaned (ints, known fields, each field once)."""
    cleaned = clean_columns(mapping, headers, FIELDS)
    seen = set(cleaned.values())
    if "email" not in seen and "phone" not in seen:
        raise DomainError(
            _("Map a column to E-mail or Phone: people are identified by them."), field="mapping", code="no_identity"
        )
    if "full_name" not in seen and not ({"last_name", "first_name"} & set(seen)) and "email" not in seen:
        raise DomainError(_("Map a column to Full name."), field="mapping", code="no_name")
    return cleaned


def parse_mapping_spec(spec, headers):
    """The --mapping option of the command: "Header=field;Header 2=field" or JSON; headers or 1-based numbers."""
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


def read_uploaded_preview(table, mapping_guess=None):
    """Headers with sample values and the guessed field, for the mapping screen."""
    mapping_guess = guess_mapping(table.headers) if mapping_guess is None else mapping_guess
    return [
        {"index": index, "header": header, "samples": table.samples(index), "field": mapping_guess.get(index, "")}
        for index, header in enumerate(table.headers)
    ]
