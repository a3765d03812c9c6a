"""UPSC Prelims marking, kept exact: pure functions, no ORM, no clock.

GS Paper I gives +2 for a right answer, takes away one third of the question's marks
(2/3) for a wrong one and nothing for a blank. Two thirds has no exact binary or decimal
form, so every total is kept in *thirds of a mark* as an integer (a right answer is +6, a
wrong one -2) — `Attempt.score_thirds` stores exactly that — and only turned into a decimal
with two places when shown (8.67, -0.67). Guidance sentences for the result page are built
here too, from aggregated rows the view hands in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

RIGHT_THIRDS = 6  # +2 marks
WRONG_THIRDS = -2  # -2/3 of a mark
BLANK_THIRDS = 0

MARKS_PER_QUESTION = 2
SECONDS_PER_QUESTION = 72  # 1.2 minutes: 100 questions in 120 minutes, 25 in 30
FULL_PAPER_QUESTIONS = 100
DEFAULT_MOCK_QUESTIONS = 25


def item_thirds(chosen: int | None, key: int) -> int:
    """Marks, in thirds, for one question: +6 right, -2 wrong, 0 blank."""
    if chosen is None:
        return BLANK_THIRDS
    return RIGHT_THIRDS if chosen == key else WRONG_THIRDS


def thirds_to_marks(thirds: int) -> Fraction:
    """The exact mark for a score kept in thirds (e.g. -2 -> Fraction(-2, 3))."""
    return Fraction(thirds, 3)


def format_marks(thirds: int | None) -> str:
    """Two decimals, rounded half away from zero, from the exact value: 26 -> '8.67'.

    Thirds never land on a half-hundredth, so the rounding rule only matters for the sign:
    -2/3 shows as '-0.67', never '-0.66'. Integer arithmetic only: no float ever touches it.
    """
    if thirds is None:
        return "—"
    sign = "-" if thirds < 0 else ""
    # hundredths = round(|thirds| * 100 / 3), half away from zero
    hundredths = (abs(thirds) * 200 + 3) // 6
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


def max_thirds(question_count: int) -> int:
    """The best possible score, in thirds: 2 marks a question."""
    return question_count * RIGHT_THIRDS


def mock_seconds(question_count: int) -> int:
    """Time allowed for a mock of N questions: 1.2 minutes each (the GS Paper I rate)."""
    return question_count * SECONDS_PER_QUESTION


@dataclass(frozen=True)
class Tally:
    correct: int = 0
    wrong: int = 0
    blank: int = 0

    @property
    def questions(self) -> int:
        return self.correct + self.wrong + self.blank

    @property
    def attempted(self) -> int:
        return self.correct + self.wrong

    @property
    def score_thirds(self) -> int:
        return self.correct * RIGHT_THIRDS + self.wrong * WRONG_THIRDS

    @property
    def lost_thirds(self) -> int:
        """Marks taken away by negative marking, in thirds (a positive number)."""
        return -self.wrong * WRONG_THIRDS

    @property
    def score(self) -> Fraction:
        return thirds_to_marks(self.score_thirds)

    @property
    def accuracy(self) -> Fraction | None:
        """Share of attempted questions answered right; None when nothing was attempted."""
        return Fraction(self.correct, self.attempted) if self.attempted else None


def tally(answers: Iterable[tuple[int | None, int]]) -> Tally:
    """Count right, wrong and blank answers from (chosen, key) pairs."""
    correct = wrong = blank = 0
    for chosen, key in answers:
        if chosen is None:
            blank += 1
        elif chosen == key:
            correct += 1
        else:
            wrong += 1
    return Tally(correct=correct, wrong=wrong, blank=blank)


def percent(part: int | Fraction, whole: int | Fraction) -> int | None:
    """A whole-number percentage, rounded half up; None when the whole is zero."""
    if not whole:
        return None
    value = Fraction(part) * 100 / Fraction(whole)
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


# ---- guidance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One row of a breakdown (a format or a topic) as the result page aggregates it."""

    label: str
    correct: int
    wrong: int
    blank: int

    @property
    def tally(self) -> Tally:
        return Tally(self.correct, self.wrong, self.blank)


