"""Importing checked rows: create or match each person and register them, one transaction per row."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from academy.models import Profile, User
from academy.roles import PARTICIPANTS, is_academy_admin
from academy.services.accounts import organization_for
from courses.models import RegistrationSource, RegistrationStatus
from courses.services import registration as registration_service
from courses.services.imports.people import check_rows
from courses.services.imports.report import ImportReport


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
