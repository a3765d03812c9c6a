"""Progress arithmetic and charts: pure functions, no ORM and no clock.

The dashboard's views aggregate in the database and hand plain values in here:

- `streaks()`: the current and longest run of study days from a set of active local dates.
- `mastery()`: one 0-100 number per topic from note studied, card recall and Prelims accuracy
  (the formula is `MASTERY_FORMULA`, shown on the page as it is computed here).
- `heatmap()`, `score_trend()`, `score_dots()`: geometry for server-side SVG charts. The
  templates draw it (with <title>/<desc> and a table beside each chart), so no chart library
  or CDN is needed and every number is also readable as text.
- `marks_lost_thirds()`, `percent()`: small arithmetic the pages share.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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


def percent(part: float, whole: float) -> int | None:
    """part/whole as a whole percent (None when whole is 0)."""
    return round(100 * part / whole) if whole else None


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
        card_coverage = round(100 * coverage)
        card_recall = round(100 * recall) if reviews else None
    prelims = accuracy = question_coverage = None
    if questions_total:
        coverage = min(1.0, questions_answered / questions_total)
        right = correct / answers if answers else 0.0
        prelims = coverage * right
        score += PRELIMS_WEIGHT * prelims
        weight += PRELIMS_WEIGHT
        question_coverage = round(100 * coverage)
        accuracy = round(100 * right) if answers else None
    return Mastery(
        percent=round(100 * score / weight),
        note=note_studied,
        cards=None if cards is None else round(100 * cards),
        prelims=None if prelims is None else round(100 * prelims),
        card_recall=card_recall,
        card_coverage=card_coverage,
        accuracy=accuracy,
        question_coverage=question_coverage,
    )


# ---- Prelims marks ---------------------------------------------------------------------------


def marks_lost_thirds(wrong: int) -> int:
    """Marks lost to negative marking, in thirds of a mark: 2/3 a wrong answer."""
    return 2 * wrong


# ---- heatmap ---------------------------------------------------------------------------------

CELL = 11
GAP = 3
HEAT_LEFT = 30  # room for weekday labels
HEAT_TOP = 16  # room for month labels
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


@dataclass(frozen=True)
class Activity:
    """What the learner did on one local day."""

    cards: int = 0
    questions: int = 0
    answers: int = 0
    notes: int = 0

    @property
    def total(self) -> int:
        return self.cards + self.questions + self.answers + self.notes

    def describe(self) -> str:
        parts = [
            _count(self.cards, "card reviewed", "cards reviewed"),
            _count(self.questions, "question answered", "questions answered"),
            _count(self.answers, "Mains answer written", "Mains answers written"),
            _count(self.notes, "note studied", "notes studied"),
        ]
        parts = [p for p in parts if p]
        return ", ".join(parts) if parts else "no study"


def _count(n: int, one: str, many: str) -> str:
    if not n:
        return ""
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class HeatCell:
    day: dt.date
    x: int
    y: int
    level: int  # 0 (nothing) to 4 (the learner's busiest days)
    title: str


@dataclass(frozen=True)
class HeatLabel:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class MonthRow:
    """One line of the heatmap's table alternative."""

    month: dt.date
    active_days: int
    cards: int
    questions: int
    answers: int
    notes: int


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    cells: list[HeatCell]
    months: list[HeatLabel]
    weekdays: list[HeatLabel]
    month_rows: list[MonthRow]
    active_days: int
    busiest: tuple[dt.date, Activity] | None
    legend: list[int] = field(default_factory=lambda: [0, 1, 2, 3, 4])


def level_for(total: int, top: int) -> int:
    """0 for no activity, else 1-4 relative to the learner's busiest day (like GitHub's)."""
    if total <= 0 or top <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * total / top)))


