"""The feedback form: the questions of the survey the participant answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import QuestionKind, StandardField
from reports.models.surveys import STANDARD_SCORES, TEXT_ANSWER_LIMIT
from reports.services.surveys import TEXT_LIMITS

SCORES = [(str(score), str(score)) for score in range(1, 6)]
SCALE_HELP = {
    StandardField.CONTENT: _("1 — not useful, 5 — very useful"),
    StandardField.TRAINER: _("1 — poor, 5 — excellent"),
    StandardField.ORGANISATION: _("1 — poorly, 5 — very well"),
}
STANDARD_COLUMNS = [field.value for field in StandardField]


def field_for(question):
    required = question.required or question.standard in STANDARD_SCORES
    label = question.text
    if question.kind == QuestionKind.RATING:
        return forms.ChoiceField(
            label=label,
            choices=SCORES,
            required=required,
            widget=forms.RadioSelect,
            help_text=SCALE_HELP.get(question.standard, _("1 — lowest, 5 — highest")),
        )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [(str(index), option) for index, option in enumerate(question.options())]
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(label=label, choices=choices, required=required, widget=forms.RadioSelect)
        return forms.MultipleChoiceField(
            label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
        )
    limit = TEXT_LIMITS.get(question.standard, TEXT_ANSWER_LIMIT)
    rows = 4 if question.standard == StandardField.COMMENTS else 3
    return forms.CharField(
        label=label, required=required, max_length=limit, widget=forms.Textarea(attrs={"rows": rows})
    )


def _initial(feedback):
    if feedback is None:
        return {}
    initial = {column: getattr(feedback, column) for column in STANDARD_COLUMNS}
    initial.update(
        {column: str(initial[column]) for column in ("content_score", "trainer_score", "organisation_score")}
    )
    for answer in feedback.answers.all():
        name = f"q{answer.question_id}"
        if answer.chosen:
            initial[name] = [str(index) for index in answer.chosen]
        elif answer.number is not None:
            initial[name] = str(answer.number)
        else:
            initial[name] = answer.text
    return initial


class SurveyForm(forms.Form):
    """The active questions of `survey`, in their order, filled in with `feedback` when changing it."""

    def __init__(self, survey, data=None, *, feedback=None):
        super().__init__(data, initial=_initial(feedback))
        self.survey = survey
        for question in survey.active_questions:
            self.fields[question.field_name] = field_for(question)

    def service_arguments(self):
        """Keyword arguments of `feedback.submit_feedback`: the standard columns and the other answers."""
        data = self.cleaned_data
        arguments = {column: data[column] for column in STANDARD_COLUMNS if column in data}
        arguments["answers"] = {
            question.pk: data.get(question.field_name)
            for question in self.survey.active_questions
            if not question.standard
        }
        return arguments
