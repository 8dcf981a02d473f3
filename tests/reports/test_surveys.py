"""Surveys the academy designs: which one a participant answers, checking the answers, the web form and the API."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from academy.errors import DomainError
from reports.models import Feedback, Survey, SurveyAnswer, SurveyQuestion
from reports.services import feedback as service
from reports.services import surveys

pytestmark = pytest.mark.django_db

SCORES = {"content_score": 4, "trainer_score": 5, "organisation_score": 3}


def make_survey(course=None, *, title="Бюджет курсунун сурамжылоосу", texts=True):
    """The three standard scores, optionally the two standard texts, and four questions of the academy's own."""
    survey = Survey.objects.create(title_ky=title, title_ru="Опрос курса", title_en="Course survey", course=course)
    standard = [("content_score", "rating"), ("trainer_score", "rating"), ("organisation_score", "rating")]
    if texts:
        standard.append(("comments", "text"))
    for order, (name, kind) in enumerate(standard):
        SurveyQuestion.objects.create(
            survey=survey, sort_order=order, standard=name, kind=kind, text_ky=name, required=False
        )
    survey.choice = SurveyQuestion.objects.create(
        survey=survey,
        sort_order=10,
        kind="single",
        text_ky="Тренинг кайсы тилде болушу керек?",
        text_ru="На каком языке лучше вести тренинг?",
        text_en="Which language should the training be in?",
        choices_ky="Кыргызча\nОрусча\nЭкөө тең",
        choices_ru="На кыргызском\nНа русском\nНа обоих",
        choices_en="Kyrgyz\nRussian\nBoth",
    )
    survey.several = SurveyQuestion.objects.create(
        survey=survey,
        sort_order=11,
        kind="multiple",
        required=False,
        text_ky="Кайсы темалар керек?",
        text_en="Which topics do you need?",
        choices_ky="Бюджет\nТарифтер\nСатып алуулар",
        choices_en="Budget\nTariffs\nProcurement",
    )
    survey.rating = SurveyQuestion.objects.create(
        survey=survey, sort_order=12, kind="rating", text_ky="Материалдар", text_en="Handouts"
    )
    survey.text = SurveyQuestion.objects.create(
        survey=survey,
        sort_order=13,
        kind="text",
        required=False,
        text_ky="Кайсы тема кошулсун?",
        text_en="What topic to add?",
    )
    return survey


@pytest.fixture
def course_survey(world):
    return make_survey(world.course)


def good_answers(survey):
    return {
        survey.choice.pk: 2,
        str(survey.several.pk): [0, "2"],
        f"q{survey.rating.pk}": "4",
        survey.text.pk: "  Сатып алуулар  ",
    }


def test_default_survey_has_the_five_questions_as_they_were(db):
    survey = Survey.objects.get(course__isnull=True, is_active=True)
    questions = list(survey.questions.order_by("sort_order"))
    assert [q.standard for q in questions] == [
        "content_score",
        "trainer_score",
        "organisation_score",
        "most_useful",
        "comments",
    ]
    assert questions[0].text_en == "How useful was the content?"
    assert questions[0].text_ky == "Мазмуну канчалык пайдалуу болду?"
    assert questions[4].text_ru == "Комментарии и предложения"
    assert [q.required for q in questions] == [True, True, True, False, False]


def test_the_data_migration_gives_old_answers_the_default_survey_and_runs_twice(world):
    migration = import_module("reports.migrations.0003_default_survey")
    assert Feedback.objects.filter(survey__isnull=True).count() == 4
    migration.create_default(apps, None)
    migration.create_default(apps, None)
    default = Survey.objects.get(course__isnull=True, is_active=True)
    assert set(Feedback.objects.values_list("survey", flat=True)) == {default.pk}
    assert Survey.objects.count() == 1


def test_the_course_survey_else_the_default(world, course_survey):
    assert surveys.current_survey(world.course).pk == course_survey.pk
    default = surveys.current_survey(world.course2)
    assert default.course_id is None
    assert [q.standard for q in default.active_questions][:3] == [
        "content_score",
        "trainer_score",
        "organisation_score",
    ]


def test_an_active_survey_replaces_the_previous_one_of_its_scope(world, course_survey):
    newer = make_survey(world.course, title="Жаңы")
    course_survey.refresh_from_db()
    assert not course_survey.is_active and newer.is_active
    assert surveys.current_survey(world.course).pk == newer.pk
    old_default = Survey.objects.get(course__isnull=True, is_active=True)
    new_default = make_survey(None, title="Жаңы демейки")
    old_default.refresh_from_db()
    assert not old_default.is_active
    assert surveys.current_survey(world.course2).pk == new_default.pk


