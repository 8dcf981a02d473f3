"""Demo people and organisations drawn from the seed documents."""

import os
from datetime import date

from django.contrib.auth.models import Group

from academy.data.demo.people import FUNDING_PROJECTS, ORGANISATIONS, PARTICIPANTS, PHONE_ONLY_PARTICIPANTS, TRAINERS
from academy.models import FundingProject, Municipality, Organization, Profile, User
from academy.roles import PARTICIPANTS as PARTICIPANTS_GROUP
from academy.roles import TRAINERS as TRAINERS_GROUP

ORDER = 10
# Demo accounts share one password so a visitor can log in as a trainer or a participant.
DEMO_PASSWORD = os.environ.get("ACADEMY_DEMO_PASSWORD", "academy-demo")


def _person(row, group, municipalities, organisations, now):
    if row.get("email"):
        user = User.objects.filter(email=row["email"]).first()
    else:  # a phone account: found by its number
        user = User.objects.filter(profile__phone=row["phone"]).first()
    if user is None:
        user = User.objects.create_user(email=row.get("email"), password=DEMO_PASSWORD)
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "full_name": row["name_ky"],
            "full_name_latin": row["name_latin"],
            "gender": row["gender"],
            "year_of_birth": row.get("year_of_birth"),
            "position": row.get("position_ky", ""),
            "organization": organisations.get(row.get("organisation")),
            "organization_kind": row.get("organisation_kind", ""),
            "municipality": municipalities.get(row.get("municipality")),
            "phone": row.get("phone", ""),
            "preferred_language": row.get("preferred_language", "ky"),
            "has_disability": row.get("disability", False),
            "consent_given_at": now,
            "consent_version": "2026-01",
            "telegram_chat_id": row.get("telegram_chat_id", ""),
            "telegram_linked_at": now if row.get("telegram_chat_id") else None,
        },
    )
    user.groups.add(group)
    return user


def seed(context):
    now = context["now"]
    for row in FUNDING_PROJECTS:
        FundingProject.objects.get_or_create(
            code=row["code"],
            defaults={
                "donor": row["donor"],
                "name_ky": row["name_ky"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "starts_on": date.fromisoformat(row["starts"]),
                "ends_on": date.fromisoformat(row["ends"]),
            },
        )
    municipalities = {m.code: m for m in Municipality.objects.all()}
    organisations = {}
    for row in ORGANISATIONS:
        organisations[row["code"]], _created = Organization.objects.get_or_create(
            name=row["name_ky"], kind=row["kind"], municipality=municipalities.get(row["municipality"])
        )
    trainers_group = Group.objects.get_or_create(name=TRAINERS_GROUP)[0]
    participants_group = Group.objects.get_or_create(name=PARTICIPANTS_GROUP)[0]
    context["trainers"] = [_person(row, trainers_group, municipalities, organisations, now) for row in TRAINERS]
    context["participants"] = [
        _person(row, participants_group, municipalities, organisations, now)
        for row in [*PARTICIPANTS, *PHONE_ONLY_PARTICIPANTS]
    ]
    context["funding_projects"] = {project.code: project for project in FundingProject.objects.all()}
    return f"{len(context['trainers'])} trainers, {len(context['participants'])} participants"
