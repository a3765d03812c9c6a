"""Streaks, mastery, percentages and marks: the numbers the progress pages share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from quizzes.scoring import percent

T = TypeVar("T", bound=Mapping)

# ---- streaks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    active_today: bool


def streaks(active_days: Iterable[dt.date], today: dt.date) -> Streak:
    """Study streaks from the learner's active local dates.

    `current` counts consecutive active days ending today; a streak that ended yesterday is
    still current (the learner has until midnight to keep it). `longest` is the longest run
    ever. Dates after `today` (clock skew) are ignored.
    """
    days = sorted({d for d in active_days if d <= today})
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    active = set(days)
    current = 0
    cursor = today if today in active else today - dt.timedelta(days=1)
    while cursor in active:
        current += 1
        cursor -= dt.timedelta(days=1)
    return Streak(current=current, longest=longest, active_today=today in active)


# ---- mastery ---------------------------------------------------------------------------------

NOTE_WEIGHT = 20
CARDS_WEIGHT = 40
PRELIMS_WEIGHT = 40

MASTERY_FORMULA = (
    f"Mastery = {NOTE_WEIGHT}% note studied + {CARDS_WEIGHT}% cards + {PRELIMS_WEIGHT}% Prelims. "
    "Cards = share of the topic's cards you have started × share of your reviews of them you "
    "recalled (anything but Again). Prelims = share of the topic's questions you have answered "
    "× share of your answers that were right. A part the topic does not have (no cards, no "
    "questions) is left out and the other weights scale up."
)


@dataclass(frozen=True)
class Mastery:
    """A topic's mastery (0-100) and the parts it was built from (None: not applicable)."""

    percent: int
    note: bool
    cards: int | None  # 0-100
    prelims: int | None  # 0-100
    card_recall: int | None  # % of reviews recalled
    card_coverage: int | None  # % of cards started
    accuracy: int | None  # % of answers right
    question_coverage: int | None  # % of questions answered at least once

    @property
    def level(self) -> str:
        if self.percent >= 90:
            return "Mastered"
        if self.percent >= 70:
            return "Strong"
        if self.percent >= 40:
            return "Building"
        if self.percent > 0:
            return "Started"
        return "Not started"


def mastery(
    *,
    note_studied: bool,
    cards_total: int,
    cards_seen: int,
    reviews: int,
    recalled: int,
    questions_total: int,
    questions_answered: int,
    answers: int,
    correct: int,
) -> Mastery:
    """Combine what the learner did in one topic into a single 0-100 number.

    See MASTERY_FORMULA. Coverage is capped at 100% (retired items answered earlier still
    count as answered). A topic with neither cards nor questions is mastered by its note alone.
    """
    weight = NOTE_WEIGHT
    score = NOTE_WEIGHT * (1.0 if note_studied else 0.0)
    cards = card_recall = card_coverage = None
    if cards_total:
        coverage = min(1.0, cards_seen / cards_total)
        recall = recalled / reviews if reviews else 0.0
        cards = coverage * recall
        score += CARDS_WEIGHT * cards
        weight += CARDS_WEIGHT
        card_coverage = percent(min(cards_seen, cards_total), cards_total)
        card_recall = percent(recalled, reviews)
    prelims = accuracy = question_coverage = None
    if questions_total:
        coverage = min(1.0, questions_answered / questions_total)
        right = correct / answers if answers else 0.0
        prelims = coverage * right
        score += PRELIMS_WEIGHT * prelims
        weight += PRELIMS_WEIGHT
        question_coverage = percent(min(questions_answered, questions_total), questions_total)
        accuracy = percent(correct, answers)
    return Mastery(
        percent=percent(score, weight),
        note=note_studied,
        cards=None if cards is None else percent(cards, 1),
        prelims=None if prelims is None else percent(prelims, 1),
        card_recall=card_recall,
        card_coverage=card_coverage,
        accuracy=accuracy,
        question_coverage=question_coverage,
    )


# ---- Prelims marks ---------------------------------------------------------------------------


WEAK_MIN_ANSWERS = 3  # Prelims answers in a topic before it can be called weak


def weakest_topics(rows: Iterable[T], *, limit: int | None = None) -> list[T]:
    """The one definition of a learner's weak topics, shared by the dashboard and the staff
    list: a topic is weak once it has at least WEAK_MIN_ANSWERS Prelims answers, and a lower
    accuracy than the learner's strongest such topic — so the strongest (or the only one, or
    a tie for best) is never called weak. The weakest has the lowest accuracy (exact, not the
    rounded percent), then the most answers, then comes first in the syllabus. `rows` are
    mappings with `answers`, `correct` and `order` (the topic's order); the weak ones come
    back weakest first.
    """
    rated = [r for r in rows if r["answers"] >= WEAK_MIN_ANSWERS]
    if not rated:
        return []
    best = max(Fraction(r["correct"], r["answers"]) for r in rated)
    weak = [r for r in rated if Fraction(r["correct"], r["answers"]) < best]
    weak.sort(key=lambda r: (Fraction(r["correct"], r["answers"]), -r["answers"], r["order"]))
    return weak[:limit] if limit is not None else weak


def marks_lost_thirds(wrong: int) -> int:
    """Marks lost to negative marking, in thirds of a mark: 2/3 a wrong answer."""
    return 2 * wrong


# ---- heatmap ---------------------------------------------------------------------------------


# ---- question statistics ---------------------------------------------------------------------


def top_and_bottom_thirds(ranked: Sequence[int]) -> tuple[list[int], list[int]]:
    """Split learner ids ranked best first into the top and the bottom third (n // 3 each,
    so the middle takes the remainder); both empty with fewer than three learners."""
    n = len(ranked) // 3
    if not n:
        return [], []
    return list(ranked[:n]), list(ranked[-n:])
