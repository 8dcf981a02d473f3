"""Factories of the knowledge-test area: bank questions with choices, a session's test, answers that score."""

from courses.models import Choice, Question, QuestionKind, Registration


def make_question(course, text="Жергиликтүү бюджетти ким бекитет?", kind=QuestionKind.SINGLE, correct=(0,), choices=3):
    question = Question.objects.create(
        course=course, kind=kind, text_ky=text, text_ru=f"RU {text}", text_en=f"EN {text}"
    )
    count = 2 if kind == QuestionKind.TRUE_FALSE else choices
    for index in range(count):
        Choice.objects.create(
            question=question,
            text_ky=f"Жооп {index + 1}",
            text_ru=f"Ответ {index + 1}",
            is_correct=index in correct,
            sort_order=index,
        )
    return question


def make_bank(course):
    """Four questions: single (first right), multiple (first two right), true/false (second right), single."""
    return [
        make_question(course, "Суроо 1"),
        make_question(course, "Суроо 2", kind=QuestionKind.MULTIPLE, correct=(0, 1), choices=4),
        make_question(course, "Суроо 3", kind=QuestionKind.TRUE_FALSE, correct=(1,)),
        make_question(course, "Суроо 4", correct=(2,)),
    ]


def right_answers(questions):
    return {q.pk: [c.pk for c in q.choices.all() if c.is_correct] for q in questions}


def answers_with(questions, right):
    """Answer the first `right` questions correctly, the rest with a wrong choice."""
    answers = {}
    for index, question in enumerate(questions):
        choices = list(question.choices.all())
        if index < right:
            answers[question.pk] = [c.pk for c in choices if c.is_correct]
        else:
            answers[question.pk] = [next(c.pk for c in choices if not c.is_correct)]
    return answers


def as_post(answers):
    return {f"q{question}": [str(choice) for choice in choices] for question, choices in answers.items()}


def register(session, user, status="confirmed"):
    return Registration.objects.create(session=session, user=user, status=status)
