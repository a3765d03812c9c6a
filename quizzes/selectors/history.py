"""The history page (`/progress/history/`, and the staff learner page's history list).

Paging is by cursor (the newest/oldest row shown), so every page costs the same few queries
however long the history is. Indexes relied on: ReviewLog (learner, reviewed_at),
Attempt.learner (then started_at), MainsAnswer (learner, submitted_at).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from content.models import Topic
from profiles.models import Profile
from quizzes import progress, scoring
from quizzes.models import Attempt, MainsAnswer, ReviewLog

PAGE_SIZE = 20
DAY_LIMIT = 500  # ratings listed for one review day
RATING_LABELS = dict(ReviewLog.Rating.choices)


def _local_midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


KINDS = [
    ("reviews", "Card reviews"),
    (Attempt.Mode.PRACTICE, "Practice sets"),
    (Attempt.Mode.MOCK, "Mock tests"),
    ("mains", "Mains answers"),
]
RANKS = {"reviews": 0, "attempts": 1, "mains": 2}


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the history: (time, kind rank, id) of a row; rows sort by it, newest
    first. Encoded in links as `time~rank~id`."""

    time: dt.datetime
    rank: int
    ident: str

    def encode(self) -> str:
        return f"{self.time.isoformat()}~{self.rank}~{self.ident}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises ValueError for anything that is not a cursor this page made."""
        when, rank, ident = text.split("~")
        time = dt.datetime.fromisoformat(when)
        if time.tzinfo is None or int(rank) not in RANKS.values():
            raise ValueError(text)
        if int(rank) == RANKS["reviews"]:
            dt.date.fromisoformat(ident)
        elif not (ident.isascii() and ident.isdigit()):
            raise ValueError(text)
        return cls(time.astimezone(dt.UTC), int(rank), ident)


@dataclass
class HistoryRow:
    key: Cursor
    kind: str
    kind_label: str
    when: dt.datetime
    title: str
    detail: str
    url: str = ""
    badges: list[tuple[str, str]] = field(default_factory=list)


def _after_q(cursor: Cursor, rank: int, time_field: str, id_field: str, *, newer: bool) -> Q:
    """Rows of kind `rank` strictly older (newer=False) or newer than `cursor`."""
    op = "gt" if newer else "lt"
    if rank != cursor.rank:
        # Same time: the kind's rank alone decides which side the row is on.
        same_time_side = (rank > cursor.rank) if newer else (rank < cursor.rank)
        q = Q(**{f"{time_field}__{op}": cursor.time})
        return q | Q(**{time_field: cursor.time}) if same_time_side else q
    ident = dt.date.fromisoformat(cursor.ident) if rank == RANKS["reviews"] else int(cursor.ident)
    return Q(**{f"{time_field}__{op}": cursor.time}) | Q(
        **{time_field: cursor.time, f"{id_field}__{op}": ident}
    )


def _history_rows(
    learner,
    tz,
    *,
    kind: str,
    topic: Topic | None,
    start: dt.date | None,
    end: dt.date | None,
    cursor: Cursor | None,
    newer: bool,
    size: int,
    staff: bool,
    base_url: str,
) -> list[HistoryRow]:
    """Up to size+1 rows on one side of `cursor` from each kind asked for (one query per
    kind), merged newest first. Query count: at most three, whatever the history size."""
    lo = _local_midnight(start, tz) if start else None
    hi = _local_midnight(end + dt.timedelta(days=1), tz) if end else None

    def bounded(qs, time_field):
        if lo:
            qs = qs.filter(**{f"{time_field}__gte": lo})
        if hi:
            qs = qs.filter(**{f"{time_field}__lt": hi})
        return qs

    def order(*fields):
        return [f if newer else f"-{f}" for f in fields]

    rows: list[HistoryRow] = []
    if kind in ("", "reviews"):
        qs = bounded(ReviewLog.objects.filter(learner=learner), "reviewed_at")
        if topic is not None:
            qs = qs.filter(card__topic=topic)
        sessions = qs.sessions(tz=tz)
        if cursor:
            sessions = sessions.filter(
                _after_q(cursor, RANKS["reviews"], "last", "day", newer=newer)
            )
        for s in sessions.order_by(*order("last", "day"))[: size + 1]:
            recall = progress.percent(s["recalled"], s["reviews"])
            minutes = round((s["ms"] or 0) / 60000)
            detail = (
                f"{s['reviews']} rating{'s' if s['reviews'] != 1 else ''} of "
                f"{s['cards']} card{'s' if s['cards'] != 1 else ''} · {recall}% recalled"
                + (f" · {minutes} min" if minutes else "")
            )
            rows.append(
                HistoryRow(
                    key=Cursor(s["last"], RANKS["reviews"], s["day"].isoformat()),
                    kind="reviews",
                    kind_label="Card reviews",
                    when=s["last"],
                    title=f"Review session · {s['day']:%a %-d %b %Y}",
                    detail=detail,
                    url=f"{base_url}?{urlencode({'day': s['day'].isoformat()})}",
                    badges=[("success" if recall >= 80 else "warning", f"{recall}% recalled")],
                )
            )
    if kind in ("", *Attempt.Mode.values):
        qs = bounded(Attempt.objects.for_history(learner, topic=topic), "started_at")
        if kind:
            qs = qs.filter(mode=kind)
        if cursor:
            qs = qs.filter(_after_q(cursor, RANKS["attempts"], "started_at", "pk", newer=newer))
        for a in qs.order_by(*order("started_at", "pk"))[: size + 1]:
            done = a.submitted_at is not None
            if done:
                detail = (
                    f"{scoring.format_marks(a.score_thirds)} of "
                    f"{a.question_count * scoring.MARKS_PER_QUESTION} marks · "
                    f"{a.correct_count} right, {a.wrong_count} wrong, {a.blank_count} blank"
                )
                if a.wrong_count:
                    lost = scoring.format_marks(progress.marks_lost_thirds(a.wrong_count))
                    detail += f" · {lost} lost to negative marking"
                badges = [("success", "Submitted")]
                if a.auto_submitted:
                    badges = [("info", "Submitted when time ran out")]
            else:
                detail = f"{a.question_count} questions · not submitted yet"
                badges = [("warning", "In progress")]
            url = ""
            if not staff:
                url = reverse("quizzes:attempt-result" if done else "quizzes:attempt", args=[a.pk])
            rows.append(
                HistoryRow(
                    key=Cursor(a.started_at, RANKS["attempts"], str(a.pk)),
                    kind=a.mode,
                    kind_label=a.get_mode_display(),
                    when=a.started_at,
                    title=a.title or a.get_mode_display(),
                    detail=detail,
                    url=url,
                    badges=badges,
                )
            )
    if kind in ("", "mains"):
        qs = bounded(MainsAnswer.objects.for_history(learner, topic=topic), "submitted_at")
        if cursor:
            qs = qs.filter(_after_q(cursor, RANKS["mains"], "submitted_at", "pk", newer=newer))
        for m in qs.order_by(*order("submitted_at", "pk"))[: size + 1]:
            q = m.question
            parts = [f"{m.words} words (limit {q.word_limit})", f"{q.marks} marks"]
            if m.self_score is not None:
                parts.append(f"self-score {m.self_score:g}/{q.marks}")
            if m.mentor_score is not None:
                parts.append(f"mentor {m.mentor_score:g}/{q.marks}")
            badges = (
                [("success", "Mentor feedback")]
                if m.feedback_at
                else [("info", "Awaiting feedback")]
            )
            rows.append(
                HistoryRow(
                    key=Cursor(m.submitted_at, RANKS["mains"], str(m.pk)),
                    kind="mains",
                    kind_label="Mains answer",
                    when=m.submitted_at,
                    title=q.text,
                    detail=" · ".join(parts),
                    url=reverse("quizzes:mains-answer", args=[m.pk]),
                    badges=badges,
                )
            )
    rows.sort(key=lambda r: r.key, reverse=not newer)
    return rows


