# Each area registers its admin screens, menus and hooks in its own module.
from courses.admin import attendance, catalogue, dashboard, materials, reference, registrations, signin_slips  # noqa: F401
