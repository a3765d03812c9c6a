"""Progress: the learner's dashboard, their full history, and an export of all their data.

Every number on these pages is aggregated in the database (grouped by the learner's local day,
topic or format) and then shaped by the pure helpers in `quizzes.progress`; nothing loops
over history rows in Python, so the query count and the work per page stay the same for a
learner with 20 or 20,000 rows. `dashboard_context()` and `history_context()` are shared with
the staff pages (quizzes.views.staff), which show the same data read-only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from content.formats import LETTERS
from content.models import Fact, QuestionKind, Status, Topic
from quizzes import progress, scoring
from quizzes.models import (
    Attempt,
    AttemptItem,
    Bookmark,
    CardState,
    MainsAnswer,
    NoteProgress,
    ReviewLog,
)
from quizzes.services.prelims import Pool
from studyapp.models import Profile
from studyapp.today import days_until
from studyapp.types import HtmxHttpRequest

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
TREND_LIMIT = 20  # mocks / Mains answers in the charts
WEAK_MIN_ANSWERS = 3  # answers before a format or topic can be called weak
PAGE_SIZE = 20
DAY_LIMIT = 500  # ratings listed for one review day
KIND_LABELS = dict(QuestionKind.choices)
RATING_LABELS = dict(ReviewLog.Rating.choices)


def profile_of(user) -> Profile:
    """The user's profile, created on first use (older accounts and superusers have none)."""
    return Profile.objects.get_or_create(user=user)[0]


def _local_midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


# ---- the dashboard ---------------------------------------------------------------------------


def _activity(learner, tz) -> tuple[dict[dt.date, progress.Activity], int]:
    """({local date: Activity} over the whole history, Prelims answers right): four grouped
    queries."""
    reviews = ReviewLog.objects.per_day(learner, since=EPOCH, tz=tz)
    answered = AttemptItem.objects.per_day(learner, tz=tz)
    written = MainsAnswer.objects.per_day(learner, tz=tz)
    notes = NoteProgress.objects.per_day(learner, tz=tz)
    days = set(reviews) | set(answered) | set(written) | set(notes)
    correct = sum(row["correct"] for row in answered.values())
    return {
        day: progress.Activity(
            cards=reviews.get(day, {}).get("reviews", 0),
            questions=answered.get(day, {}).get("answered", 0),
            answers=written.get(day, 0),
            notes=notes.get(day, 0),
        )
        for day in days
    }, correct


def _mastery_rows(learner, *, now) -> list[dict]:
    """One row per published topic with its Mastery: five grouped queries."""
    topics = list(Topic.objects.for_list())
    studied = NoteProgress.objects.studied_at_by_topic(learner)
    cards = CardState.objects.counts_by_topic(learner, now=now)
    recall = ReviewLog.objects.recall_by_topic(learner)
    prelims = AttemptItem.objects.prelims_by_topic(learner)
    rows = []
    for topic in topics:
        c, r, p = cards.get(topic.pk, {}), recall.get(topic.pk, {}), prelims.get(topic.pk, {})
        m = progress.mastery(
            note_studied=topic.pk in studied,
            cards_total=topic.card_count,
            cards_seen=c.get("seen", 0),
            reviews=r.get("reviews", 0),
            recalled=r.get("recalled", 0),
            questions_total=topic.question_count,
            questions_answered=p.get("questions", 0),
            answers=p.get("answers", 0),
            correct=p.get("correct", 0),
        )
        rows.append(
            {
                "topic": topic,
                "mastery": m,
                "studied_at": studied.get(topic.pk),
                "answers": p.get("answers", 0),
                "reviews": r.get("reviews", 0),
                "due": c.get("due", 0),
                "started": bool(topic.pk in studied or c.get("seen") or p.get("answers")),
            }
        )
    return rows


