"""The learner's "Today" panel on the home page (`/`): what to do next, one query per line.

`today_panel(user)` returns a plain dict that `templates/includes/_today.html` renders. Each
entry costs one query whatever the size of the learner's history; later issues add entries
here (and to the template) rather than querying from the template. Indexes relied on:
CardState (learner, due), ReviewLog (learner, reviewed_at), MainsAnswer (learner,
submitted_at), Attempt.learner, NoteProgress (learner, topic).
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from content.models import Flashcard, Topic
from profiles.models import Profile
from quizzes import scheduling
from quizzes.models import (
    Attempt,
    AttemptItem,
    CardMark,
    CardState,
    MainsAnswer,
    NoteProgress,
    ReviewLog,
)
from quizzes.scoring import percent


class Yesterday(TypedDict):
    day: dt.date
    cards: int
    recalled: int
    questions: int
    correct: int
    answers: int
    line: str


class TodayPanel(TypedDict):
    new_feedback: list[MainsAnswer]
    cards_due: int
    mistakes_due: int
    cards_new: int
    cards_new_waiting: int
    welcome_back: bool
    next_topic: Topic | None
    unfinished_mock: Attempt | None
    yesterday: Yesterday
    now: dt.datetime


def cards_ready(user, *, now: dt.datetime, tz: dt.tzinfo, limit: int) -> dict:
    """What the review page would offer now, counted as it counts (two queries): `due`
    (learning steps within the learn-ahead window and reviews due), `new` (new cards today's
    `limit`, extra ones included, still allows) and `new_waiting` (cards never seen,
    the learner's own included); suspended and buried cards count in none."""
    counts = CardState.objects.session_counts(
        user,
        now=now,
        learn_ahead=scheduling.LEARN_AHEAD,
        day_start=scheduling.day_start(now, tz),
    )
    new_left = scheduling.new_cards_left(limit=limit, introduced_today=counts["introduced_today"])
    waiting = (
        Flashcard.objects.for_learner(user)
        .exclude(states__learner=user)
        .exclude(CardMark.objects.held_now(user, now=now, card_ref="pk"))
        .count()
    )
    return {
        "due": counts["learning"] + counts["review"],
        "new": min(waiting, new_left),
        "new_waiting": waiting,
    }


def welcome_back(user, now: dt.datetime, tz: dt.tzinfo) -> bool:
    """Whether the learner is coming back rather than just signed up: they logged in again
    after signing up, or signed up before their current local day (no query)."""
    joined = user.date_joined
    if joined is None:
        return True
    if user.last_login and user.last_login - joined > RETURNING_AFTER:
        return True
    return joined < dt.datetime.combine(timezone.localdate(now, timezone=tz), dt.time(0), tz)


def next_unstudied_topic(user) -> Topic | None:
    """The first published topic, in syllabus order, the learner has not marked studied.

    When every topic is studied this returns the first topic with `studied=True` (so the
    panel can tell "all done" from "no topics yet", which is None) in the same one query.
    """
    studied = NoteProgress.objects.filter(learner=user, topic=OuterRef("pk"))
    return (
        Topic.objects.visible()
        .annotate(studied=Exists(studied))
        .order_by("studied", "order", "title")
        .only("slug", "title", "summary", "order")
        .first()
    )


def unfinished_mock(user) -> Attempt | None:
    """The learner's most recently started mock test that has not been submitted."""
    return (
        Attempt.objects.filter(learner=user, mode=Attempt.Mode.MOCK, submitted_at__isnull=True)
        .order_by("-started_at", "-pk")
        .first()
    )


NEW_FEEDBACK_SHOWN = 3
# A login this long after signing up is a return visit (signing up logs the learner in at once).
RETURNING_AFTER = dt.timedelta(minutes=5)


def new_feedback(user) -> list[MainsAnswer]:
    """The learner's answers with mentor feedback they have not opened, newest first (at most
    NEW_FEEDBACK_SHOWN + 1, so the panel can say "and more"); one query on (learner, ...)."""
    return list(
        MainsAnswer.objects.filter(learner=user, submitted_at__isnull=False)
        .filter(MainsAnswer.new_feedback_q())
        .select_related("question")
        .only("pk", "feedback_at", "mentor_score", "question__text", "question__marks")
        .order_by("-feedback_at", "-pk")[: NEW_FEEDBACK_SHOWN + 1]
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def yesterday_line(cards: int, recalled: int, questions: int, correct: int, answers: int) -> str:
    """Yesterday's results in one sentence, e.g. "42 cards reviewed (88% recalled) ·
    10 questions answered (7 right) · 1 Mains answer written"."""
    parts = []
    if cards:
        share = percent(recalled, cards)
        parts.append(f"{_plural(cards, 'card', 'cards')} reviewed ({share}% recalled)")
    if questions:
        parts.append(f"{_plural(questions, 'question', 'questions')} answered ({correct} right)")
    if answers:
        parts.append(f"{_plural(answers, 'Mains answer', 'Mains answers')} written")
    return " · ".join(parts) if parts else "No study yesterday."


def _count(qs, learner_field: str, **filters) -> Coalesce:
    """A scalar subquery counting `qs` rows (0 when none), to put several counts in one query."""
    rows = qs.filter(**filters).order_by().values(learner_field).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


def yesterday_results(user, now: dt.datetime, tz: dt.tzinfo) -> Yesterday:
    """What the learner did on their previous local day: one query (five counts)."""
    today = timezone.localdate(now, timezone=tz)
    day = today - dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(today, dt.time(0), tzinfo=tz)
    reviews = ReviewLog.objects.filter(learner=user, reviewed_at__gte=start, reviewed_at__lt=end)
    items = AttemptItem.objects.filter(
        attempt__learner=user, chosen__isnull=False, answered_at__gte=start, answered_at__lt=end
    )
    answers = MainsAnswer.objects.filter(
        learner=user, submitted_at__gte=start, submitted_at__lt=end
    )
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            cards=_count(reviews, "learner"),
            recalled=_count(reviews, "learner", rating__gt=1),
            questions=_count(items, "attempt__learner"),
            correct=_count(items, "attempt__learner", is_correct=True),
            answers=_count(answers, "learner"),
        )
        .get()
    )
    return {"day": day, **counts, "line": yesterday_line(**counts)}