# A guess among four options is worth 2*(1/4) - (2/3)*(3/4) = 0 marks on average; below one
# right answer in three attempts (the break-even when one option can be ruled out is lower,
# but a learner who is wrong that often is not ruling any out) guessing is costing marks.
BREAK_EVEN = Fraction(1, 3)


def guidance(
    *,
    overall: Tally,
    formats: Sequence[Group],
    topics: Sequence[Group],
    previous_thirds: int | None = None,
    previous_questions: int | None = None,
) -> list[str]:
    """Advice sentences drawn from one attempt's numbers, most costly problem first.

    - a format whose wrong answers cost at least 2 marks: how much, and whether guessing there
      pays (accuracy below one in three: attempt fewer; above: the slips are the issue);
    - the weakest topic by accuracy (with at least two attempted, below the best such topic):
      revise its note;
    - low accuracy overall (below one in two, with two or more wrong): guess less;
    - many blanks with high accuracy: attempt more;
    - the change since the previous mock, per question so different sizes compare.
    """
    advice: list[tuple[int, str]] = []
    for group in formats:
        t = group.tally
        if t.lost_thirds >= 6:
            if t.accuracy is not None and t.accuracy < BREAK_EVEN + Fraction(1, 6):
                tail = "attempt fewer guesses there"
            else:
                tail = "re-read the statements slowly before you commit"
            advice.append(
                (
                    t.lost_thirds,
                    f"Your wrong answers in {group.label} questions cost you "
                    f"{format_marks(t.lost_thirds)} marks: {tail}.",
                )
            )
    rated = [g for g in topics if g.tally.attempted >= 2 and g.tally.accuracy is not None]
    # As on the dashboard: the strongest topic (or the only one) is never called the weakest.
    best = max((g.tally.accuracy for g in rated), default=None)
    weak = [g for g in rated if g.tally.accuracy < best]
    if weak:
        worst = min(weak, key=lambda g: (g.tally.accuracy, -g.tally.attempted))
        if worst.tally.accuracy < Fraction(1, 2):
            share = percent(worst.correct, worst.tally.attempted)
            advice.append(
                (
                    worst.tally.lost_thirds,
                    f"{worst.label} is your weakest topic ({share}% of attempted right): "
                    "revise its note before the next test.",
                )
            )
    if (
        overall.wrong >= 2
        and overall.accuracy is not None
        and overall.accuracy < Fraction(1, 2)
        and not any(text.startswith("Your wrong answers") for _, text in advice)
    ):
        advice.append(
            (
                overall.lost_thirds,
                f"Only {percent(overall.correct, overall.attempted)}% of your attempts were "
                f"right and wrong answers cost you {format_marks(overall.lost_thirds)} marks: "
                "answer only when you can rule out at least two options.",
            )
        )
    if (
        overall.questions
        and overall.blank * 4 >= overall.questions
        and overall.accuracy is not None
        and overall.accuracy >= Fraction(3, 4)
    ):
        advice.append(
            (
                overall.blank,
                f"You left {overall.blank} of {overall.questions} blank while "
                f"{percent(overall.correct, overall.attempted)}% of your attempts were right: "
                "attempt more — once you can rule out one option a guess gains on average.",
            )
        )
    advice.sort(key=lambda pair: -pair[0])
    lines = [text for _, text in advice]
    if previous_thirds is not None and previous_questions:
        now_share = Fraction(overall.score_thirds, max_thirds(overall.questions or 1))
        before_share = Fraction(previous_thirds, max_thirds(previous_questions))
        change = percent(now_share - before_share, 1)
        if change:
            direction = "up" if change > 0 else "down"
            lines.append(
                f"Your score is {direction} {abs(change)} percentage points on your previous mock."
            )
        else:
            lines.append("Your score matches your previous mock.")
    if not lines and overall.questions:
        if overall.wrong:
            lines.append(
                "Read the explanations of the questions you got wrong below, then practise "
                "your mistakes until they stick."
            )
        else:
            lines.append("No weak spot stands out: keep the same approach and try a longer mock.")
    return lines
