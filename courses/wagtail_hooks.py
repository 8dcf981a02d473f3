# Each area registers its admin screens, menus and hooks in its own module.
from courses.admin import attendance, catalogue, materials, registrations  # noqa: F401
