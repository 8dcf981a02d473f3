"""Demo: the local budget course's own survey (found again by its title), with answers to its extra
questions for the course's feedback. Idempotent."""

import random

from courses.models import CoursePage
from reports.models import Feedback, Survey, SurveyAnswer, SurveyQuestion

SURVEY_TITLE = "Жергиликтүү бюджет курсу боюнча сурамжылоо"
#: (standard, kind, required, ky, ru, en, options ky, options ru, options en)
SURVEY_QUESTIONS = [
    (
        "content_score",
        "rating",
        True,
        "Мазмуну канчалык пайдалуу болду?",
        "Насколько полезным было содержание?",
        "How useful was the content?",
        "",
        "",
        "",
    ),
    (
        "trainer_score",
        "rating",
        True,
        "Тренер канчалык жакшы болду?",
        "Насколько хорошо работал тренер?",
        "How good was the trainer?",
        "",
        "",
        "",
    ),
    (
        "organisation_score",
        "rating",
        True,
        "Тренинг канчалык жакшы уюштурулду?",
        "Насколько хорошо был организован тренинг?",
        "How well was the training organised?",
        "",
        "",
        "",
    ),
    (
        "",
        "single",
        True,
        "Коомдук угууну өз айыл өкмөтүңүздө өткөрө аласызбы?",
        "Сможете ли вы провести общественные слушания в своём айыл окмоту?",
        "Could you hold a public hearing in your ayil okmotu?",
        "Ооба, өз алдымча\nООба, бирок жардам керек\nАзырынча жок",
        "Да, самостоятельно\nДа, но нужна помощь\nПока нет",
        "Yes, on my own\nYes, with some help\nNot yet",
    ),
    (
        "",
        "text",
        False,
        "Жарандык бюджеттин кайсы бөлүгүн тереңирээк үйрөнгүңүз келет?",
        "Какую часть гражданского бюджета вы хотели бы изучить глубже?",
        "Which part of the citizens' budget would you like to learn more about?",
        "",
        "",
        "",
    ),
    (
        "most_useful",
        "text",
        False,
        "Эмнеси эң пайдалуу болду?",
        "Что было самым полезным?",
        "What was most useful?",
        "",
        "",
        "",
    ),
    (
        "comments",
        "text",
        False,
        "Пикирлер жана сунуштар",
        "Комментарии и предложения",
        "Comments and suggestions",
        "",
        "",
        "",
    ),
]
WISHES = ["Инфографика даярдоо", "Онлайн угууларды өткөрүү", "gb.minfin.kg менен иштөө", "", ""]


def seed():
    """The budget course's own survey, and answers to its extra questions for the course's feedback."""
    courses = CoursePage.objects.filter(locale__language_code="ky").order_by("path")
    course = courses.filter(title__icontains="бюджет").first() or courses.first()  # any course in a bare database
    if course is None:
        return 0
    survey = Survey.objects.filter(title_ky=SURVEY_TITLE).first()
    if survey is None:
        survey = Survey.objects.create(
            title_ky=SURVEY_TITLE,
            title_ru="Опрос по курсу «Местный бюджет»",
            title_en="Local budget course survey",
            course=course,
        )
        for order, (standard, kind, required, ky, ru, en, *options) in enumerate(SURVEY_QUESTIONS):
            SurveyQuestion.objects.create(
                survey=survey,
                sort_order=order,
                standard=standard,
                kind=kind,
                required=required,
                text_ky=ky,
                text_ru=ru,
                text_en=en,
                choices_ky=options[0],
                choices_ru=options[1],
                choices_en=options[2],
            )
    extra = {question.kind: question for question in survey.questions.filter(standard="")}
    feedback = list(
        Feedback.objects.filter(
            registration__session__course__translation_key=course.translation_key, answers__isnull=True
        ).select_related("registration__user")
    )
    answers = []
    for item in feedback:
        rng = random.Random(f"survey|{item.registration.user.email}|{item.registration_id}")
        answers.append(SurveyAnswer(feedback=item, question=extra["single"], number=rng.choice([0, 0, 1, 1, 1, 2])))
        wish = rng.choice(WISHES)
        if wish:
            answers.append(SurveyAnswer(feedback=item, question=extra["text"], text=wish))
    Feedback.objects.filter(pk__in=[item.pk for item in feedback]).update(survey=survey)
    SurveyAnswer.objects.bulk_create(answers, ignore_conflicts=True)
    return len(answers)
