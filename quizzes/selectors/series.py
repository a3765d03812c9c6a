"""Reads for the test series: the list of papers (/tests/), one paper's page (/tests/<slug>/)
and the standing shown on a paper attempt's result page.

Every figure about other learners comes from the counters kept on submit (PaperScore: at most
8 × questions + 1 rows per paper; PaperQuestionStat: one row per question of the paper) or
from the ranking index on Attempt (paper, ranked, -score_thirds, submitted_at) for the top ten;
the learner's own attempts are read through the (learner, …) indexes. So every page costs the
same few queries whether ten or a hundred thousand learners took the paper.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, Sum

from content.formats import LETTERS
from content.models import Paper, PaperQuestion, Question, QuestionKind, visible_q
from quizzes import scoring, standing
from quizzes.models import Attempt, PaperQuestionStat, PaperScore

ANONYMOUS = "Anonymous aspirant"
LEADERBOARD_SIZE = 10
KIND_LABELS = dict(QuestionKind.choices)


def public_name(name: str | None) -> str:
    """What a ranking shows for a learner: the public name they chose, else anonymous."""
    return (name or "").strip() or ANONYMOUS


def cutoff_thirds(paper: Paper) -> int | None:
    """The authored cut-off in thirds of a mark (rounded up: a score reaches it or not)."""
    if paper.cutoff_marks is None:
        return None
    return math.ceil(paper.cutoff_marks * 3)


def bins_of(paper_id: int) -> dict[int, int]:
    """{score in thirds: ranked takers} of one paper (one query, bounded by the paper size)."""
    return dict(
        PaperScore.objects.filter(paper_id=paper_id, takers__gt=0).values_list(
            "score_thirds", "takers"
        )
    )


# ---- /tests/ ------------------------------------------------------------------------------


@dataclass
class SeriesRow:
    paper: Paper
    window: str
    takers: int
    ranked: Attempt | None = None  # the learner's ranked attempt (open or submitted)
    running: Attempt | None = None  # an attempt the learner can resume
    practice_count: int = 0

    @property
    def max_marks(self) -> int:
        return self.paper.question_count * scoring.MARKS_PER_QUESTION

    @property
    def score(self) -> str:
        if self.ranked is None or self.ranked.submitted_at is None:
            return ""
        return standing.format_thirds(self.ranked.score_thirds)


def takers_version(paper_id: int | None = None) -> int:
    """Ranked submissions counted so far (one paper's, or every paper's): it moves with every
    change to ranks, option shares and the topper, so pages showing them are cached by it
    (studyapp.freshness). One query on the small histogram table."""
    scores = (
        PaperScore.objects.all()
        if paper_id is None
        else PaperScore.objects.filter(paper_id=paper_id)
    )
    return scores.aggregate(n=Sum("takers"))["n"] or 0


def series_list(learner, *, now: dt.datetime) -> list[SeriesRow]:
    """The published papers with their takers and the learner's own attempts: 3 queries."""
    papers = list(Paper.objects.for_series())
    takers = dict(
        PaperScore.objects.filter(paper__in=papers)
        .order_by()
        .values("paper")
        .annotate(n=Sum("takers"))
        .values_list("paper", "n")
    )
    rows = {
        p.pk: SeriesRow(paper=p, window=p.window(now), takers=takers.get(p.pk, 0)) for p in papers
    }
    mine = (
        Attempt.objects.filter(learner=learner, paper__in=papers)
        .only(
            "pk", "paper_id", "ranked", "submitted_at", "score_thirds", "question_count", "deadline"
        )
        .order_by("started_at", "pk")
    )
    for attempt in mine:
        row = rows[attempt.paper_id]
        if attempt.ranked:
            row.ranked = attempt
        elif attempt.submitted_at is not None:
            row.practice_count += 1
        if attempt.submitted_at is None:
            row.running = attempt
    return list(rows.values())


def series_changes_at(now: dt.datetime) -> dt.datetime | None:
    """The next moment time alone changes the series list (the page cache keeps it until
    then): a published paper's window opening or closing; None when none is ahead. (An
    attempt running out of time is submitted by the view before the page is read: a write.)"""
    bounds = Paper.objects.published().aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    return min((at for at in bounds.values() if at is not None), default=None)


