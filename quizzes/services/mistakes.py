"""Mistakes come back: a wrong Prelims answer brings the flashcards of the facts it tested
into the learner's review queue (issue 20).

Called by the services that record answers (`quizzes.services.prelims`), inside their
transaction: a practice answer checked wrong, and every wrong or blank answer of a mock when
it is submitted. Cards the learner has already started become due now; cards never seen are
marked, and the review session introduces marked new cards before the usual order. The mark
keeps when and where the mistake was made, which the review page shows as the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import transaction

from content.models import Flashcard
from quizzes.models import Attempt, CardMark, CardState
from studyapp.freshness import learner_changed


@transaction.atomic
def mistakes_bring_back(
    *, learner, question_ids: Collection[int], now: dt.datetime, where: str = ""
) -> int:
    """Queue the published cards that test the facts of `question_ids` for `learner` (a
    user or a user id).

    `where` names the test ("Mock 3"); empty for practice. Returns how many cards were
    marked. Three queries whatever the number of questions.
    """
    if not question_ids:
        return 0
    card_ids = list(
        Flashcard.objects.visible()
        .filter(facts__questions__in=question_ids)
        .values_list("pk", flat=True)
        .distinct()
    )
    if not card_ids:
        return 0
    learner_id = getattr(learner, "pk", learner)
    learner_changed(learner_id)  # bulk statements below: no model signals
    CardState.objects.filter(learner=learner, card_id__in=card_ids, due__gt=now).update(due=now)
    CardMark.objects.bulk_create(
        [
            CardMark(learner_id=learner_id, card_id=pk, missed_at=now, missed_in=where)
            for pk in card_ids
        ],
        update_conflicts=True,
        unique_fields=["learner", "card"],
        update_fields=["missed_at", "missed_in"],
    )
    return len(card_ids)


def mock_label(attempt: Attempt) -> str:
    """How the review page names a mock: its paper's title, else "Mock <n>" (the learner's
    n-th mock, counted on the (learner, mode, …) index)."""
    if attempt.paper_id:
        return attempt.paper.title
    n = Attempt.objects.filter(
        learner_id=attempt.learner_id, mode=Attempt.Mode.MOCK, started_at__lte=attempt.started_at
    ).count()
    return f"Mock {n}"


def mock_mistakes(*, attempt: Attempt, items, now: dt.datetime) -> int:
    """After a mock is scored: bring back the cards of its wrong and blank answers."""
    wrong = {pk for pk, chosen, key in items if chosen is None or chosen != key}
    if not wrong:
        return 0
    return mistakes_bring_back(
        learner=attempt.learner_id, question_ids=wrong, now=now, where=mock_label(attempt)
    )
