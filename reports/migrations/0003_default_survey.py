"""The default survey: the feedback form's five questions as they were, in ky, ru and en. Every answer
given before surveys existed is an answer to it."""

from django.db import migrations

RATING, TEXT = "rating", "text"
QUESTIONS = [
    (
        "content_score",
        RATING,
        True,
        "Мазмуну канчалык пайдалуу болду?",
        "Насколько полезным было содержание?",
        "How useful was the content?",
    ),
    (
        "trainer_score",
        RATING,
        True,
        "Тренер канчалык жакшы болду?",
        "Насколько хорошо работал тренер?",
        "How good was the trainer?",
    ),
    (
        "organisation_score",
        RATING,
        True,
        "Тренинг канчалык жакшы уюштурулду?",
        "Насколько хорошо был организован тренинг?",
        "How well was the training organised?",
    ),
    ("most_useful", TEXT, False, "Эмнеси эң пайдалуу болду?", "Что было самым полезным?", "What was most useful?"),
    ("comments", TEXT, False, "Пикирлер жана сунуштар", "Комментарии и предложения", "Comments and suggestions"),
]


def create_default(apps, schema_editor):
    Survey = apps.get_model("reports", "Survey")
    SurveyQuestion = apps.get_model("reports", "SurveyQuestion")
    Feedback = apps.get_model("reports", "Feedback")
    survey = Survey.objects.filter(course__isnull=True, is_active=True).first()
    if survey is None:
        survey = Survey.objects.create(
            title_ky="Тренинг боюнча пикир", title_ru="Отзыв о тренинге", title_en="Training feedback"
        )
        for order, (standard, kind, required, ky, ru, en) in enumerate(QUESTIONS):
            SurveyQuestion.objects.create(
                survey=survey,
                sort_order=order,
                standard=standard,
                kind=kind,
                required=required,
                text_ky=ky,
                text_ru=ru,
                text_en=en,
            )
    Feedback.objects.filter(survey__isnull=True).update(survey=survey)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_surveys")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
