from .feedback import FEEDBACK_EDIT_WINDOW, SCORE_FIELDS, Feedback
from .rollups import PeopleGroupRollup, PersonRollup, SessionRollup, SurveyRollup, TrainerPersonRollup, TrainerRollup
from .surveys import QuestionKind, StandardField, Survey, SurveyAnswer, SurveyQuestion

__all__ = [
    "FEEDBACK_EDIT_WINDOW",
    "SCORE_FIELDS",
    "Feedback",
    "PeopleGroupRollup",
    "PersonRollup",
    "QuestionKind",
    "SessionRollup",
    "StandardField",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyRollup",
    "TrainerPersonRollup",
    "TrainerRollup",
]