def test_submit_saves_the_answers_to_the_academys_own_questions(world, course_survey):
    feedback, created = service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=good_answers(course_survey))
    assert created and feedback.survey_id == course_survey.pk
    saved = {a.question_id: a for a in SurveyAnswer.objects.filter(feedback=feedback)}
    assert saved[course_survey.choice.pk].number == 2
    assert saved[course_survey.several.pk].chosen == [0, 2]
    assert saved[course_survey.rating.pk].number == 4
    assert saved[course_survey.text.pk].text == "Сатып алуулар"
    # Changed within 7 days: the answers are replaced, not added to.
    service.submit_feedback(
        world.c, world.c1.pk, **SCORES, answers={course_survey.choice.pk: 0, course_survey.rating.pk: 5}
    )
    assert SurveyAnswer.objects.filter(feedback=feedback).count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda s, a: a.update({999999: 1}), "answers"),  # not a question of this survey
        (lambda s, a: a.update({"q": 1}), "answers"),
        (lambda s, a: a.update({s.choice.pk: 3}), "choice"),  # an option not offered
        (lambda s, a: a.update({s.choice.pk: "1.5"}), "choice"),
        (lambda s, a: a.update({s.choice.pk: True}), "choice"),
        (lambda s, a: a.pop(s.choice.pk), "choice"),  # required and missing
        (lambda s, a: a.update({str(s.several.pk): [0, 7]}), "several"),
        (lambda s, a: a.update({f"q{s.rating.pk}": 6}), "rating"),
        (lambda s, a: a.update({f"q{s.rating.pk}": 0}), "rating"),
        (lambda s, a: a.update({s.text.pk: "ы" * 2001}), "text"),
        (lambda s, a: a.update({s.text.pk: {"x": 1}}), "text"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(world, course_survey, change, field):
    answers = good_answers(course_survey)
    change(course_survey, answers)
    with pytest.raises(DomainError) as error:
        service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=answers)
    expected = "answers" if field == "answers" else getattr(course_survey, field).field_name
    assert error.value.field == expected and str(error.value.message)
    assert not Feedback.objects.filter(registration=world.c1).exists()
    assert not SurveyAnswer.objects.exists()


def test_a_standard_question_the_survey_does_not_ask_is_refused(world, course_survey):
    with pytest.raises(DomainError) as error:
        service.submit_feedback(
            world.c, world.c1.pk, **SCORES, most_useful="Баары", answers=good_answers(course_survey)
        )
    assert error.value.field == "most_useful"
    with pytest.raises(DomainError):
        service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=[1, 2])
    assert not Feedback.objects.filter(registration=world.c1).exists()


def test_a_switched_off_question_keeps_its_answers(world, course_survey, api_client):
    feedback, _created = service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=good_answers(course_survey))
    course_survey.text.is_active = False
    course_survey.text.save()
    service.submit_feedback(
        world.c, world.c1.pk, **SCORES, answers={course_survey.choice.pk: 1, course_survey.rating.pk: 2}
    )
    kept = SurveyAnswer.objects.get(feedback=feedback, question=course_survey.text)
    assert kept.text == "Сатып алуулар"
    with pytest.raises(DomainError):  # no longer asked
        service.submit_feedback(world.c, world.c1.pk, **SCORES, answers={**good_answers(course_survey)})
    api_client.force_authenticate(world.c)
    body = api_client.get(reverse("api-registration-feedback", args=[world.c1.pk])).json()
    by_question = {row["question"]: row for row in body["answers"]}
    assert by_question[course_survey.text.pk]["question_text"] == "What topic to add?"
    assert by_question[course_survey.text.pk]["text"] == "Сатып алуулар"
    assert by_question[course_survey.choice.pk]["options"] == ["Russian"]


def test_an_answer_keeps_the_survey_it_answered(world, course_survey):
    """B answered before the course had a survey: changing it asks the default questions, not the new ones."""
    answer_b = Feedback.objects.get(registration=world.b1)
    answer_b.submitted_at = answer_b.updated_at = world.s1.ends_at.replace(year=2026, month=11, day=28)
    answer_b.save()
    feedback, created = service.submit_feedback(world.b, world.b1.pk, **SCORES, most_useful="Практика")
    assert not created and feedback.most_useful == "Практика"
    assert feedback.survey.course_id is None


