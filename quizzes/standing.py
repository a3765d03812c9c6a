"""Where one score stands among everyone's: rank, percentile, average, topper, distribution
and cut-off. Pure rules, no ORM: the input is a paper's score histogram, {score in thirds of a
mark: number of ranked takers with exactly that score}, which the database keeps as counters
(one row per distinct score, so at most 8 × questions + 1 rows whatever the number of takers).

Definitions (stated on the result page too):
- rank: competition ranking, 1 + the takers who scored strictly more ("1224": ties share a rank);
- percentile: the share of takers who scored the same or less, as the NTA computes it (the
  topper is at the 100th percentile);
- estimated cut-off: the score reached by the top `CUTOFF_TOP_SHARE` of takers, given only
  when at least `CUTOFF_MIN_TAKERS` have taken the paper.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from quizzes import scoring

CUTOFF_TOP_SHARE = Fraction(15, 100)
CUTOFF_MIN_TAKERS = 20


def _sorted(bins: Mapping[int, int]) -> list[tuple[int, int]]:
    return sorted(((s, c) for s, c in bins.items() if c > 0), reverse=True)


def takers(bins: Mapping[int, int]) -> int:
    """How many ranked takers the histogram holds."""
    return sum(c for c in bins.values() if c > 0)


def rank_of(bins: Mapping[int, int], score_thirds: int) -> int:
    """1 + the number of takers who scored strictly more than `score_thirds`."""
    return 1 + sum(c for s, c in bins.items() if s > score_thirds and c > 0)


def percentile_of(bins: Mapping[int, int], score_thirds: int) -> Fraction | None:
    """100 × (takers at or below `score_thirds`) / takers; None with no takers."""
    n = takers(bins)
    if not n:
        return None
    at_or_below = sum(c for s, c in bins.items() if s <= score_thirds and c > 0)
    return Fraction(100 * at_or_below, n)


def average_thirds(bins: Mapping[int, int]) -> Fraction | None:
    """The mean score in thirds of a mark; None with no takers."""
    n = takers(bins)
    if not n:
        return None
    return Fraction(sum(s * c for s, c in bins.items() if c > 0), n)


def topper_thirds(bins: Mapping[int, int]) -> int | None:
    """The highest score anyone has; None with no takers."""
    scores = [s for s, c in bins.items() if c > 0]
    return max(scores) if scores else None


def estimated_cutoff_thirds(
    bins: Mapping[int, int],
    *,
    top_share: Fraction = CUTOFF_TOP_SHARE,
    min_takers: int = CUTOFF_MIN_TAKERS,
) -> int | None:
    """The score of the taker at position ceil(top_share × takers) from the top: everyone
    with at least this score is in the top share. None below `min_takers` takers."""
    n = takers(bins)
    if n < min_takers or n == 0:
        return None
    position = max(1, math.ceil(top_share * n))
    seen = 0
    for score, count in _sorted(bins):
        seen += count
        if seen >= position:
            return score
    return None  # pragma: no cover - unreachable: position <= n


def format_percentile(value: Fraction | None) -> str:
    """'87.50' style, two decimals rounded half up (as published percentiles are)."""
    if value is None:
        return "—"
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def format_thirds(value: Fraction | int | None) -> str:
    """Marks with two decimals, rounded half away from zero, true minus sign."""
    if value is None:
        return "—"
    marks = Fraction(value) / 3
    sign = "\u2212" if marks < 0 else ""
    hundredths = math.floor(abs(marks) * 100 + Fraction(1, 2))
    if hundredths == 0:
        sign = ""
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


@dataclass(frozen=True)
class Bucket:
    """One bar of the distribution: scores in [low, high) marks (the last one includes high)."""

    low: int  # marks
    high: int  # marks
    count: int
    mine: bool
    share: Fraction  # of the tallest bar, for drawing


def bucket_width(question_count: int) -> int:
    """Marks per bar: about ten bars from 0 to the maximum (20 for a full paper, 5 for 25)."""
    max_marks = question_count * scoring.MARKS_PER_QUESTION
    return max(1, round(max_marks / 10))


def distribution(
    bins: Mapping[int, int], *, question_count: int, mine_thirds: int | None = None
) -> list[Bucket]:
    """Bars of `bucket_width` marks from the lowest bar anyone reached (never above 0) up to
    the maximum marks; `mine` marks the bar holding `mine_thirds`."""
    width = bucket_width(question_count)
    max_marks = question_count * scoring.MARKS_PER_QUESTION
    scores = [s for s, c in bins.items() if c > 0]
    if mine_thirds is not None:
        scores.append(mine_thirds)
    lowest = min([0, *scores])
    first = math.floor(Fraction(lowest, 3) / width) * width
    edges = list(range(first, max_marks, width))
    counts = [0] * len(edges)

    def index(thirds: int) -> int:
        i = math.floor((Fraction(thirds, 3) - first) / width)
        return min(max(0, i), len(edges) - 1)

    for s, c in bins.items():
        if c > 0:
            counts[index(s)] += c
    mine = index(mine_thirds) if mine_thirds is not None else None
    tallest = max(counts) or 1
    return [
        Bucket(
            low=low,
            high=min(low + width, max_marks),
            count=counts[i],
            mine=i == mine,
            share=Fraction(counts[i], tallest),
        )
        for i, low in enumerate(edges)
    ]


@dataclass(frozen=True)
class Standing:
    """Everything the result page says about one score among the ranked takers."""

    takers: int
    rank: int | None
    percentile: Fraction | None
    average_thirds: Fraction | None
    topper_thirds: int | None
    cutoff_thirds: int | None
    cutoff_estimated: bool
    buckets: list[Bucket]

    def clears(self, score_thirds: int) -> bool | None:
        """Does `score_thirds` reach the cut-off (None when there is no cut-off)?"""
        return None if self.cutoff_thirds is None else score_thirds >= self.cutoff_thirds


def standing(
    bins: Mapping[int, int] | Iterable[tuple[int, int]],
    *,
    question_count: int,
    score_thirds: int | None,
    authored_cutoff_thirds: int | None = None,
) -> Standing:
    """Rank, percentile, average, topper, distribution and cut-off for `score_thirds` among
    the takers in `bins` (the score itself must already be counted in `bins` for a ranked
    attempt; for a practice retake it is placed among them without being counted)."""
    bins = dict(bins)
    n = takers(bins)
    cutoff = authored_cutoff_thirds
    estimated = False
    if cutoff is None:
        cutoff = estimated_cutoff_thirds(bins)
        estimated = cutoff is not None
    return Standing(
        takers=n,
        rank=rank_of(bins, score_thirds) if score_thirds is not None and n else None,
        percentile=percentile_of(bins, score_thirds) if score_thirds is not None else None,
        average_thirds=average_thirds(bins),
        topper_thirds=topper_thirds(bins),
        cutoff_thirds=cutoff,
        cutoff_estimated=estimated,
        buckets=distribution(bins, question_count=question_count, mine_thirds=score_thirds),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    bucket: Bucket

    @property
    def label(self) -> str:
        return f"{self.bucket.low} to {self.bucket.high}"


@dataclass(frozen=True)
class Chart:
    """Geometry of the distribution as an SVG (drawn with attributes: no inline style)."""

    width: int
    height: int
    bars: list[Bar]
    cutoff_x: float | None
    first: int
    last: int
    step: int


CHART_WIDTH = 600
CHART_HEIGHT = 160


def chart(buckets: list[Bucket], *, cutoff_thirds: int | None) -> Chart:
    """Bars side by side across CHART_WIDTH, heights relative to the tallest bar (a 2-unit
    stub for an empty bar, so the axis reads), and the x of the cut-off line, if any."""
    if not buckets:
        return Chart(CHART_WIDTH, CHART_HEIGHT, [], None, 0, 0, 0)
    first, last = buckets[0].low, buckets[-1].high
    span = max(1, last - first)
    bars = []
    for b in buckets:
        x = CHART_WIDTH * (b.low - first) / span
        w = CHART_WIDTH * (b.high - b.low) / span
        h = max(2.0, float(b.share) * (CHART_HEIGHT - 4)) if b.count else 2.0
        bars.append(Bar(round(x, 1), round(CHART_HEIGHT - h, 1), round(w - 2, 1), round(h, 1), b))
    cut = None
    if cutoff_thirds is not None:
        marks = Fraction(cutoff_thirds, 3)
        cut = round(float(CHART_WIDTH * min(max(marks - first, 0), span) / span), 1)
    step = buckets[0].high - buckets[0].low
    return Chart(CHART_WIDTH, CHART_HEIGHT, bars, cut, first, last, step)
