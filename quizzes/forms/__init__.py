"""Every form of the quizzes app, one name per job: Prelims (start, answer), flashcards (rate,
undo, a learner's own card), Mains (answer, self-assessment, mentor feedback), the mentor
queue (filters, evaluation), the history filters, search and a question page's check.
Validation only: the writes live in quizzes/services/. Import them from here.
"""

from quizzes.forms.cards import (
    CardMarkForm,
    CardRatingForm,
    CustomStudyForm,
    RatingUndoForm,
    card_form_error,
)
from quizzes.forms.history import HistoryFilterForm
from quizzes.forms.mains import (
    CleanTextField,
    MainsAction,
    MainsAnswerForm,
    MainsAssessForm,
    MentorFeedbackForm,
    mains_form_error,
)
from quizzes.forms.mentor import EvaluationForm, QueueFilterForm
from quizzes.forms.own_cards import OwnCardForm
from quizzes.forms.prelims import PrelimsAnswerForm, PrelimsStartForm
from quizzes.forms.search import QuestionCheckForm, SearchForm

__all__ = [
    "CardMarkForm",
    "CardRatingForm",
    "CleanTextField",
    "CustomStudyForm",
    "EvaluationForm",
    "HistoryFilterForm",
    "MainsAction",
    "MainsAnswerForm",
    "MainsAssessForm",
    "MentorFeedbackForm",
    "OwnCardForm",
    "PrelimsAnswerForm",
    "PrelimsStartForm",
    "QuestionCheckForm",
    "QueueFilterForm",
    "RatingUndoForm",
    "SearchForm",
    "card_form_error",
    "mains_form_error",
]
