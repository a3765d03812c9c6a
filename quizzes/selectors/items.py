"""One card (`/cards/<id>/`) or one Prelims question (`/prelims/questions/<id>/`) on its own
page, as a search hit opens it. Content only: no learner's history is read.

Both raise Http404 for an item a learner may not see (`visible()`: not published, or in a
topic that is not published), except in a staff preview; a learner's own card is theirs only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from content.formats import LETTERS
from content.models import Flashcard, Question
from quizzes.selectors.cards import _cloze
from quizzes.selectors.prelims import present_question


@dataclass
class CardPage:
    card: Flashcard
    cloze: dict | None
    review_url: str


def card_page(pk: int, learner, *, preview: bool = False) -> CardPage:
    """The card with its topic and sources (two queries): a card the learner studies (their own
    included; another learner's own card is a 404), any pack card for a staff `preview`."""
    cards = Flashcard.objects.for_learner(learner)
    if preview:
        cards = Flashcard.objects.filter(Q(owner__isnull=True) | Q(owner=learner))
    card = get_object_or_404(cards.select_related("topic").prefetch_related("sources"), pk=pk)
    params = {"topic": card.topic.slug} if card.topic else {"card": card.pk}
    review = f"{reverse('quizzes:review')}?{urlencode(params)}"
    return CardPage(card, _cloze(card), review)


@dataclass
class QuestionPage:
    question: Question
    view: dict  # present_question(): without `reveal`, nothing that gives the answer away
    reveal: bool
    right: bool
    chosen_letter: str


def question_page(
    pk: int, *, chosen: int | None, reveal: bool, preview: bool = False
) -> QuestionPage:
    """The question in the UPSC layout; checked against `chosen` or revealed when asked.
    Any question for a staff `preview`."""
    questions = Question.objects.all() if preview else Question.objects.visible()
    question = get_object_or_404(questions.with_parts(), pk=pk)
    reveal = reveal or chosen is not None
    snapshot = question.snapshot()
    key = snapshot["key"] if reveal else None
    view = present_question(snapshot, chosen=chosen, reveal=reveal, key=key)
    letter = LETTERS[chosen] if chosen is not None else ""
    return QuestionPage(question, view, reveal, reveal and chosen == key, letter)