def _mock_trend(learner, tz) -> dict:
    mocks = list(
        Attempt.objects.filter(learner=learner)
        .submitted_mocks()
        .only(
            "pk",
            "title",
            "submitted_at",
            "score_thirds",
            "question_count",
            "correct_count",
            "wrong_count",
            "blank_count",
        )[:TREND_LIMIT]
    )
    mocks.reverse()
    rows, points = [], []
    for a in mocks:
        max_thirds = scoring.max_thirds(a.question_count)
        net = 100 * (a.score_thirds or 0) / max_thirds if max_thirds else 0.0
        gross = 100 * a.correct_count * scoring.RIGHT_THIRDS / max_thirds if max_thirds else 0.0
        lost = progress.marks_lost_thirds(a.wrong_count)
        when = timezone.localtime(a.submitted_at, tz)
        row = {
            "attempt": a,
            "when": when,
            "score": scoring.format_marks(a.score_thirds),
            "max": a.question_count * scoring.MARKS_PER_QUESTION,
            "percent": round(net),
            "gross": scoring.format_marks(a.correct_count * scoring.RIGHT_THIRDS),
            "lost": scoring.format_marks(lost),
            "lost_thirds": lost,
        }
        rows.append(row)
        points.append(
            progress.MockPoint(
                label=when.strftime("%-d %b"),
                net=net,
                gross=gross,
                title=f"{when.strftime('%-d %b %Y')}: {row['score']} of {row['max']} "
                f"({row['percent']}%), {row['lost']} lost to negative marking",
            )
        )
    desc = ""
    if rows:
        first, last = rows[0], rows[-1]
        total_lost = sum(r["lost_thirds"] for r in rows)
        desc = (
            f"{len(rows)} mock test{'s' if len(rows) != 1 else ''}"
            + (f" from {first['when']:%-d %b} to {last['when']:%-d %b %Y}" if len(rows) > 1 else "")
            + f". Latest score {last['score']} of {last['max']} ({last['percent']}%)"
            + (
                f", first {first['score']} of {first['max']} ({first['percent']}%)"
                if len(rows) > 1
                else ""
            )
            + f". Negative marking cost {scoring.format_marks(total_lost)} marks in all."
        )
    return {
        "rows": list(reversed(rows)),
        "chart": progress.score_trend(points) if points else None,
        "desc": desc,
        "lost_total": scoring.format_marks(sum(r["lost_thirds"] for r in rows)),
    }


def _pct_of(score: Decimal | None, marks: int) -> float | None:
    return None if score is None or not marks else float(score) * 100 / marks


def _mains_trend(learner, tz) -> dict:
    answers = list(
        MainsAnswer.objects.for_history(learner).only(
            "pk",
            "submitted_at",
            "self_score",
            "mentor_score",
            "feedback_at",
            "words",
            "question__id",
            "question__marks",
            "question__word_limit",
            "question__text",
            "question__topic__title",
            "question__topic__slug",
        )[:TREND_LIMIT]
    )
    answers.reverse()
    rows, points = [], []
    for a in answers:
        when = timezone.localtime(a.submitted_at, tz)
        marks = a.question.marks
        rows.append({"answer": a, "when": when, "marks": marks})
        points.append(
            progress.ScorePoint(
                label=when.strftime("%-d %b"),
                self_score=_pct_of(a.self_score, marks),
                mentor_score=_pct_of(a.mentor_score, marks),
                title=f"{when.strftime('%-d %b %Y')} ({marks} marks)",
            )
        )
    scored = [p for p in points if p.self_score is not None or p.mentor_score is not None]
    desc = ""
    if rows:
        n_mentor = sum(1 for p in points if p.mentor_score is not None)
        desc = (
            f"{len(rows)} Mains answer{'s' if len(rows) != 1 else ''}; "
            f"{sum(1 for p in points if p.self_score is not None)} self-assessed, "
            f"{n_mentor} scored by a mentor."
        )
    return {
        "rows": list(reversed(rows)),
        "chart": progress.score_dots(points) if scored else None,
        "desc": desc,
    }


