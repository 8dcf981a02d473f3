"""The roster of a session: who registered, in what status; exported to .xlsx for organisers."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import PermissionDeniedError
from courses.models import Registration
from courses.permissions import can_manage_session


def check_can_see_roster(user, session):
    if not can_manage_session(user, session):
        raise PermissionDeniedError(_("Only the trainers of this session and academy admins can see its participants."))


def roster(session, status=None):
    """Registrations of the session with everything a roster row shows, in arrival order."""
    queryset = Registration.objects.filter(session=session).for_roster().with_waitlist_position()
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def roster_columns():
    return [
        _("No."),
        _("Full name"),
        _("Full name (Latin)"),
        _("E-mail"),
        _("Phone"),
        _("Gender"),
        _("Year of birth"),
        _("Position"),
        _("Organisation"),
        _("Organisation kind"),
        _("Municipality"),
        _("Status"),
        _("Waitlist position"),
        _("Registered at"),
        _("Source"),
    ]


def roster_row(number, registration):
    profile = getattr(registration.user, "profile", None)
    registered_at = timezone.localtime(registration.created_at).replace(tzinfo=None)
    return [
        number,
        profile.full_name if profile else registration.user.display_name,
        profile.full_name_latin if profile else "",
        registration.user.email,
        profile.phone if profile else "",
        profile.get_gender_display() if profile and profile.gender else "",
        profile.year_of_birth if profile else None,
        profile.position if profile else "",
        profile.organization.name if profile and profile.organization else "",
        profile.get_organization_kind_display() if profile and profile.organization_kind else "",
        str(profile.municipality) if profile and profile.municipality else "",
        registration.get_status_display(),
        registration.waitlist_position,
        registered_at,
        registration.get_source_display(),
    ]


def export_roster_xlsx(session, *, actor):
    """The roster as an .xlsx file (bytes); streamed row by row through openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from academy.spreadsheets import write_only_cell

    check_can_see_roster(actor, session)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Participants"))[:31])
    sheet.append([write_only_cell(sheet, str(session))])
    header = []
    for title in roster_columns():
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for number, registration in enumerate(roster(session).iterator(chunk_size=500), start=1):
        row = roster_row(number, registration)
        # Names and positions are participants' own text: written as text, never as a formula.
        sheet.append([write_only_cell(sheet, str(value) if hasattr(value, "__html__") else value) for value in row])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
