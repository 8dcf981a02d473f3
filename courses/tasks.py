"""The courses app's Celery tasks live in one module per concept; the worker's autodiscovery imports this one."""

import courses.tasks_attendance  # noqa: F401
import courses.tasks_catalogue  # noqa: F401
import courses.tasks_registration  # noqa: F401