def _weak_spots(learner, mastery_rows: list[dict]) -> dict:
    """Weakest topics (lowest mastery among those started), formats (lowest accuracy with
    enough answers) and facts (most missed in Prelims plus most card lapses)."""
    started = [
        r
        for r in mastery_rows
        if r["answers"] >= WEAK_MIN_ANSWERS or (r["reviews"] and r["mastery"].percent < 90)
    ]
    topics = sorted(started, key=lambda r: (r["mastery"].percent, r["topic"].order))[:3]
    topics = [r for r in topics if r["mastery"].percent < 90]

    kinds = []
    for kind, row in AttemptItem.objects.accuracy_by_kind(learner).items():
        if row["answers"] >= WEAK_MIN_ANSWERS and row["correct"] < row["answers"]:
            kinds.append(
                {
                    "kind": kind,
                    "label": KIND_LABELS.get(kind, kind),
                    "answers": row["answers"],
                    "correct": row["correct"],
                    "accuracy": progress.percent(row["correct"], row["answers"]),
                }
            )
    kinds.sort(key=lambda k: (k["accuracy"], -k["answers"]))

    wrong = AttemptItem.objects.wrong_by_fact(learner)
    lapses = CardState.objects.lapses_by_fact(learner)
    missed = defaultdict(lambda: [0, 0])
    for fact_id, n in wrong.items():
        missed[fact_id][0] = n
    for fact_id, n in lapses.items():
        missed[fact_id][1] = n
    top = sorted(missed.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))[:4]
    facts = {
        f.pk: f for f in Fact.objects.filter(pk__in=[pk for pk, _ in top]).select_related("topic")
    }
    fact_rows = [
        {"fact": facts[pk], "wrong": w, "lapses": lp}
        for pk, (w, lp) in top
        if pk in facts and facts[pk].status != Status.DRAFT
    ]
    return {"topics": topics, "kinds": kinds[:3], "facts": fact_rows}


