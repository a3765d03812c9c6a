"""The progress dashboard (`/progress/`, and the top of the staff learner page).

Every number is aggregated in the database (grouped by the learner's local day, topic or
format) and shaped by the pure helpers in `quizzes.progress`; nothing loops over history rows
in Python, so the query count stays the same for a learner with 20 or 20,000 rows. Indexes
relied on: ReviewLog (learner, reviewed_at), CardState (learner, due), MainsAnswer (learner,
submitted_at), Attempt.learner and AttemptItem.attempt foreign keys, NoteProgress
(learner, topic) unique constraint.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Min
from django.utils import timezone

from content.models import Fact, QuestionKind, Status, Topic
from profiles.models import Profile
from quizzes import progress, scheduling, scoring
from quizzes.models import (
    Attempt,
    AttemptItem,
    CardMark,
    CardState,
    MainsAnswer,
    NoteProgress,
    ReviewLog,
)
from quizzes.selectors.today import days_until
from quizzes.services.prelims import Pool

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
TREND_LIMIT = 20  # mocks / Mains answers in the charts
KIND_LABELS = dict(QuestionKind.choices)


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
                "correct": p.get("correct", 0),
                "order": topic.order,
                "reviews": r.get("reviews", 0),
                "due": c.get("due", 0),
                "started": bool(topic.pk in studied or c.get("seen") or p.get("answers")),
            }
        )
    return rows


def _mock_kind_label(family: str, n: int) -> str:
    """ "full-length papers of 100 questions", "custom mocks of 25 questions"."""
    what = {"full": "full-length papers", "sectional": "sectional papers"}.get(
        family, "custom mocks"
    )
    return f"{what} of {n} question{'s' if n != 1 else ''}"


def _mock_trend(learner, tz) -> dict:
    """Scores of the learner's latest kind of mock only (same paper family and length), so a
    2-question quiz never moves the trend of 25-question mocks; the other kinds are listed."""
    kinds = list(
        Attempt.objects.filter(learner=learner, mode=Attempt.Mode.MOCK, submitted_at__isnull=False)
        .order_by()
        .values("family", "question_count")
        .annotate(n=Count("pk"), last=Max("submitted_at"))
        .order_by("-last")
    )
    if not kinds:
        return {
            "rows": [],
            "chart": None,
            "desc": "",
            "lost_total": "0.00",
            "kind": "",
            "others": [],
        }
    family, length = kinds[0]["family"], kinds[0]["question_count"]
    mocks = list(
        Attempt.objects.filter(learner=learner, family=family, question_count=length)
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
            "percent": scoring.percent(a.score_thirds or 0, max_thirds) if max_thirds else 0,
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
        "kind": _mock_kind_label(family, length),
        "others": [
            {"label": _mock_kind_label(k["family"], k["question_count"]), "n": k["n"]}
            for k in kinds[1:]
        ],
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
    """Weakest topics (`progress.weakest_topics`, as on the staff list), formats (lowest
    accuracy with enough answers) and facts (most missed in Prelims plus most card lapses)."""
    topics = progress.weakest_topics(mastery_rows, limit=3)

    kinds = []
    for kind, row in AttemptItem.objects.accuracy_by_kind(learner).items():
        if row["answers"] >= progress.WEAK_MIN_ANSWERS and row["correct"] < row["answers"]:
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
        # Retired facts stay (the learner's own history); drafts, or facts in a draft topic, never.
        if pk in facts and Status.DRAFT not in (facts[pk].status, facts[pk].topic.status)
    ]
    return {"topics": topics, "kinds": kinds[:3], "facts": fact_rows}


def dashboard_changes_at(learner, profile: Profile, now: dt.datetime) -> dt.datetime:
    """The next moment time alone changes the learner's dashboard (the page cache keeps it
    until then): one of their cards coming due (the due counts), a buried card coming back,
    or their midnight (today's figures, the streak, the heatmap, the exam countdown). Two
    index reads on the learner."""
    due = CardState.objects.filter(learner=learner, due__gt=now).aggregate(at=Min("due"))
    back = CardMark.objects.filter(learner=learner, buried_until__gt=now).aggregate(
        at=Min("buried_until")
    )
    midnight = scheduling.next_day_start(now, profile.tzinfo)
    return min(at for at in (due["at"], back["at"], midnight) if at is not None)


def dashboard(learner, profile: Profile, *, now: dt.datetime) -> dict:
    """Everything the dashboard (`/progress/`) shows for `learner`: a fixed number of queries."""
    tz = profile.tzinfo
    today = timezone.localtime(now, tz).date()
    days, correct = _activity(learner, tz)
    streak = progress.streaks([d for d, a in days.items() if a.total], today)
    heat = progress.heatmap(days, today)
    mastery_rows = _mastery_rows(learner, now=now)
    exam_end = None
    # A date stored before exam dates were capped may be absurd (9999-12-31): no countdown.
    if profile.exam_date and today <= profile.exam_date < today + dt.timedelta(days=3660):
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
