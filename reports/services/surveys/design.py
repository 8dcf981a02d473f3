"""The rules of designing a survey in the admin: what a survey must ask, and what answered questions keep."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from academy.errors import DomainError
from reports.models import Feedback, QuestionKind, SurveyQuestion
from reports.models.surveys import LANGUAGES, STANDARD_SCORES, STANDARD_TEXTS

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


@dataclass
class QuestionDraft:
    """One question as the admin form would save it."""

    pk: int | None
    kind: str
    standard: str = ""
    text: str = ""
    options: dict = field(default_factory=dict)  # {language: number of option lines}
    is_active: bool = True
    deleted: bool = False


def option_counts(choices_by_language):
    return {
        code: len([line for line in (choices_by_language.get(code) or "").splitlines() if line.strip()])
        for code in LANGUAGES
    }


def _answered(survey):
    """({question id: (kind, standard, options)} of questions with answers, whether the survey has answers)."""
    if survey is None or survey.pk is None:
        return {}, False
    has_feedback = Feedback.objects.filter(survey=survey).exists()
    frozen = {}
    for question in SurveyQuestion.objects.filter(survey=survey).annotate(answered=Count("answers")):
        if question.answered or (question.standard and has_feedback):
            frozen[question.pk] = question
    return frozen, has_feedback


def _question_problems(draft, frozen):
    name = draft.text or "—"
    problems = []
    if draft.standard in STANDARD_SCORES and draft.kind != QuestionKind.RATING:
        problems.append(_("“%(question)s”: a standard score is a rating from 1 to 5.") % {"question": name})
    if draft.standard in STANDARD_TEXTS and draft.kind != QuestionKind.TEXT:
        problems.append(_("“%(question)s”: this standard question is answered with a text.") % {"question": name})
    if draft.kind in CHOICE_KINDS and not draft.deleted:
        counts = draft.options
        if counts.get("ky", 0) < 2:
            problems.append(
                _("“%(question)s”: a choice question needs at least two options (one a line, in Kyrgyz).")
                % {"question": name}
            )
        elif any(counts.get(code, 0) not in (0, counts["ky"]) for code in ("ru", "en")):
            problems.append(
                _(
                    "“%(question)s”: give the options in every language in the same number and order, or leave a language empty."
                )
                % {"question": name}
            )
    before = frozen.get(draft.pk)
    if before is not None:
        if draft.deleted:
            problems.append(_("“%(question)s” has answers: switch it off instead of deleting it.") % {"question": name})
        elif draft.kind != before.kind or draft.standard != before.standard:
            problems.append(
                _("“%(question)s” has answers: its kind and its standard question cannot change.") % {"question": name}
            )
        elif before.kind in CHOICE_KINDS and draft.options.get("ky", 0) < len(before.options("ky")):
            problems.append(
                _("“%(question)s” has answers: options can only be added at the end, never removed.")
                % {"question": name}
            )
    return problems


def design_problems(survey, *, course, is_active, drafts):
    """What is wrong with saving `survey` (None or unsaved when new) with these questions: a list of
    translated messages, empty when it may be saved."""
    frozen, _has_feedback = _answered(survey)
    problems = []
    if survey is not None and survey.pk:
        saved = type(survey).objects.filter(pk=survey.pk).values("course_id", "is_active").first()
        if saved and saved["course_id"] is None and saved["is_active"] and (course is not None or not is_active):
            problems.append(
                _("The default survey stays on and for every course: make a new default survey, which replaces it.")
            )
    kept = [draft for draft in drafts if not draft.deleted]
    for standard in STANDARD_SCORES:
        matching = [draft for draft in kept if draft.standard == standard]
        if len(matching) != 1 or not matching[0].is_active:
            problems.append(
                _(
                    "Every survey asks the three standard scores (content, trainer, organisation) once, switched on: "
                    "the donor figures are made of them."
                )
            )
            break
    for standard in STANDARD_TEXTS:
        if len([draft for draft in kept if draft.standard == standard]) > 1:
            problems.append(_("Each standard question can be in a survey once."))
            break
    for draft in drafts:
        problems.extend(_question_problems(draft, frozen))
    return problems


def check_can_delete(survey):
    if survey.course_id is None and survey.is_active:
        raise DomainError(_("The default survey cannot be deleted: make a new default survey, which replaces it."))
    if Feedback.objects.filter(survey=survey).exists():
        raise DomainError(_("This survey has answers: switch it off instead of deleting it."))
