"""The demo: the local budget course has a survey of its own, with answers, and a second run adds nothing."""

import pytest
from django.utils import timezone, translation

from reports import demo, survey_demo
from reports.models import Survey, SurveyAnswer
from reports.services import feedback_report, surveys
from reports.services.base import ReportFilters

pytestmark = pytest.mark.django_db


def test_the_budget_course_has_its_own_survey(course):
    from academy import demo as academy_demo

    context = {"now": timezone.now()}
    academy_demo.seed(context)
    demo.seed(context)
    survey = Survey.objects.get(title_ky=survey_demo.SURVEY_TITLE)
    assert survey.course is not None  # the local budget course when the catalogue demo ran, else the first course
    assert surveys.current_survey(survey.course).pk == survey.pk
    assert survey.questions.count() == 7
    answers = SurveyAnswer.objects.filter(question__survey=survey).count()
    assert answers > 0
    with translation.override("ky"):
        rows = feedback_report.report(ReportFilters()).table("questions").rows
    assert any(row["question"].startswith("Коомдук угууну") for row in rows)
    demo.seed({"now": timezone.now()})
    assert (
        SurveyAnswer.objects.count() == answers
        and Survey.objects.filter(title_ky=survey_demo.SURVEY_TITLE).count() == 1
    )
