"""Geometry of the score line charts and dot plots, drawn as SVG by the templates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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
