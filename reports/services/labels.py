"""Names for the ids that reports group by, each fetched in one query."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from academy.models import OrganizationKind
from courses.models import CoursePage, Session


def language():
    return (get_language() or "ky")[:2]


def translated_name(row, prefix, lang=None):
    """Pick `<prefix>name_<lang>` from a values() row, falling back to Kyrgyz."""
    return row.get(f"{prefix}name_{lang or language()}") or row.get(f"{prefix}name_ky") or ""


def name_fields(prefix):
    return [f"{prefix}name_ky", f"{prefix}name_ru", f"{prefix}name_en"]


def course_titles(keys=None):
    """{translation_key: title} in the active language where a translation exists (one query).

    `keys=None` means every course.
    """
    queryset = CoursePage.objects.all()
    if keys is not None:
        keys = [key for key in keys if key]
        if not keys:
            return {}
        queryset = queryset.filter(translation_key__in=keys)
    active = language()
    titles = {}
    rows = queryset.values_list("translation_key", "title", "locale__language_code")
    for key, title, code in rows:
        if key not in titles or code == active:
            titles[key] = title
    return titles


def organisation_kind_labels():
    """{value: label} in the active language, "" and None meaning "not given"; build once per report."""
    labels = {value: str(label) for value, label in OrganizationKind.choices}
    labels[""] = labels[None] = _("Not given")
    return labels


def organisation_kind_label(value):
    return organisation_kind_labels()[value or ""]


def session_label(title, course_title, starts_at):
    """`starts_at`: the start (shown as its local day), or that day already."""
    label = title or course_title or _("Session")
    if starts_at:
        day = timezone.localtime(starts_at) if isinstance(starts_at, datetime) else starts_at
        label = f"{label} ({day:%d.%m.%Y})"
    return label


def session_labels(session_ids):
    """{session id: label} for these sessions: two queries (the sessions, their course titles), none for no id."""
    if not session_ids:
        return {}
    rows = list(
        Session.objects.filter(pk__in=session_ids).values_list("pk", "title", "starts_at", "course__translation_key")
    )
    titles = course_titles({key for *_rest, key in rows})
    return {pk: session_label(title, titles.get(key), starts_at) for pk, title, starts_at, key in rows}


def person_name(full_name, first_name="", last_name="", pk=None):
    """A trainer's public name; never the e-mail address."""
    return full_name or f"{first_name} {last_name}".strip() or _("Trainer #%(id)s") % {"id": pk}