# ---- /tests/<slug>/ -----------------------------------------------------------------------


@dataclass
class Leader:
    rank: int
    name: str
    score: str
    you: bool


@dataclass
class PaperPage:
    paper: Paper
    window: str
    question_count: int
    max_marks: int
    formats: list[tuple[str, int]]
    topics: list[tuple[str, int]]
    takers: int
    attempts: list[Attempt]
    running: Attempt | None
    ranked: Attempt | None
    standing: standing.Standing | None
    leaders: list[Leader] = field(default_factory=list)
    cutoff: str = ""

    @property
    def ranked_score(self) -> str:
        return standing.format_thirds(self.ranked.score_thirds) if self.ranked else ""

    @property
    def ranked_percentile(self) -> str:
        return standing.format_percentile(self.standing.percentile) if self.standing else ""

    @property
    def seconds_per_question(self) -> int:
        return round(self.paper.minutes * 60 / self.question_count) if self.question_count else 0


def leaderboard(paper_id: int, bins: dict[int, int], *, learner_id: int) -> list[Leader]:
    """The top ten ranked attempts with public names only (one query on the ranking index)."""
    rows = (
        Attempt.objects.filter(paper_id=paper_id, ranked=True, submitted_at__isnull=False)
        .order_by("-score_thirds", "submitted_at")
        .values_list("score_thirds", "learner_id", "learner__profile__public_name")[
            :LEADERBOARD_SIZE
        ]
    )
    return [
        Leader(
            rank=standing.rank_of(bins, score),
            name=public_name(name),
            score=standing.format_thirds(score),
            you=who == learner_id,
        )
        for score, who, name in rows
    ]


def paper_page(learner, paper: Paper, *, now: dt.datetime) -> PaperPage:
    """Instructions, the format and topic mix, the learner's attempts and standing, and the
    top ten: 5 queries (6 once the learner has a ranked result)."""
    mix = list(
        PaperQuestion.objects.filter(visible_q(Question, "question"), paper=paper)
        .order_by()
        .values_list("question__kind", "question__topic__title")
        .annotate(n=Count("pk"))
    )
    formats: dict[str, int] = {}
    topics: dict[str, int] = {}
    for kind, title, n in mix:
        formats[kind] = formats.get(kind, 0) + n
        topics[title] = topics.get(title, 0) + n
    count = sum(formats.values())
    attempts = list(
        Attempt.objects.filter(learner=learner, paper=paper)
        .only(
            "pk",
            "ranked",
            "started_at",
            "submitted_at",
            "score_thirds",
            "deadline",
            "question_count",
            "auto_submitted",
        )
        .order_by("-started_at", "-pk")
    )
    running = next((a for a in attempts if a.submitted_at is None), None)
    ranked = next((a for a in attempts if a.ranked), None)
    bins = bins_of(paper.pk)
    authored = cutoff_thirds(paper)
    mine = None
    if ranked is not None and ranked.submitted_at is not None:
        mine = standing.standing(
            bins,
            question_count=ranked.question_count,
            score_thirds=ranked.score_thirds,
            authored_cutoff_thirds=authored,
        )
    est = authored if authored is not None else standing.estimated_cutoff_thirds(bins)
    return PaperPage(
        paper=paper,
        window=paper.window(now),
        question_count=count,
        max_marks=count * scoring.MARKS_PER_QUESTION,
        formats=[
            (KIND_LABELS.get(k, k), n) for k, n in sorted(formats.items(), key=lambda x: -x[1])
        ],
        topics=sorted(topics.items(), key=lambda x: (-x[1], x[0])),
        takers=standing.takers(bins),
        attempts=attempts,
        running=running,
        ranked=ranked,
        standing=mine,
        leaders=leaderboard(paper.pk, bins, learner_id=learner.pk),
        cutoff=standing.format_thirds(est) if est is not None else "",
    )


# ---- the result page of a paper attempt ------------------------------------------------------


