# Each area registers its admin screens, menus and hooks in its own module.
from courses.admin import attendance, catalogue, materials, reference, registrations, signin_slips  # noqa: F401
