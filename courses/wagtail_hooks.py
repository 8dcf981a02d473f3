# Each area registers its admin screens, menus and hooks in its own module.
from courses.admin import (  # noqa: F401
    assessments,
    attendance,
    attendance_audit,
    catalogue,
    dashboard,
    materials,
    reference,
    registrations,
    signin_slips,
)
