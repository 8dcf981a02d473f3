"""The participant list: the only report with personal data, exported on an admin's request."""

from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import PermissionDeniedError
from academy.models import Gender

from .base import can_see_personal_data, participants
from .labels import course_titles, language, name_fields, organisation_kind_labels, session_label, translated_name
from .structures import DATE, INT, Column, LazyRows, Report, Table

PROFILE = "user__profile__"
MUNICIPALITY = f"{PROFILE}municipality__"
DISTRICT = f"{MUNICIPALITY}district__"
REGION = f"{DISTRICT}region__"


def report(filters, user):
    if not can_see_personal_data(user):
        raise PermissionDeniedError(_("Only academy admins can export lists of participants."))
    queryset = (
        participants(filters)
        .values(
            "pk",
            "user__email",
            f"{PROFILE}full_name",
            f"{PROFILE}full_name_latin",
            f"{PROFILE}phone",
            f"{PROFILE}gender",
            f"{PROFILE}year_of_birth",
            f"{PROFILE}has_disability",
            f"{PROFILE}organization__name",
            f"{PROFILE}organization_kind",
            f"{PROFILE}position",
            *name_fields(MUNICIPALITY),
            *name_fields(DISTRICT),
            *name_fields(REGION),
            "session__title",
            "session__starts_at",
            "session__course__translation_key",
            "attendance_percent",
            "completed_at",
        )
        .order_by("session__starts_at", "session_id", f"{PROFILE}full_name", "pk")
    )

    def convert(rows):
        titles = course_titles({row["session__course__translation_key"] for row in rows})
        genders = {value: str(label) for value, label in Gender.choices}
        kinds = organisation_kind_labels()
        lang, not_given, yes = language(), _("Not given"), _("yes")
        sessions = {}
        zone = timezone.get_current_timezone()

        def session_name(row):
            key = (row["session__title"], row["session__course__translation_key"], row["session__starts_at"])
            if key not in sessions:
                sessions[key] = session_label(key[0], titles.get(key[1]), key[2])
            return sessions[key]

        result = [
            {
                "full_name": row[f"{PROFILE}full_name"] or "",
                "full_name_latin": row[f"{PROFILE}full_name_latin"] or "",
                "email": row["user__email"],
                "phone": row[f"{PROFILE}phone"] or "",
                "gender": genders.get(row[f"{PROFILE}gender"]) or not_given,
                "year_of_birth": row[f"{PROFILE}year_of_birth"],
                "disability": yes if row[f"{PROFILE}has_disability"] else "",
                "organisation": row[f"{PROFILE}organization__name"] or "",
                "organisation_kind": kinds.get(row[f"{PROFILE}organization_kind"], not_given),
                "position": row[f"{PROFILE}position"] or "",
                "region": translated_name(row, REGION, lang),
                "district": translated_name(row, DISTRICT, lang),
                "municipality": translated_name(row, MUNICIPALITY, lang),
                "course": titles.get(row["session__course__translation_key"], ""),
                "session": session_name(row),
                "attendance_percent": row["attendance_percent"],
                "completed": row["completed_at"].astimezone(zone).date() if row["completed_at"] else None,
            }
            for row in rows
        ]
        return result

    return Report(
        key="participant_list",
        title=_("Participant list"),
        tables=[
            Table(
                "participants",
                _("Participants"),
                [
                    Column("full_name", _("Full name")),
                    Column("full_name_latin", _("Full name (Latin)")),
                    Column("email", _("E-mail")),
                    Column("phone", _("Phone")),
                    Column("gender", _("Gender")),
                    Column("year_of_birth", _("Year of birth"), INT),
                    Column("disability", _("Person with a disability")),
                    Column("organisation", _("Organisation")),
                    Column("organisation_kind", _("Organisation kind")),
                    Column("position", _("Position")),
                    Column("region", _("Oblast / city")),
                    Column("district", _("District")),
                    Column("municipality", _("Municipality")),
                    Column("course", _("Course")),
                    Column("session", _("Session")),
                    Column("attendance_percent", _("Attendance, %"), INT),
                    Column("completed", _("Completed on"), DATE),
                ],
                # The screen shows only how many; exports read every row.
                LazyRows(queryset, convert),
            )
        ],
    )
