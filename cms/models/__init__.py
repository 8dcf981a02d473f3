"""Site content, one module per concept: general pages, best practices, the journal, site settings."""

from .contest import ContestCriterion, ContestPage, ContestRound, ContestSubmission, JuryScore, SubmissionStatus
from .journal import ArticlePage, ArticlePracticeLink, JournalIndexPage, JournalIssuePage, JournalRubric
from .pages import HomePage, NewsIndexPage, NewsPage, StandardPage
from .practices import PracticeIndexPage, PracticePage, PracticeTopic
from .site_settings import AcademySettings

__all__ = [
    "AcademySettings",
    "ArticlePage",
    "ArticlePracticeLink",
    "ContestCriterion",
    "ContestPage",
    "ContestRound",
    "ContestSubmission",
    "HomePage",
    "JournalIndexPage",
    "JournalIssuePage",
    "JournalRubric",
    "JuryScore",
    "NewsIndexPage",
    "NewsPage",
    "PracticeIndexPage",
    "PracticePage",
    "PracticeTopic",
    "StandardPage",
    "SubmissionStatus",
]
