"""The staff pages (`/staff/learners/` and `/staff/learners/<id>/`): learners and their progress.

The list sorts on the profile's activity counters (last active, mock average: kept on every
write by quizzes.services.activity, `last_active` indexed), so a page costs the same few
queries and the same time however many learners and history rows there are; cards due (they
change with the hour) and the streak and weakest topic are worked out for the page's learners
only, except that sorting by cards due counts them for every learner (one index probe each).
Indexes relied on: ReviewLog (learner, reviewed_at), CardState (learner, due), MainsAnswer
(learner, submitted_at), AttemptItem.attempt and Attempt.learner, NoteProgress (learner, topic).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from content.models import Status, studyable_q
from quizzes import progress
from quizzes.models import AttemptItem, CardState, MainsAnswer, NoteProgress, ReviewLog

User = get_user_model()
PER_PAGE = 25
STREAK_WINDOW_DAYS = 120  # the list shows streaks up to this long ("120+")
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SORTS = {
    "name": "username",
    "active": "profile__last_active",  # the indexed column itself (last_active coalesces)
    "due": "cards_due",
    "mock": "mock_avg",
}


def _due_per_learner(owner, *, now: dt.datetime, **filters):
    """Cards each learner studies that are due at `now`, counted per learner (`owner` refers to
    the learner: OuterRef("pk") in a subquery, F("learner") in a grouped read)."""
    return (
        CardState.objects.filter(studyable_q(owner, "card"), due__lte=now, **filters)
        .order_by()
        .values("learner")
        .annotate(n=Count("pk"))
    )


def _cards_due(now: dt.datetime) -> Coalesce:
    """The outer learner's published cards due at `now` (one index probe per learner)."""
    due = _due_per_learner(OuterRef("pk"), now=now, learner=OuterRef("pk")).values("n")[:1]
    return Coalesce(Subquery(due, output_field=IntegerField()), 0)


def _due_counts(ids: list[int], *, now: dt.datetime) -> dict[int, int]:
    rows = _due_per_learner(F("learner"), now=now, learner__in=ids)
    return {row["learner"]: row["n"] for row in rows}


def learners_for_staff(*, now: dt.datetime, search: str = "", with_due: bool = True):
    """Active non-staff users with `last_active` (newest review, answer, Mains answer or note;
    NEVER when none), `mocks`, `mock_avg` (average mock score, % of the maximum; NULL without
    scored mocks) — all read from the profile's counters (quizzes.services.activity) — and,
    with `with_due`, `cards_due` (published cards due at `now`). One query."""
    qs = User.objects.filter(is_staff=False, is_superuser=False, is_active=True)
    qs = qs.select_related("profile")
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    qs = qs.annotate(
        last_active=Coalesce(F("profile__last_active"), Value(NEVER)),
        mocks=Coalesce(F("profile__mocks_taken"), 0),
        mock_avg=Case(
            When(
                profile__mocks_scored__gt=0,
                then=F("profile__mock_percent_sum") / Cast("profile__mocks_scored", FloatField()),
            ),
            output_field=FloatField(),
        ),
    )
    return qs.annotate(cards_due=_cards_due(now)) if with_due else qs


def _streaks(users, *, now: dt.datetime) -> dict[int, progress.Streak]:
    """{user id: Streak} over the last STREAK_WINDOW_DAYS, each in the learner's own time
    zone: four grouped queries per distinct time zone on the page (usually one)."""
    by_tz: dict[str, list[int]] = defaultdict(list)
    for user in users:
        profile = getattr(user, "profile", None)
        by_tz[profile.timezone if profile else settings.TIME_ZONE].append(user.pk)
    since = now - dt.timedelta(days=STREAK_WINDOW_DAYS + 1)
    days: dict[int, set[dt.date]] = defaultdict(set)
    today: dict[int, dt.date] = {}
    for name, ids in by_tz.items():
        tz = ZoneInfo(name)
        for model, learner, field in (
            (ReviewLog, "learner", "reviewed_at"),
            (AttemptItem, "attempt__learner", "answered_at"),
            (MainsAnswer, "learner", "submitted_at"),
            (NoteProgress, "learner", "studied_at"),
        ):
            rows = (
                model.objects.filter(**{f"{learner}__in": ids, f"{field}__gte": since})
                .order_by()
                .annotate(day=TruncDate(field, tzinfo=tz))
                .values_list(learner, "day")
                .distinct()
            )
            for pk, day in rows:
                days[pk].add(day)
        for pk in ids:
            today[pk] = timezone.localtime(now, tz).date()
    return {pk: progress.streaks(days.get(pk, ()), today[pk]) for pk in today}


