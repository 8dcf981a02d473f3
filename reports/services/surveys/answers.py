"""Which survey a participant answers, and checking the answers against its questions."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from academy.errors import DomainError
from reports.models import QuestionKind, StandardField, Survey, SurveyAnswer, SurveyQuestion
from reports.models.surveys import STANDARD_SCORES, STANDARD_TEXTS, TEXT_ANSWER_LIMIT

#: The longest text a standard text question takes.
TEXT_LIMITS = {StandardField.MOST_USEFUL: 2000, StandardField.COMMENTS: 4000}


def _with_questions(queryset):
    active = SurveyQuestion.objects.filter(is_active=True).order_by("sort_order", "pk")
    return queryset.prefetch_related(Prefetch("questions", queryset=active, to_attr="active_questions"))


def current_survey(course):
    """The course's active survey (in any language version of the course page), else the default one.

    Two queries (the candidates, their active questions)."""
    wanted = Q(course__isnull=True)
    if course is not None:
        wanted |= Q(course__translation_key=course.translation_key)
    candidates = list(_with_questions(Survey.objects.filter(wanted, is_active=True).order_by("-pk")))
    own = [survey for survey in candidates if survey.course_id is not None]
    survey = (own or candidates or [None])[0]
    if survey is None:
        raise DomainError(_("No feedback survey is set up yet. Please try again later."), code="no_survey")
    return survey


def survey_of(registration, feedback=None):
    """The survey `registration` answers: the one already answered, else its course's current one."""
    if feedback is not None and feedback.survey_id:
        return _with_questions(Survey.objects.filter(pk=feedback.survey_id)).get()
    if feedback is not None:  # answered before surveys: the default questions
        return current_survey(None)
    return current_survey(registration.session.course)


def _whole_number(value):
    """An int from an int or a string of digits; None for anything else (booleans, floats, "3.5")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _empty(value):
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def clean_score(value, field):
    score = _whole_number(value)
    if score is None or not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), field=field)
    return score


def _clean_text(value, field, limit):
    if not isinstance(value, str):
        raise DomainError(_("Write the answer as text."), field=field)
    text = value.strip()
    if len(text) > limit:
        raise DomainError(_("Please keep this under %(limit)s characters.") % {"limit": limit}, field=field)
    return text


def _clean_choice(value, question, field):
    index = _whole_number(value)
    if index is None or not 0 <= index < len(question.options("ky")):
        raise DomainError(_("Choose one of the options offered."), field=field)
    return index


def _clean_answer(question, value):
    """(number, chosen, text) of an answer to a question of the academy's own."""
    field = question.field_name
    if question.kind == QuestionKind.RATING:
        return clean_score(value, field), [], ""
    if question.kind == QuestionKind.SINGLE:
        return _clean_choice(value, question, field), [], ""
    if question.kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list | tuple) else [value]
        chosen = sorted({_clean_choice(item, question, field) for item in values})
        return None, chosen, ""
    return None, [], _clean_text(value, field, TEXT_ANSWER_LIMIT)


def _question_id(key):
    text = str(key).strip()
    text = text[1:] if text[:1] == "q" else text
    return _whole_number(text)


def clean_answers(survey, standard, extra):
    """Check answers against the survey's active questions.

    `standard`: {Feedback column: value} of the five standard questions; `extra`: {question id or
    "q<id>": value}. Returns (Feedback column values, [(question, number, chosen, text)]); raises a
    DomainError naming the field at fault (a standard column, "q<id>", or "answers")."""
    questions = survey.active_questions
    by_standard = {question.standard: question for question in questions if question.standard}
    columns = {}
    for field in STANDARD_SCORES:  # every survey asks them (the donor figures are made of them)
        columns[field.value] = clean_score(standard.get(field.value), field.value)
    for field in STANDARD_TEXTS:
        value = standard.get(field.value)
        question = by_standard.get(field.value)
        if question is None:
            if not _empty(value):
                raise DomainError(_("This question is not in the survey."), field=field.value)
            columns[field.value] = ""
            continue
        columns[field.value] = "" if value is None else _clean_text(value, field.value, TEXT_LIMITS[field])
        if question.required and not columns[field.value]:
            raise DomainError(_("This question needs an answer."), field=field.value)
    own = {question.pk: question for question in questions if not question.standard}
    if not isinstance(extra, dict):
        raise DomainError(_("Give the answers as an object keyed by question id."), field="answers")
    given = {}
    for key, value in extra.items():
        question = own.get(_question_id(key))
        if question is None:
            raise DomainError(_("This question is not in the survey."), field="answers")
        given[question.pk] = value
    answers = []
    for question in own.values():
        value = given.get(question.pk)
        if _empty(value):
            if question.required:
                raise DomainError(_("This question needs an answer."), field=question.field_name)
            continue
        answer = _clean_answer(question, value)
        if answer[0] is None and not answer[1] and not answer[2]:
            continue
        answers.append((question, *answer))
    return columns, answers


def save_answers(feedback, survey, answers):
    """Replace the answers to the survey's active questions; answers to switched-off questions stay."""
    SurveyAnswer.objects.filter(feedback=feedback, question__in=[q.pk for q in survey.active_questions]).delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(feedback=feedback, question=question, number=number, chosen=chosen, text=text)
        for question, number, chosen, text in answers
    )
