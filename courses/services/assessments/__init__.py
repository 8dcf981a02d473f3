"""Knowledge tests before and after a session (issue 19.1): the trainer builds, opens and closes a session's
pre-test and post-test (`lifecycle`), participants submit one attempt each and the trainer types in paper
copies (`attempts`), and `results` compares the two per person, for the session and per question.

Views, the admin and the demo only call these functions; every rule broken raises a DomainError whose
message is translated and safe to show.
"""

from .attempts import already_submitted, enter_paper, own_attempt, parse_answers, submit
from .lifecycle import (
    close_test,
    ensure_test,
    load_questions,
    open_kind,
    open_test,
    participant_registration,
    session_tests,
)
from .participant import participant_tests
from .results import session_results

__all__ = [
    "already_submitted",
    "close_test",
    "ensure_test",
    "enter_paper",
    "load_questions",
    "open_kind",
    "open_test",
    "own_attempt",
    "parse_answers",
    "participant_registration",
    "participant_tests",
    "session_results",
    "session_tests",
    "submit",
]
