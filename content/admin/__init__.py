"""Authoring in Django admin, with the same rules as the pack loader.

A structured question's options and key are derived from its statements/pairs, so the inline
formsets refuse a structure with no valid UPSC key (e.g. all statements true, asked "which is
not correct") and a single question without exactly one correct choice of four.
"""

from content.admin.base import STATUS_ACTIONS, AuthoredAdmin, publish, retire, unpublish
from content.admin.cards import FlashcardAdmin, FlashcardForm
from content.admin.mains import KeyPointInline, MainsQuestionAdmin, MainsQuestionForm
from content.admin.papers import PaperAdmin, PaperQuestionInline
from content.admin.provenance import PackAdmin, follow_file_again
from content.admin.questions import (
    ChoiceFormSet,
    ChoiceInline,
    PairFormSet,
    PairInline,
    QuestionAdmin,
    QuestionForm,
    StatementFormSet,
    StatementInline,
)
from content.admin.sources import SourceAdmin, generate_drafts
from content.admin.topics import (
    ClaimFormSet,
    ClaimInline,
    DisputedFilter,
    FactAdmin,
    NoteInline,
    TopicAdmin,
)

__all__ = [
    "STATUS_ACTIONS",
    "AuthoredAdmin",
    "ChoiceFormSet",
    "ChoiceInline",
    "ClaimFormSet",
    "ClaimInline",
    "DisputedFilter",
    "FactAdmin",
    "FlashcardAdmin",
    "FlashcardForm",
    "KeyPointInline",
    "MainsQuestionAdmin",
    "MainsQuestionForm",
    "NoteInline",
    "PackAdmin",
    "PairFormSet",
    "PairInline",
    "PaperAdmin",
    "PaperQuestionInline",
    "QuestionAdmin",
    "QuestionForm",
    "SourceAdmin",
    "StatementFormSet",
    "StatementInline",
    "TopicAdmin",
    "follow_file_again",
    "generate_drafts",
    "publish",
    "retire",
    "unpublish",
]
