from .action_plans import (
    REPORTED_STATUSES,
    ActionPlanFollowUp,
    ActionPlanItem,
    ActionPlanReport,
    ActionPlanSource,
    ActionPlanStatus,
)
from .article_links import CourseArticleLink
from .assessments import (
    Answer,
    Attempt,
    AttemptMethod,
    Choice,
    KnowledgeTest,
    KnowledgeTestKind,
    KnowledgeTestQuestion,
    Question,
    QuestionKind,
)
from .attendance import Attendance, AttendanceChange, AttendanceChangeOutcome, AttendanceMethod, AttendanceStatus
from .catalogue import Audience, CourseIndexPage, CoursePage, DeliveryLanguage, Topic
from .completion import AssignmentSubmission, CompletionOverride
from .costs import CostKind, SessionCost
from .materials import Material, ShortLink
from .quotas import SessionQuota
from .registrations import SEAT_STATUSES, Registration, RegistrationSource, RegistrationStatus
from .sessions import AgendaItem, Session, SessionFormat, SessionStatus
from .trainers import TrainerProfile
from .venues import Venue

__all__ = [
    "REPORTED_STATUSES",
    "SEAT_STATUSES",
    "ActionPlanFollowUp",
    "ActionPlanItem",
    "ActionPlanReport",
    "ActionPlanSource",
    "ActionPlanStatus",
    "AgendaItem",
    "Answer",
    "Attempt",
    "AttemptMethod",
    "CourseArticleLink",
    "Choice",
    "KnowledgeTest",
    "KnowledgeTestKind",
    "KnowledgeTestQuestion",
    "Question",
    "QuestionKind",
    "AssignmentSubmission",
    "Attendance",
    "AttendanceChange",
    "AttendanceChangeOutcome",
    "AttendanceMethod",
    "AttendanceStatus",
    "Audience",
    "CompletionOverride",
    "CostKind",
    "CourseIndexPage",
    "CoursePage",
    "DeliveryLanguage",
    "Material",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "Session",
    "SessionCost",
    "SessionFormat",
    "SessionQuota",
    "SessionStatus",
    "ShortLink",
    "Topic",
    "TrainerProfile",
    "Venue",
]
