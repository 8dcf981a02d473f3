"""The academy's feedback surveys: which survey a participant answers and checking the answers (answers.py),
the rules of designing one in the admin (design.py), and the feedback report's part on their questions
(report.py)."""

from .answers import TEXT_LIMITS, clean_answers, clean_score, current_survey, save_answers, survey_of

__all__ = ["TEXT_LIMITS", "clean_answers", "clean_score", "current_survey", "save_answers", "survey_of"]
