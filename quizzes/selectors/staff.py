"""The staff pages (`/staff/learners/` and `/staff/learners/<id>/`): learners and their progress.

The list annotates every column it can sort by in the database (correlated subqueries, one
query for the page); the streak and the weakest topic are worked out for the page's learners
only, so a page costs the same few queries however many learners and rows there are.
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
    Avg,
    Count,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.utils import timezone

from content.models import Status, studyable_q
from quizzes import progress
from quizzes.models import Attempt, AttemptItem, CardState, MainsAnswer, NoteProgress, ReviewLog

User = get_user_model()
PER_PAGE = 25
STREAK_WINDOW_DAYS = 120  # the list shows streaks up to this long ("120+")
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SORTS = {
    "name": "username",
    "active": "last_active",
    "due": "cards_due",
    "mock": "mock_avg",
}


def _latest(model, learner_path: str, time_field: str, **filters) -> Subquery:
    """The newest `time_field` of the outer learner's rows of `model`."""
    return Subquery(
        model.objects.filter(**{learner_path: OuterRef("pk")}, **filters)
        .order_by()
        .values(learner_path)
        .annotate(at=Max(time_field))
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def learners_for_staff(*, now: dt.datetime, search: str = ""):
    """Active non-staff users with `last_active` (newest review, answer, Mains answer or note;
    NEVER when none), `cards_due` (published cards due at `now`) and `mock_avg` (average mock
    score, % of the maximum; NULL without mocks), all annotated in one query."""
    qs = User.objects.filter(is_staff=False, is_superuser=False, is_active=True)
    qs = qs.select_related("profile")
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    due = (
        CardState.objects.filter(
            studyable_q(OuterRef("pk"), "card"), learner=OuterRef("pk"), due__lte=now
        )
        .order_by()
        .values("learner")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    mock = (
        Attempt.objects.filter(
            learner=OuterRef("pk"),
            mode=Attempt.Mode.MOCK,
            submitted_at__isnull=False,
            question_count__gt=0,
        )
        .order_by()
        .values("learner")
        .annotate(
            avg=Avg(
                Cast("score_thirds", FloatField())
                * 100.0
                / (Cast("question_count", FloatField()) * 6.0)
            )
        )
        .values("avg")[:1]
    )
    sources = [
        _latest(ReviewLog, "learner", "reviewed_at"),
        _latest(AttemptItem, "attempt__learner", "answered_at"),
        _latest(MainsAnswer, "learner", "submitted_at"),
        _latest(NoteProgress, "learner", "studied_at"),
    ]
    never = Value(NEVER, output_field=DateTimeField())
    return qs.annotate(
        last_active=Greatest(*(Coalesce(s, never) for s in sources)),
        cards_due=Coalesce(Subquery(due, output_field=IntegerField()), 0),
        mock_avg=Subquery(mock, output_field=FloatField()),
        mocks=Coalesce(
            Subquery(
                Attempt.objects.filter(
                    learner=OuterRef("pk"), mode=Attempt.Mode.MOCK, submitted_at__isnull=False
                )
                .order_by()
                .values("learner")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
    )


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
    qs = learners_for_staff(now=now, search=search).order_by(ordering, "username")
    page = Paginator(qs, PER_PAGE).get_page(page_number)
    users = list(page.object_list)
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