def history_context(
    learner, profile: Profile, form, *, base_url: str, staff: bool = False
) -> tuple[dict, int]:
    """The history list (or one review day) for `learner`, filtered by the bound
    `HistoryFilterForm` the view made from the GET parameters; (context, status).

    Paging is by cursor (the newest/oldest row shown), so every page costs the same few
    queries however long the history is.
    """
    tz = profile.tzinfo
    context = {"form": form, "base_url": base_url, "staff": staff, "learner": learner}
    if not form.is_valid():
        context.update(rows=[], error=form.first_error())
        return context, 400
    data = form.cleaned_data
    if data["day"]:
        return context | _review_day(learner, tz, data["day"], data["topic"]), 200
    cursor = data["after"] or data["before"]
    newer = data["after"] is not None
    rows = _history_rows(
        learner,
        tz,
        kind=data["kind"],
        topic=data["topic"],
        start=data["start"],
        end=data["end"],
        cursor=cursor,
        newer=newer,
        size=PAGE_SIZE,
        staff=staff,
        base_url=base_url,
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if newer:
        rows.reverse()
    has_newer = more if newer else cursor is not None
    has_older = True if newer else more
    keep = {
        k: v
        for k, v in {
            "kind": data["kind"],
            "topic": data["topic"].slug if data["topic"] else "",
            "start": data["start"].isoformat() if data["start"] else "",
            "end": data["end"].isoformat() if data["end"] else "",
        }.items()
        if v
    }
    filtered = bool(keep)
    context.update(
        rows=rows,
        filtered=filtered,
        older_url=f"{base_url}?{urlencode(keep | {'before': rows[-1].key.encode()})}"
        if rows and has_older
        else "",
        newer_url=f"{base_url}?{urlencode(keep | {'after': rows[0].key.encode()})}"
        if rows and has_newer
        else "",
        newest_url=f"{base_url}?{urlencode(keep)}" if keep else base_url,
        paged=cursor is not None,
    )
    return context, 200


def _review_day(learner, tz, day: dt.date, topic: Topic | None) -> dict:
    """The ratings of one local day (a review session's detail): one query."""
    lo, hi = _local_midnight(day, tz), _local_midnight(day + dt.timedelta(days=1), tz)
    qs = ReviewLog.objects.filter(learner=learner, reviewed_at__gte=lo, reviewed_at__lt=hi)
    if topic is not None:
        qs = qs.filter(card__topic=topic)
    logs = list(
        qs.select_related("card__topic")
        .only(
            "pk",
            "rating",
            "reviewed_at",
            "duration_ms",
            "card__id",
            "card__kind",
            "card__front",
            "card__text",
            "card__topic__title",
        )
        .order_by("reviewed_at", "pk")[: DAY_LIMIT + 1]
    )
    recalled = sum(1 for log in logs[:DAY_LIMIT] if log.rating > 1)
    return {
        "day": day,
        "day_logs": [
            {"log": log, "label": RATING_LABELS.get(log.rating, log.rating)}
            for log in logs[:DAY_LIMIT]
        ],
        "day_more": len(logs) > DAY_LIMIT,
        "day_recall": progress.percent(recalled, min(len(logs), DAY_LIMIT)),
        "rows": [],
    }