def heatmap(days: Mapping[dt.date, Activity], today: dt.date, *, weeks: int = 53) -> Heatmap:
    """A year of study days as a grid: one column a week (Monday on top), today last.

    Colour levels are relative to the busiest day in the window. Month labels sit over the
    first column that starts in a new month. `month_rows` is the same data month by month,
    for the table shown with the chart.
    """
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    window = {d: a for d, a in days.items() if start <= d <= today}
    top = max((a.total for a in window.values()), default=0)
    cells: list[HeatCell] = []
    months: list[HeatLabel] = []
    for week in range(weeks):
        monday = start + dt.timedelta(weeks=week)
        x = HEAT_LEFT + week * (CELL + GAP)
        column = [monday + dt.timedelta(days=i) for i in range(7)]
        first = next((d for d in column if d.day == 1 and d <= today), None)
        label_day = first
        if week == 0 and first is None:
            # Label the first column with its month unless a new month starts right after.
            soon = [monday + dt.timedelta(days=i) for i in range(7, 21)]
            label_day = None if any(d.day == 1 for d in soon) else monday
        if label_day is not None:
            months.append(HeatLabel(x, HEAT_TOP - 5, label_day.strftime("%b")))
        for weekday in range(7):
            day = monday + dt.timedelta(days=weekday)
            if day > today:
                break
            activity = window.get(day, Activity())
            cells.append(
                HeatCell(
                    day=day,
                    x=x,
                    y=HEAT_TOP + weekday * (CELL + GAP),
                    level=level_for(activity.total, top),
                    title=f"{day.strftime('%a %-d %b %Y')}: {activity.describe()}",
                )
            )
    weekdays = [
        HeatLabel(0, HEAT_TOP + i * (CELL + GAP) + CELL - 1, text)
        for i, text in WEEKDAY_LABELS.items()
    ]
    by_month: dict[dt.date, list[Activity]] = {}
    for day, activity in window.items():
        if activity.total:
            by_month.setdefault(day.replace(day=1), []).append(activity)
    month_rows = [
        MonthRow(
            month=month,
            active_days=len(acts),
            cards=sum(a.cards for a in acts),
            questions=sum(a.questions for a in acts),
            answers=sum(a.answers for a in acts),
            notes=sum(a.notes for a in acts),
        )
        for month, acts in sorted(by_month.items(), reverse=True)
    ]
    busiest = max(window.items(), key=lambda kv: (kv[1].total, kv[0]), default=None)
    return Heatmap(
        width=HEAT_LEFT + weeks * (CELL + GAP) + 12,
        height=HEAT_TOP + 7 * (CELL + GAP),
        cells=cells,
        months=months,
        weekdays=weekdays,
        month_rows=month_rows,
        active_days=sum(1 for a in window.values() if a.total),
        busiest=busiest if busiest and busiest[1].total else None,
    )


# ---- line charts -----------------------------------------------------------------------------

CHART_WIDTH = 480
CHART_HEIGHT = 250
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 14, 14, 34


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class ChartSeries:
    name: str
    css: str  # a class the stylesheet colours (series-net, series-self, ...)
    points: list[ChartPoint]

    @property
    def path(self) -> str:
        """SVG polyline `points` attribute."""
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class ChartBand:
    """A vertical bar from y to y+height; `css` says what it stands for (bar-net: the net
    score, bar-lost: marks lost to negative marking)."""

    x: float
    y: float
    width: float
    height: float
    title: str
    css: str = "bar-net"


@dataclass(frozen=True)
class ChartTick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    series: list[ChartSeries]
    bands: list[ChartBand]
    y_ticks: list[ChartTick]
    x_labels: list[ChartTick]
    zero_y: float | None = None


class _Scale:
    def __init__(self, n: int, y_min: float, y_max: float, width: int, height: int):
        self.left, self.right = PAD_LEFT, width - PAD_RIGHT
        self.top, self.bottom = PAD_TOP, height - PAD_BOTTOM
        self.n = n
        self.y_min, self.y_max = y_min, y_max
        self.step = (self.right - self.left) / max(n, 1)

    def x(self, i: int) -> float:
        return round(self.left + self.step * (i + 0.5), 1)

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1
        return round(self.bottom - (value - self.y_min) / span * (self.bottom - self.top), 1)

    def ticks(self, every: int = 25) -> list[ChartTick]:
        first = math.ceil(self.y_min / every) * every
        return [
            ChartTick(self.left - 6, self.y(v), f"{v}%")
            for v in range(int(first), int(self.y_max) + 1, every)
        ]

    def x_labels(self, labels: Sequence[str], max_labels: int = 8) -> list[ChartTick]:
        every = max(1, math.ceil(len(labels) / max_labels))
        shown = [
            ChartTick(self.x(i), self.bottom + 18, label)
            for i, label in enumerate(labels)
            if i % every == 0 or i == len(labels) - 1
        ]
        # Keep the last label; drop the one before it if they would overlap.
        if len(shown) >= 2 and shown[-1].x - shown[-2].x < self.step * every * 0.9:
            del shown[-2]
        return shown


