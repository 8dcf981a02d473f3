"""Designing surveys in the Wagtail admin (academy admins only), and the survey answers in the reports."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from reports.models import Feedback, Survey, SurveyAnswer, SurveyQuestion
from reports.services import feedback as service
from reports.services import feedback_report
from reports.services.base import ReportFilters, for_user

from .test_surveys import SCORES, good_answers, make_survey

pytestmark = pytest.mark.django_db
ALL = ReportFilters()


def question(pk="", kind="rating", standard="", text="Суроо", choices="", active=True, delete=False):
    row = {
        "id": pk,
        "kind": kind,
        "standard": standard,
        "text_ky": text,
        "text_ru": "",
        "text_en": "",
        "choices_ky": choices,
        "choices_ru": "",
        "choices_en": "",
        "required": "on",
    }
    if active:
        row["is_active"] = "on"
    if delete:
        row["DELETE"] = "1"
    return row


def standard_scores():
    return [question(standard=name, text=name) for name in ("content_score", "trainer_score", "organisation_score")]


def post_data(questions, *, course="", title="Сурамжылоо", active=True, initial=0):
    data = {"title_ky": title, "title_ru": "", "title_en": "", "course": course}
    if active:
        data["is_active"] = "on"
    return nested_form_data({**data, "questions": inline_formset(questions, initial=initial)})


def test_only_academy_admins_see_and_design_surveys(client, world):
    default = Survey.objects.get(course__isnull=True)
    urls = [
        reverse("surveys:index"),
        reverse("surveys:add"),
        reverse("surveys:edit", args=[default.pk]),
        reverse("surveys:delete", args=[default.pk]),
    ]
    client.force_login(world.trainer)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "/login/" not in response.get("Location", "")  # a signed-in trainer: refused, not asked to log in
    response = client.post(reverse("surveys:add"), post_data(standard_scores()))
    assert response.status_code in (302, 403) and Survey.objects.count() == 1
    client.force_login(world.admin)
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("surveys:index")).content.decode()
    assert "All courses (default)" in page


def test_an_admin_designs_a_course_survey(client, world):
    client.force_login(world.admin)
    questions = [
        *standard_scores(),
        question(kind="single", text="Тил", choices="Кыргызча\nОрусча"),
        question(kind="text", text="Сунуш"),
    ]
    response = client.post(reverse("surveys:add"), post_data(questions, course=world.course.pk))
    assert response.status_code == 302, response.context["form"].errors
    survey = Survey.objects.get(course=world.course)
    assert survey.questions.count() == 5
    assert [q.options("ky") for q in survey.questions.filter(kind="single")] == [["Кыргызча", "Орусча"]]


@pytest.mark.parametrize(
    "questions, message",
    [
        (standard_scores()[:2], "three standard scores"),
        ([*standard_scores(), question(standard="content_score")], "three standard scores"),
        ([*standard_scores()[:2], question(standard="organisation_score", active=False)], "three standard scores"),
        ([*standard_scores(), question(kind="single", text="Тил", choices="Жалгыз")], "at least two options"),
        ([*standard_scores()[:2], question(standard="organisation_score", kind="text")], "standard score is a rating"),
    ],
)
def test_a_survey_that_breaks_the_rules_is_not_saved(client, world, questions, message):
    client.force_login(world.admin)
    response = client.post(reverse("surveys:add"), post_data(questions, course=world.course.pk))
    assert response.status_code == 200
    assert message in " ".join(str(error) for error in response.context["form"].non_field_errors())
    assert not Survey.objects.filter(course=world.course).exists()


def _edit_rows(survey, changes=None):
    changes = changes or {}
    rows = []
    for q in survey.questions.order_by("sort_order"):
        row = question(q.pk, q.kind, q.standard, q.text_ky, q.choices_ky, q.is_active)
        row.update(changes.get(q.pk, {}))
        rows.append(row)
    return rows


def test_answered_questions_are_switched_off_not_deleted(client, world):
    survey = make_survey(world.course)
    service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=good_answers(survey))
    client.force_login(world.admin)
    url = reverse("surveys:edit", args=[survey.pk])
    count = survey.questions.count()

    def post(changes):
        return client.post(url, post_data(_edit_rows(survey, changes), course=world.course.pk, initial=count))

    response = post({survey.text.pk: {"DELETE": "1"}})
    assert response.status_code == 200 and "switch it off" in str(response.context["form"].non_field_errors())
    response = post({survey.rating.pk: {"kind": "text"}})
    assert response.status_code == 200 and "cannot change" in str(response.context["form"].non_field_errors())
    response = post({survey.choice.pk: {"choices_ky": "Кыргызча\nОрусча"}})
    assert response.status_code == 200 and "never removed" in str(response.context["form"].non_field_errors())
    assert SurveyQuestion.objects.filter(pk=survey.text.pk, is_active=True).exists()
    rows = _edit_rows(survey, {survey.choice.pk: {"choices_ky": survey.choice.choices_ky + "\nАнглисче"}})
    rows[[r["id"] for r in rows].index(survey.text.pk)].pop("is_active")
    response = client.post(url, post_data(rows, course=world.course.pk, initial=count))
    assert response.status_code == 302
    assert not SurveyQuestion.objects.get(pk=survey.text.pk).is_active
    assert SurveyAnswer.objects.filter(question=survey.text).count() == 1  # the old answer is kept


def test_a_survey_with_answers_and_the_default_survey_are_not_deleted(client, world):
    survey = make_survey(world.course)
    service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=good_answers(survey))
    default = Survey.objects.get(course__isnull=True, is_active=True)
    client.force_login(world.admin)
    for target in (survey, default):
        response = client.post(reverse("surveys:delete", args=[target.pk]))
        assert response.status_code == 302 and Survey.objects.filter(pk=target.pk).exists()
    unanswered = make_survey(world.course2)
    assert client.post(reverse("surveys:delete", args=[unanswered.pk])).status_code == 302
    assert not Survey.objects.filter(pk=unanswered.pk).exists()
    # Switching the default survey off would leave courses without a form.
    rows = _edit_rows(default)
    response = client.post(reverse("surveys:edit", args=[default.pk]), post_data(rows, active=False, initial=len(rows)))
    assert response.status_code == 200 and Survey.objects.get(pk=default.pk).is_active


@pytest.fixture
def answered(world):
    survey = make_survey(world.course)
    service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=good_answers(survey))
    return survey


def test_the_report_shows_each_question(world, answered):
    with translation.override("ky"):
        report = feedback_report.report(ALL)
    rows = {row["question"]: row for row in report.table("questions").rows}
    choice = rows["Тренинг кайсы тилде болушу керек?"]
    assert (choice["answers"], choice["distribution"]) == (1, "Кыргызча: 0 · Орусча: 0 · Экөө тең: 1")
    assert rows["Кайсы темалар керек?"]["distribution"] == "Бюджет: 1 · Тарифтер: 0 · Сатып алуулар: 1"
    assert rows["Материалдар"]["average"] == 4.0
    with translation.override("ky"):
        texts = list(report.table("question_texts").rows)
    assert [(row["question"], row["text"]) for row in texts] == [("Кайсы тема кошулсун?", "Сатып алуулар")]


def test_a_trainer_sees_the_answers_of_their_own_sessions_only(world, answered):
    mine = feedback_report.report(for_user(ALL, world.trainer))
    assert mine.table("questions").rows and list(mine.table("question_texts").rows)
    theirs = feedback_report.report(for_user(ALL, world.other_trainer))
    assert theirs.table("questions").rows == [] and list(theirs.table("question_texts").rows) == []


def test_the_donor_satisfaction_figures_do_not_change(world, api_client):
    """The same figures as before surveys, for the same answers, now that they belong to the default survey."""
    api_client.force_authenticate(world.admin)
    url = reverse("api-reports-summary")
    before = api_client.get(url).json()
    assert (before["score_content"], before["score_trainer"], before["score_organisation"]) == (3.67, 4.0, 4.0)
    default = Survey.objects.get(course__isnull=True, is_active=True)
    Feedback.objects.update(survey=default)
    make_survey(world.course)  # a course survey with questions of its own changes nothing already answered
    after = api_client.get(url).json()
    keys = ("feedback_answers", "score_content", "score_trainer", "score_organisation", "feedback_response_rate")
    assert {key: after[key] for key in keys} == {key: before[key] for key in keys}


def test_the_report_queries_do_not_grow(world, grow, django_assert_max_num_queries):
    survey = make_survey(world.course)
    counts = []
    for size in (2, 12):
        grow(size)
        for feedback in Feedback.objects.filter(registration__session__course=world.course, answers__isnull=True):
            SurveyAnswer.objects.get_or_create(feedback=feedback, question=survey.choice, defaults={"number": 1})
            SurveyAnswer.objects.get_or_create(feedback=feedback, question=survey.several, defaults={"chosen": [0, 1]})
            SurveyAnswer.objects.get_or_create(feedback=feedback, question=survey.text, defaults={"text": "ok"})
        with django_assert_max_num_queries(16) as captured:
            report = feedback_report.report(ALL)
            list(report.table("question_texts").rows)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
