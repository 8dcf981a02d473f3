"""A worker started with `celery -A academy worker` knows every task the apps enqueue and beat schedules."""

import json
import subprocess
import sys

from django.conf import settings

DISCOVER = (
    "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'academy.settings.test'); "
    "from academy.celery import app; app.loader.import_default_modules(); "
    "print(json.dumps(sorted(name for name in app.tasks if not name.startswith('celery.'))))"
)


def _tasks_a_fresh_worker_registers():
    result = subprocess.run(
        [sys.executable, "-c", DISCOVER], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_fresh_worker_registers_every_scheduled_and_enqueued_task():
    registered = _tasks_a_fresh_worker_registers()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= registered, scheduled - registered
    assert {
        "courses.tasks.registration.promote_waitlist",
        "courses.tasks.registration.send_registration_email",
        "courses.tasks.catalogue.notify_session_cancelled",
        "courses.tasks.attendance.notify_assignment_reviewed",
        "academy.tasks.send_outbox_email",
        "academy.tasks.send_outbox_emails",
        "certificates.tasks.issue_certificate_batch",
        "certificates.tasks.issue_certificate_batch_part",
    } <= registered