@dataclass(frozen=True)
class MockPoint:
    """One submitted mock: percentages of its maximum marks."""

    label: str  # short date for the axis
    net: float  # score after negative marking, % of max (may be negative)
    gross: float  # marks from right answers alone, % of max
    title: str


def score_trend(
    mocks: Sequence[MockPoint], *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT
) -> Chart:
    """Mock scores in order, one column each: a bar up to the net score, stacked with a band
    up to the gross score (what negative marking took away), and a line through the net
    scores. A negative net score hangs below the zero line."""
    low = min([0.0, *(m.net for m in mocks)])
    y_min = math.floor(low / 25) * 25
    scale = _Scale(len(mocks), y_min, 100, width, height)
    bar_width = round(min(36.0, scale.step * 0.55), 1)
    zero = scale.y(0)
    points, bands = [], []
    for i, m in enumerate(mocks):
        x = scale.x(i)
        net_y = scale.y(m.net)
        points.append(ChartPoint(x, net_y, m.title))
        left = round(x - bar_width / 2, 1)
        bands.append(
            ChartBand(
                left,
                min(net_y, zero),
                bar_width,
                round(abs(zero - net_y), 1),
                f"{m.title}: net score",
                "bar-net",
            )
        )
        if m.gross > m.net:
            top = scale.y(m.gross)
            bottom = scale.y(max(m.net, 0.0))
            bands.append(
                ChartBand(
                    left,
                    top,
                    bar_width,
                    round(bottom - top, 1),
                    f"{m.title}: lost to negative marking",
                    "bar-lost",
                )
            )
    return Chart(
        width=width,
        height=height,
        left=scale.left,
        right=scale.right,
        top=scale.top,
        bottom=scale.bottom,
        series=[ChartSeries("Score after negative marking", "series-net", points)],
        bands=bands,
        y_ticks=scale.ticks(),
        x_labels=scale.x_labels([m.label for m in mocks]),
        zero_y=zero if y_min < 0 else None,
    )


@dataclass(frozen=True)
class ScorePoint:
    """One Mains answer: self and mentor scores as % of the question's marks."""

    label: str
    self_score: float | None
    mentor_score: float | None
    title: str


def score_dots(
    answers: Sequence[ScorePoint], *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT
) -> Chart:
    """Mains answers in order: self-assessed and mentor scores as two series of dots and lines.

    An answer without a score leaves a gap in that series (the line joins the scored ones)."""
    scale = _Scale(len(answers), 0, 100, width, height)
    self_points, mentor_points = [], []
    for i, a in enumerate(answers):
        if a.self_score is not None:
            self_points.append(
                ChartPoint(
                    scale.x(i), scale.y(a.self_score), f"{a.title}: self {a.self_score:.0f}%"
                )
            )
        if a.mentor_score is not None:
            mentor_points.append(
                ChartPoint(
                    scale.x(i), scale.y(a.mentor_score), f"{a.title}: mentor {a.mentor_score:.0f}%"
                )
            )
    return Chart(
        width=width,
        height=height,
        left=scale.left,
        right=scale.right,
        top=scale.top,
        bottom=scale.bottom,
        series=[
            ChartSeries("Your self-score", "series-self", self_points),
            ChartSeries("Mentor's score", "series-mentor", mentor_points),
        ],
        bands=[],
        y_ticks=scale.ticks(),
        x_labels=scale.x_labels([a.label for a in answers]),
    )


# ---- question statistics ---------------------------------------------------------------------


def top_and_bottom_thirds(ranked: Sequence[int]) -> tuple[list[int], list[int]]:
    """Split learner ids ranked best first into the top and the bottom third (n // 3 each,
    so the middle takes the remainder); both empty with fewer than three learners."""
    n = len(ranked) // 3
    if not n:
        return [], []
    return list(ranked[:n]), list(ranked[-n:])