def test_the_web_form_asks_the_course_survey(client, world, course_survey):
    url = reverse("feedback_form", args=[world.c1.pk])
    client.force_login(world.c)
    page = client.get(url).content.decode()
    assert "Which topics do you need?" in page and "Procurement" in page and "most_useful" not in page
    data = {
        **{k: str(v) for k, v in SCORES.items()},
        f"q{course_survey.choice.pk}": "5",
        f"q{course_survey.rating.pk}": "4",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"q{course_survey.choice.pk}" in response.context["form"].errors
    assert not Feedback.objects.filter(registration=world.c1).exists()
    data[f"q{course_survey.choice.pk}"] = "1"
    data[f"q{course_survey.several.pk}"] = ["0", "1"]
    assert client.post(url, data).status_code == 302
    feedback = Feedback.objects.get(registration=world.c1)
    assert SurveyAnswer.objects.get(feedback=feedback, question=course_survey.several).chosen == [0, 1]
    form = client.get(url).context["form"]  # changing it: the answers are filled in
    assert form.initial[f"q{course_survey.several.pk}"] == ["0", "1"]
    assert form.initial[f"q{course_survey.choice.pk}"] == "1" and form.initial["content_score"] == "4"


def test_the_web_form_speaks_russian(client, world, course_survey):
    client.force_login(world.c)
    with translation.override("ru"):
        url = reverse("feedback_form", args=[world.c1.pk])
    page = client.get(url).content.decode()
    assert "На каком языке лучше вести тренинг?" in page and "На обоих" in page
    response = client.post(url, {**{k: str(v) for k, v in SCORES.items()}, f"q{course_survey.rating.pk}": "4"})
    assert response.status_code == 400
    assert "Обязательное поле." in response.content.decode()


def test_the_api_gives_the_survey_and_takes_answers(api_client, world, course_survey, django_assert_max_num_queries):
    url = reverse("api-registration-feedback-survey", args=[world.c1.pk])
    assert api_client.get(url).status_code in (401, 403)
    api_client.force_authenticate(world.a)
    assert api_client.get(url).status_code == 404  # somebody else's registration
    api_client.force_authenticate(world.c)
    with django_assert_max_num_queries(8):
        body = api_client.get(url).json()
    assert body["id"] == course_survey.pk
    choice = next(q for q in body["questions"] if q["id"] == course_survey.choice.pk)
    assert choice == {
        "id": course_survey.choice.pk,
        "field": f"q{course_survey.choice.pk}",
        "kind": "single",
        "text": "Which language should the training be in?",
        "required": True,
        "options": ["Kyrgyz", "Russian", "Both"],
    }
    post = reverse("api-registration-feedback", args=[world.c1.pk])
    bad = api_client.post(post, {**SCORES, "answers": {str(course_survey.choice.pk): 9}}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {f"q{course_survey.choice.pk}": ["Choose one of the options offered."]}
    unknown = api_client.post(post, {**SCORES, "answers": {"12345678": 1}}, format="json")
    assert unknown.status_code == 400 and "answers" in unknown.json()["errors"]
    assert not Feedback.objects.filter(registration=world.c1).exists()
    with django_assert_max_num_queries(20):
        good = api_client.post(
            post, {**SCORES, "answers": {str(k): v for k, v in good_answers(course_survey).items()}}, format="json"
        )
    assert good.status_code == 201
    assert {row["question"] for row in good.json()["answers"]} == {
        course_survey.choice.pk,
        course_survey.several.pk,
        course_survey.rating.pk,
        course_survey.text.pk,
    }


def test_old_answers_stay_readable(api_client, world):
    api_client.force_authenticate(world.a)
    body = api_client.get(reverse("api-registration-feedback", args=[world.a1.pk])).json()
    assert (body["content_score"], body["trainer_score"], body["organisation_score"]) == (5, 4, 3)
    assert body["answers"] == [] and body["comments"] == "Рахмат"


def test_the_old_keyword_call_still_works(world):
    """Callers that know only the three scores and two texts (demo, other apps) keep working."""
    feedback, created = service.submit_feedback(
        world.c, world.c1.pk, content_score=3, trainer_score=3, organisation_score=3
    )
    assert created and feedback.survey.course_id is None
