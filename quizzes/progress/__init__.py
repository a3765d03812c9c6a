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

from quizzes.progress.activity import (
    CELL,
    GAP,
    HEAT_LEFT,
    HEAT_TOP,
    WEEKDAY_LABELS,
    Activity,
    HeatCell,
    HeatLabel,
    Heatmap,
    MonthRow,
    heatmap,
    level_for,
)
from quizzes.progress.arithmetic import (
    CARDS_WEIGHT,
    MASTERY_FORMULA,
    NOTE_WEIGHT,
    PRELIMS_WEIGHT,
    WEAK_MIN_ANSWERS,
    Mastery,
    Streak,
    marks_lost_thirds,
    mastery,
    percent,
    streaks,
    top_and_bottom_thirds,
    weakest_topics,
)
from quizzes.progress.charts import (
    CHART_HEIGHT,
    CHART_WIDTH,
    Chart,
    ChartBand,
    ChartPoint,
    ChartSeries,
    ChartTick,
    MockPoint,
    ScorePoint,
    score_dots,
    score_trend,
)

__all__ = [
    "Activity",
    "CARDS_WEIGHT",
    "CELL",
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "Chart",
    "ChartBand",
    "ChartPoint",
    "ChartSeries",
    "ChartTick",
    "GAP",
    "HEAT_LEFT",
    "HEAT_TOP",
    "HeatCell",
    "HeatLabel",
    "Heatmap",
    "MASTERY_FORMULA",
    "Mastery",
    "MockPoint",
    "MonthRow",
    "NOTE_WEIGHT",
    "PRELIMS_WEIGHT",
    "ScorePoint",
    "Streak",
    "WEEKDAY_LABELS",
    "heatmap",
    "level_for",
    "marks_lost_thirds",
    "mastery",
    "percent",
    "score_dots",
    "score_trend",
    "streaks",
    "top_and_bottom_thirds",
    "WEAK_MIN_ANSWERS",
    "weakest_topics",
]
