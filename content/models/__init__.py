"""Study material: what learners study. Loaded from content packs and authored in admin.

Every authored item has a stable slug from the pack files and a status; retired items are
kept so learners' history on them stays intact. `quizzes` refers to these models; this app
never imports `quizzes`.
"""

from content.models.base import (
    Authored,
    DatePrecision,
    FromPack,
    Pack,
    PublishedQuerySet,
    Source,
    Status,
    format_partial_date,
    visible_q,
)
from content.models.cards import (
    CLOZE_ANY_RE,
    CLOZE_RE,
    CardKind,
    Flashcard,
    FlashcardQuerySet,
    studyable_q,
)
from content.models.drafts import DraftItem, DraftKind, DraftStatus
from content.models.mains import (
    DIRECTIVE_MEANINGS,
    MAINS_FORMAT,
    Directive,
    KeyPoint,
    MainsQuestion,
)
from content.models.papers import Marking, Paper, PaperFamily, PaperQuerySet, PaperQuestion
from content.models.questions import (
    Ask,
    Choice,
    Difficulty,
    Pair,
    Question,
    QuestionKind,
    QuestionQuerySet,
    Statement,
)
from content.models.search import SearchEntry, SearchKind, SearchTerm
from content.models.topics import Claim, Fact, FactKind, FactQuerySet, Note, Topic, TopicQuerySet

__all__ = [
    "CLOZE_ANY_RE",
    "CLOZE_RE",
    "DIRECTIVE_MEANINGS",
    "MAINS_FORMAT",
    "Ask",
    "Authored",
    "FromPack",
    "CardKind",
    "Choice",
    "Claim",
    "DatePrecision",
    "Difficulty",
    "Directive",
    "DraftItem",
    "DraftKind",
    "DraftStatus",
    "Fact",
    "FactKind",
    "FactQuerySet",
    "Flashcard",
    "FlashcardQuerySet",
    "KeyPoint",
    "MainsQuestion",
    "Marking",
    "Note",
    "Pack",
    "Pair",
    "Paper",
    "PaperFamily",
    "PaperQuerySet",
    "PaperQuestion",
    "PublishedQuerySet",
    "Question",
    "QuestionKind",
    "QuestionQuerySet",
    "SearchEntry",
    "SearchKind",
    "SearchTerm",
    "Source",
    "Statement",
    "Status",
    "Topic",
    "TopicQuerySet",
    "format_partial_date",
    "studyable_q",
    "visible_q",
]
