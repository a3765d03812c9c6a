"""Study activity per local day and the geometry of its year heatmap (SVG drawn by the template)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

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
