"""Participant pages, under the language prefix: /<lang>/my/feedback/."""

from django.urls import path

from reports.views import feedback

urlpatterns = [
    path("my/feedback/", feedback.my_feedback, name="my_feedback"),
    path("my/feedback/<int:registration_id>/", feedback.feedback_form, name="feedback_form"),
]