def dashboard_context(learner, profile: Profile, *, now: dt.datetime) -> dict:
    """Everything the dashboard shows for `learner`, in a fixed number of queries."""
    tz = profile.tzinfo
    today = timezone.localtime(now, tz).date()
    days, correct = _activity(learner, tz)
    streak = progress.streaks([d for d, a in days.items() if a.total], today)
    heat = progress.heatmap(days, today)
    mastery_rows = _mastery_rows(learner, now=now)
    exam_end = None
    if profile.exam_date and profile.exam_date >= today:
        exam_end = _local_midnight(profile.exam_date + dt.timedelta(days=1), tz)
    cards = CardState.objects.due_summary(learner, now=now, until=exam_end)
    cards_total = sum(r["topic"].card_count for r in mastery_rows)
    new_left = max(0, cards_total - cards["seen"])
    days_left = days_until(profile.exam_date, now, tz)
    finish_new = None
    if new_left and profile.daily_new_cards:
        finish_new = today + dt.timedelta(days=-(-new_left // profile.daily_new_cards) - 1)
    last_30 = [today - dt.timedelta(days=i) for i in range(30)]
    answered = sum(a.questions for a in days.values())
    return {
        "learner": learner,
        "profile": profile,
        "now": now,
        "today": today,
        "streak": streak,
        "heatmap": heat,
        "heat_desc": (
            f"{heat.active_days} active day{'s' if heat.active_days != 1 else ''} in the last "
            f"year; current streak {streak.current} day{'s' if streak.current != 1 else ''}, "
            f"longest {streak.longest}. Darker squares mean more study that day; the table "
            "below gives the totals month by month."
        ),
        "active_30": sum(1 for d in last_30 if d in days and days[d].total),
        "totals": {
            "cards": sum(a.cards for a in days.values()),
            "questions": answered,
            "answers": sum(a.answers for a in days.values()),
            "correct": correct,
            "accuracy": progress.percent(correct, answered),
        },
        "mastery_rows": mastery_rows,
        "mastery_formula": progress.MASTERY_FORMULA,
        "mocks": _mock_trend(learner, tz),
        "mains": _mains_trend(learner, tz),
        "weak": _weak_spots(learner, mastery_rows),
        "cards": cards,
        "countdown": {
            "days": days_left,
            "exam_date": profile.exam_date,
            "due_until": cards["due_until"],
            "new_left": new_left,
            "finish_new": finish_new,
            "finish_before_exam": bool(
                finish_new and profile.exam_date and finish_new <= profile.exam_date
            ),
        },
        "practice_pool": Pool.UNSEEN_OR_WRONG,
    }


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    context = dashboard_context(request.user, profile, now=timezone.now())
    with timezone.override(profile.tzinfo):
        return render(request, "quizzes/progress/dashboard.html", context)


# ---- history ---------------------------------------------------------------------------------

KINDS = [
    ("reviews", "Card reviews"),
    ("practice", "Practice sets"),
    ("mock", "Mock tests"),
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
        elif not ident.isdigit():
            raise ValueError(text)
        return cls(time.astimezone(dt.UTC), int(rank), ident)


class HistoryFilterForm(forms.Form):
    """The history page's filters and position (all GET parameters, all optional)."""

    kind = forms.ChoiceField(choices=[("", "Everything"), *KINDS], required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.CharField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.exclude(status=Status.DRAFT).order_by(
            "order", "title"
        )

    def _cursor(self, name: str) -> Cursor | None:
        text = self.cleaned_data.get(name)
        if not text:
            return None
        try:
            return Cursor.decode(text)
        except ValueError:
            raise forms.ValidationError(
                "That page link is broken: start again from the newest entries."
            ) from None

    def clean_before(self):
        return self._cursor("before")

    def clean_after(self):
        return self._cursor("after")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "“To” must be on or after “From”.")
        return data

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            hidden = field is None or field.widget.is_hidden
            return f"{errors[0]}" if hidden else f"{field.label or name.title()}: {errors[0]}"
        return ""


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
    if kind in ("", "practice", "mock"):
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
    learner, profile: Profile, params, *, base_url: str, staff: bool = False
) -> tuple[dict, int]:
    """The history list (or one review day) for `learner` from GET `params`; (context, status).

    Paging is by cursor (the newest/oldest row shown), so every page costs the same few
    queries however long the history is.
    """
    tz = profile.tzinfo
    form = HistoryFilterForm(params)
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


@require_GET
@login_required
def history(request: HtmxHttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    context, status = history_context(
        request.user, profile, request.GET, base_url=reverse("quizzes:history")
    )
    template = "quizzes/progress/history.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    with timezone.override(profile.tzinfo):  # times as the learner's clock shows them
        response = render(request, template, context, status=status)
    # One URL, two bodies (page or fragment): caches (and the Back button) must keep both.
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---- export ----------------------------------------------------------------------------------


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return str(value)


def _letter(index: int | None) -> str:
    return LETTERS[index] if index is not None and 0 <= index < len(LETTERS) else ""


def export_tables(learner) -> dict[str, list[dict]]:
    """Every row of the learner's own history, one list of flat dicts per kind.

    One query per table (plus one for the key points ticked in Mains answers), each reading
    only this learner's rows. Times are ISO 8601 in UTC.
    """
    reviews = [
        {
            "id": r["pk"],
            "reviewed_at": _iso(r["reviewed_at"]),
            "card": r["card__slug"],
            "topic": r["card__topic__slug"],
            "rating": r["rating"],
            "rating_label": RATING_LABELS.get(r["rating"], ""),
            "duration_ms": r["duration_ms"] if r["duration_ms"] is not None else "",
            "state_before": json.dumps(r["state_before"]) if r["state_before"] else "",
            "state_after": json.dumps(r["state_after"]),
        }
        for r in ReviewLog.objects.filter(learner=learner)
        .order_by("reviewed_at", "pk")
        .values(
            "pk",
            "reviewed_at",
            "card__slug",
            "card__topic__slug",
            "rating",
            "duration_ms",
            "state_before",
            "state_after",
        )
        .iterator(chunk_size=2000)
    ]
    attempts = [
        {
            "id": a["pk"],
            "mode": a["mode"],
            "title": a["title"],
            "started_at": _iso(a["started_at"]),
            "deadline": _iso(a["deadline"]),
            "submitted_at": _iso(a["submitted_at"]),
            "auto_submitted": a["auto_submitted"],
            "questions": a["question_count"],
            "correct": a["correct_count"],
            "wrong": a["wrong_count"],
            "blank": a["blank_count"],
            "score": scoring.format_marks(a["score_thirds"])
            if a["score_thirds"] is not None
            else "",
            "max_marks": a["question_count"] * scoring.MARKS_PER_QUESTION,
            "marks_lost_to_negative_marking": scoring.format_marks(
                progress.marks_lost_thirds(a["wrong_count"])
            ),
        }
        for a in Attempt.objects.filter(learner=learner)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "mode",
            "title",
            "started_at",
            "deadline",
            "submitted_at",
            "auto_submitted",
            "question_count",
            "correct_count",
            "wrong_count",
            "blank_count",
            "score_thirds",
        )
        .iterator(chunk_size=2000)
    ]
    items = [
        {
            "attempt_id": i["attempt_id"],
            "order": i["order"],
            "question": i["question__slug"],
            "topic": (i["snapshot"] or {}).get("topic", ""),
            "format": (i["snapshot"] or {}).get("kind", ""),
            "chosen": _letter(i["chosen"]),
            "key": _letter(i["key"]),
            "is_correct": "" if i["is_correct"] is None else i["is_correct"],
            "marked_for_review": i["marked_for_review"],
            "seconds_spent": i["seconds_spent"],
            "answered_at": _iso(i["answered_at"]),
        }
        for i in AttemptItem.objects.filter(attempt__learner=learner)
        .order_by("attempt_id", "order")
        .values(
            "attempt_id",
            "order",
            "question__slug",
            "snapshot",
            "chosen",
            "key",
            "is_correct",
            "marked_for_review",
            "seconds_spent",
            "answered_at",
        )
        .iterator(chunk_size=2000)
    ]
    covered = defaultdict(list)
    for answer_id, text in MainsAnswer.covered_points.through.objects.filter(
        mainsanswer__learner=learner
    ).values_list("mainsanswer_id", "keypoint__text"):
        covered[answer_id].append(text)
    mains = [
        {
            "id": m["pk"],
            "question": m["question__slug"],
            "topic": m["question__topic__slug"],
            "marks": m["question__marks"],
            "word_limit": m["question__word_limit"],
            "status": "submitted" if m["submitted_at"] else "draft",
            "started_at": _iso(m["started_at"]),
            "submitted_at": _iso(m["submitted_at"]),
            "words": m["words"],
            "seconds": m["seconds"],
            "self_score": "" if m["self_score"] is None else str(m["self_score"]),
            "key_points_ticked": " | ".join(covered.get(m["pk"], [])),
            "mentor_score": "" if m["mentor_score"] is None else str(m["mentor_score"]),
            "mentor_feedback": m["mentor_feedback"],
            "feedback_at": _iso(m["feedback_at"]),
            "text": m["text"],
        }
        for m in MainsAnswer.objects.filter(learner=learner)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "question__slug",
            "question__topic__slug",
            "question__marks",
            "question__word_limit",
            "started_at",
            "submitted_at",
            "words",
            "seconds",
            "self_score",
            "mentor_score",
            "mentor_feedback",
            "feedback_at",
            "text",
        )
    ]
    notes = [
        {"topic": n["topic__slug"], "title": n["topic__title"], "studied_at": _iso(n["studied_at"])}
        for n in NoteProgress.objects.filter(learner=learner)
        .order_by("studied_at")
        .values("topic__slug", "topic__title", "studied_at")
    ]
    cards = [
        {
            "card": c["card__slug"],
            "topic": c["card__topic__slug"],
            "state": CardState.State(c["state"]).label,
            "due": _iso(c["due"]),
            "stability": c["stability"] if c["stability"] is not None else "",
            "difficulty": c["difficulty"] if c["difficulty"] is not None else "",
            "reps": c["reps"],
            "lapses": c["lapses"],
            "introduced_at": _iso(c["introduced_at"]),
        }
        for c in CardState.objects.filter(learner=learner)
        .order_by("introduced_at", "pk")
        .values(
            "card__slug",
            "card__topic__slug",
            "state",
            "due",
            "stability",
            "difficulty",
            "reps",
            "lapses",
            "introduced_at",
        )
    ]
    bookmarks = [
        {"question": b["question__slug"], "created_at": _iso(b["created_at"])}
        for b in Bookmark.objects.filter(learner=learner)
        .order_by("created_at")
        .values("question__slug", "created_at")
    ]
    return {
        "reviews": reviews,
        "attempts": attempts,
        "attempt_items": items,
        "mains_answers": mains,
        "notes_studied": notes,
        "card_states": cards,
        "bookmarks": bookmarks,
    }


EXPORT_COLUMNS = {
    "reviews": [
        "id",
        "reviewed_at",
        "card",
        "topic",
        "rating",
        "rating_label",
        "duration_ms",
        "state_before",
        "state_after",
    ],
    "attempts": [
        "id",
        "mode",
        "title",
        "started_at",
        "deadline",
        "submitted_at",
        "auto_submitted",
        "questions",
        "correct",
        "wrong",
        "blank",
        "score",
        "max_marks",
        "marks_lost_to_negative_marking",
    ],
    "attempt_items": [
        "attempt_id",
        "order",
        "question",
        "topic",
        "format",
        "chosen",
        "key",
        "is_correct",
        "marked_for_review",
        "seconds_spent",
        "answered_at",
    ],
    "mains_answers": [
        "id",
        "question",
        "topic",
        "marks",
        "word_limit",
        "status",
        "started_at",
        "submitted_at",
        "words",
        "seconds",
        "self_score",
        "key_points_ticked",
        "mentor_score",
        "mentor_feedback",
        "feedback_at",
        "text",
    ],
    "notes_studied": ["topic", "title", "studied_at"],
    "card_states": [
        "card",
        "topic",
        "state",
        "due",
        "stability",
        "difficulty",
        "reps",
        "lapses",
        "introduced_at",
    ],
    "bookmarks": ["question", "created_at"],
}


FREE_TEXT = {"title", "text", "mentor_feedback", "key_points_ticked"}


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # Free text starting with = + - @ would run as a formula in a spreadsheet: mark it
        # as text with a leading apostrophe (OWASP's advice for CSV injection).
        writer.writerow(
            {
                k: f"'{v}" if k in FREE_TEXT and isinstance(v, str) and v[:1] in "=+-@" else v
                for k, v in row.items()
            }
        )
    return out.getvalue()


@require_GET
@login_required
def export(request: HtmxHttpRequest) -> HttpResponse:
    """?format=zip: one CSV per kind, zipped; ?format=json: one JSON document; no format: the
    page offering both. Only the requesting learner's own rows, ever."""
    fmt = request.GET.get("format", "")
    if not fmt:
        return render(request, "quizzes/progress/export.html", {"columns": EXPORT_COLUMNS})
    if fmt not in ("zip", "json"):
        return render(
            request,
            "quizzes/progress/export.html",
            {
                "columns": EXPORT_COLUMNS,
                "error": "Choose CSV (zip) or JSON: format=zip or format=json.",
            },
            status=400,
        )
    learner = request.user
    profile = profile_of(learner)
    tables = export_tables(learner)
    stamp = timezone.localtime(timezone.now(), profile.tzinfo).strftime("%Y-%m-%d")
    name = f"studyapp-{learner.username}-{stamp}"
    if fmt == "json":
        document = {
            "exported_at": _iso(timezone.now()),
            "user": {
                "username": learner.username,
                "email": learner.email,
                "date_joined": _iso(learner.date_joined),
            },
            "profile": {
                "exam_date": _iso(profile.exam_date),
                "daily_new_cards": profile.daily_new_cards,
                "timezone": profile.timezone,
                "desired_retention": profile.desired_retention,
            },
            **tables,
        }
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, columns in EXPORT_COLUMNS.items():
            # utf-8-sig: spreadsheets open the file with the right encoding.
            archive.writestr(
                f"{name}/{kind}.csv", _csv_text(columns, tables[kind]).encode("utf-8-sig")
            )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response
