"""What learners do: notes studied, card states and review logs, Prelims attempts, Mains answers.

All times are stored UTC-aware. Nothing here is deleted when content changes: attempt items
keep a snapshot of the question as it was shown.
"""

from quizzes.models.cards import (
    CardMark,
    CardMarkQuerySet,
    CardState,
    CardStateQuerySet,
    ReviewLog,
    ReviewLogQuerySet,
)
from quizzes.models.mains import MainsAnswer, MainsAnswerQuerySet
from quizzes.models.notes import NoteProgress, NoteProgressQuerySet
from quizzes.models.prelims import (
    Attempt,
    AttemptItem,
    AttemptItemQuerySet,
    AttemptQuerySet,
    Bookmark,
)
from quizzes.models.series import PaperQuestionStat, PaperScore
from quizzes.models.stats import QuestionStats, QuestionStatsQuerySet
from quizzes.models.uploads import AnswerPage

__all__ = [
    "AnswerPage",
    "Attempt",
    "AttemptItem",
    "AttemptItemQuerySet",
    "AttemptQuerySet",
    "Bookmark",
    "CardMark",
    "CardMarkQuerySet",
    "CardState",
    "CardStateQuerySet",
    "MainsAnswer",
    "MainsAnswerQuerySet",
    "NoteProgress",
    "NoteProgressQuerySet",
    "PaperQuestionStat",
    "PaperScore",
    "QuestionStats",
    "QuestionStatsQuerySet",
    "ReviewLog",
    "ReviewLogQuerySet",
]
