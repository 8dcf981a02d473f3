"""The courses app's Celery tasks, one module per concept; the worker's autodiscovery imports this package."""

import courses.tasks.action_plans  # noqa: F401
import courses.tasks.attendance  # noqa: F401
import courses.tasks.catalogue  # noqa: F401
import courses.tasks.materials  # noqa: F401
import courses.tasks.municipality  # noqa: F401
import courses.tasks.registration  # noqa: F401
