"""Demo data of the certificates app: `certificates.py` (templates and certificates, ORDER 60) and
`qualification.py` (external trainings and cycle statuses, ORDER 65). seed_demo runs each module of
this package in turn; the names below keep `from certificates import demo` working for the certificates step."""

from .certificates import DIRECTOR, TEMPLATE_NAME, ensure_template, seed  # noqa: F401