def today_panel(user, now: dt.datetime | None = None, profile: Profile | None = None) -> TodayPanel:
    """Everything the Today panel shows for `user`: seven queries when the learner's `profile`
    (time zone, today's new-card limit) is given, eight when it has to be looked up;
    independent of history."""
    now = now or timezone.now()
    if profile is None:
        profile = Profile.objects.filter(user=user).first()
    tz = profile.tzinfo if profile else ZoneInfo(settings.TIME_ZONE)
    limit = (
        profile.new_limit(now)
        if profile
        else Profile._meta.get_field("daily_new_cards").get_default()
    )
    cards = cards_ready(user, now=now, tz=tz, limit=limit)
    return {
        "new_feedback": new_feedback(user),
        "cards_due": cards["due"],
        "mistakes_due": CardMark.objects.mistakes_due(user, now=now),
        "cards_new": cards["new"],
        "cards_new_waiting": cards["new_waiting"],
        "welcome_back": welcome_back(user, now, tz),
        "next_topic": next_unstudied_topic(user),
        "unfinished_mock": unfinished_mock(user),
        "yesterday": yesterday_results(user, now, tz),
        "now": now,
    }


def days_until(exam_date: dt.date | None, now: dt.datetime | None, tz: dt.tzinfo) -> int | None:
    """Whole days from the learner's local today to `exam_date`; None if unset or past."""
    if exam_date is None:
        return None
    today = timezone.localdate(now or timezone.now(), timezone=tz)
    days = (exam_date - today).days
    return days if days >= 0 else None