@dataclass
class ResultStanding:
    """What the result page of a paper attempt adds: the learner among everyone."""

    paper: Paper
    ranked: bool
    standing: standing.Standing
    score_thirds: int
    topper_name: str
    cutoff_note: str
    chart: standing.Chart
    ranked_attempt_id: int | None = None

    @property
    def rank(self) -> str:
        return f"{self.standing.rank:,}" if self.standing.rank else "—"

    @property
    def takers(self) -> str:
        return f"{self.standing.takers:,}"

    @property
    def percentile(self) -> str:
        return standing.format_percentile(self.standing.percentile)

    @property
    def average(self) -> str:
        return standing.format_thirds(self.standing.average_thirds)

    @property
    def topper(self) -> str:
        return standing.format_thirds(self.standing.topper_thirds)

    @property
    def cutoff(self) -> str:
        return standing.format_thirds(self.standing.cutoff_thirds)

    @property
    def clears_cutoff(self) -> bool | None:
        return self.standing.clears(self.score_thirds)


def result_standing(attempt: Attempt, *, learner) -> ResultStanding | None:
    """Rank, percentile, average, topper, distribution and cut-off of a submitted paper
    attempt; None for any other attempt. A practice retake is placed among the ranked takers
    without being counted. 3 queries (4 for a retake)."""
    if not attempt.paper_id or attempt.submitted_at is None or attempt.score_thirds is None:
        return None
    paper = Paper.objects.get(pk=attempt.paper_id)
    bins = bins_of(paper.pk)
    authored = cutoff_thirds(paper)
    where = standing.standing(
        bins,
        question_count=attempt.question_count,
        score_thirds=attempt.score_thirds,
        authored_cutoff_thirds=authored,
    )
    top = (
        Attempt.objects.filter(paper_id=paper.pk, ranked=True, submitted_at__isnull=False)
        .order_by("-score_thirds", "submitted_at")
        .values_list("learner_id", "learner__profile__public_name")
        .first()
    )
    topper_name = ""
    if top is not None:
        topper_name = "you" if top[0] == learner.pk else public_name(top[1])
    ranked_id = None
    if not attempt.ranked:
        ranked_id = (
            Attempt.objects.filter(learner=learner, paper_id=paper.pk, ranked=True)
            .values_list("pk", flat=True)
            .first()
        )
    if authored is not None:
        note = paper.cutoff_note or "Set by the paper's authors."
    elif where.cutoff_thirds is not None:
        note = (
            f"Estimated: the score reached by the top {int(standing.CUTOFF_TOP_SHARE * 100)}% "
            f"of the {where.takers:,} takers."
        )
    else:
        note = (
            f"No cut-off yet: one is estimated once {standing.CUTOFF_MIN_TAKERS} learners "
            "have taken the paper."
        )
    return ResultStanding(
        paper=paper,
        ranked=attempt.ranked,
        standing=where,
        score_thirds=attempt.score_thirds,
        topper_name=topper_name,
        cutoff_note=note,
        chart=standing.chart(where.buckets, cutoff_thirds=where.cutoff_thirds),
        ranked_attempt_id=ranked_id,
    )


@dataclass(frozen=True)
class Shares:
    """How the ranked takers answered one question (percentages, as shown to them)."""

    takers: int
    right: int
    blank: int
    options: list[tuple[str, int]]  # (letter, percent) per option as shown


def _pct(part: int, whole: int) -> int:
    return scoring.percent(part, whole) or 0


def question_shares(attempt: Attempt) -> dict[int, Shares]:
    """{question id: Shares} for a paper attempt's questions (one query); {} otherwise."""
    if not attempt.paper_id:
        return {}
    out = {}
    for stat in PaperQuestionStat.objects.filter(paper_id=attempt.paper_id):
        n = stat.takers
        if n:
            out[stat.question_id] = Shares(
                takers=n,
                right=_pct(stat.right, n),
                blank=_pct(stat.blank, n),
                options=[(LETTERS[i], _pct(p, n)) for i, p in enumerate(stat.picks)],
            )
    return out