def _weak_topics(ids: list[int]) -> dict[int, dict]:
    """{user id: {title, accuracy, answers}}: each learner's weakest published topic by the
    dashboard's rule (`progress.weakest_topics`). One grouped query for the page."""
    rows = (
        AttemptItem.objects.filter(
            attempt__learner__in=ids,
            chosen__isnull=False,
            question__topic__status=Status.PUBLISHED,
        )
        .order_by()
        .values("attempt__learner", "question__topic__title", "question__topic__order")
        .annotate(answers=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    )
    by_learner: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_learner[row["attempt__learner"]].append(row | {"order": row["question__topic__order"]})
    weakest: dict[int, dict] = {}
    for learner_id, topics in by_learner.items():
        for row in progress.weakest_topics(topics, limit=1):
            weakest[learner_id] = {
                "title": row["question__topic__title"],
                "accuracy": progress.percent(row["correct"], row["answers"]),
                "answers": row["answers"],
            }
    return weakest


COLUMNS = (
    ("name", "Learner", False),
    ("active", "Last active", False),
    ("streak", "Streak", True),
    ("due", "Cards due", True),
    ("mock", "Mock average", True),
    ("weak", "Weakest topic", False),
)


def _columns(sort: str, key: str) -> list[dict]:
    """The table's column headers with the sort each one links to."""
    columns = []
    for name, label, num in COLUMNS:
        column = {"label": label, "num": num, "sort": "", "aria": ""}
        if name in SORTS:
            descending = sort.startswith("-")
            if key == name:  # clicking the sorted column flips it
                column["sort"] = name if descending else f"-{name}"
                column["aria"] = "descending" if descending else "ascending"
            else:  # another column starts with its natural order
                column["sort"] = name if name == "name" else f"-{name}"
        columns.append(column)
    return columns


def learner_list_page(*, now: dt.datetime, search: str, sort: str, page_number) -> dict:
    """The staff learner list: one page of learners sorted by `sort` (a key of SORTS, "-" for
    descending; anything else falls back to "-active"), with streak and weakest topic."""
    key = sort.removeprefix("-")
    if key not in SORTS:
        sort, key = "-active", "active"
    field = F(SORTS[key])
    ordering = field.desc(nulls_last=True) if sort.startswith("-") else field.asc(nulls_last=True)
    # Cards due depend on the hour, so no counter can hold them: worked out for every learner
    # only to sort by them, else for the page's learners (one grouped query).
    by_due = key == "due"
    qs = learners_for_staff(now=now, search=search, with_due=by_due)
    page = Paginator(qs.order_by(ordering, "username"), PER_PAGE).get_page(page_number)
    users = list(page.object_list)
    if not by_due:
        due = _due_counts([u.pk for u in users], now=now)
        for user in users:
            user.cards_due = due.get(user.pk, 0)
    streaks = _streaks(users, now=now)
    weak = _weak_topics([u.pk for u in users])
    rows = [
        {
            "user": u,
            "last_active": None
            if u.last_active is None or u.last_active <= NEVER
            else u.last_active,
            "streak": streaks.get(u.pk),
            "weak": weak.get(u.pk),
            "mock_avg": None if u.mock_avg is None else progress.percent(u.mock_avg, 100),
        }
        for u in users
    ]
    return {
        "page": page,
        "rows": rows,
        "search": search,
        "sort": sort,
        "columns": _columns(sort, key),
        "streak_window": STREAK_WINDOW_DAYS,
    }


def awaiting_feedback(learner, *, limit: int = 50) -> list[MainsAnswer]:
    """The learner's submitted Mains answers no mentor has evaluated yet, oldest first."""
    return list(MainsAnswer.objects.filter(learner=learner).awaiting_feedback()[:limit])
