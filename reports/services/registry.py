"""The reports the admin offers, by key."""

from django.utils.translation import gettext_lazy as _

from . import delivery, feedback_report, participants, reach, trainers

REPORTS = {
    "participants": (_("Participants"), participants.report),
    "reach": (_("Reach"), reach.report),
    "delivery": (_("Delivery"), delivery.report),
    "trainers": (_("Trainers"), trainers.report),
    "feedback": (_("Feedback"), feedback_report.report),
}
