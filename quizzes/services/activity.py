"""The learner's activity counters on Profile, kept by the services that write history.

`last_active` (newest card rating, Prelims answer, Mains answer or studied note) and the mock
counters let the staff learner list sort 10,000s of learners on indexed columns instead of
scanning every learner's history on each page. Call these inside the write's transaction; each
is one UPDATE (plus an INSERT the first time for an account without a profile).
`recount()` rebuilds every counter from the history tables (the migration and bulk loads).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce, Greatest

from profiles.models import Profile
from quizzes.models import Attempt, NoteProgress
from studyapp.freshness import moved_inline


def _update(learner, **changes) -> None:
    """Apply `changes` to the learner's (a user or a user id) profile, made if missing; the
    same UPDATE moves the learner's data version (studyapp.freshness: no second statement at
    the end of the request)."""
    user_id = getattr(learner, "pk", learner)
    changes["data_version"] = F("data_version") + 1
    if not Profile.objects.filter(user_id=user_id).update(**changes):
        Profile.objects.get_or_create(user_id=user_id)
        Profile.objects.filter(user_id=user_id).update(**changes)
    moved_inline(user_id)


def record_activity(learner, now: dt.datetime) -> None:  # learner: a user or a user id
    """The learner did something at `now`: move `last_active` forward (never back)."""
    _update(learner, last_active=Greatest(Coalesce(F("last_active"), now), now))


def note_mark(*, learner, topic, studied: bool, now: dt.datetime) -> NoteProgress | None:
    """Mark the topic's note studied (kept at its first time) or not studied; the progress
    row, or None when unmarked."""
    if not studied:
        NoteProgress.objects.filter(learner=learner, topic=topic).delete()
        return None
    progress, created = NoteProgress.objects.get_or_create(
        learner=learner, topic=topic, defaults={"studied_at": now}
    )
    if created:
        record_activity(learner, now)
    return progress


def mock_percent(attempt: Attempt) -> float | None:
    """A submitted mock's score as a share of its maximum, in percent (None when empty)."""
    if not attempt.question_count:
        return None
    return attempt.score_thirds * 100.0 / (attempt.question_count * 6.0)


def record_mock(attempt: Attempt) -> None:
    """A mock test was just submitted: count it (and its score, when it had questions)."""
    if attempt.mode != Attempt.Mode.MOCK:
        return
    share = mock_percent(attempt)
    changes = {"mocks_taken": F("mocks_taken") + 1}
    if share is not None:
        changes |= {"mocks_scored": F("mocks_scored") + 1,
                    "mock_percent_sum": F("mock_percent_sum") + share}  # fmt: skip
    _update(attempt.learner_id, **changes)


def recount(apps=None) -> int:
    """Rebuild every profile's counters from history (4 grouped reads, one bulk write);
    returns how many profiles changed. `apps`: a migration's historical models."""
    if apps is not None:  # the migration's own models, not today's
        Profile, ReviewLog, AttemptItem, MainsAnswer, NoteProgress, Attempt = (  # noqa: N806
            apps.get_model(*name.split("."))
            for name in ("profiles.Profile", "quizzes.ReviewLog", "quizzes.AttemptItem",
                         "quizzes.MainsAnswer", "quizzes.NoteProgress", "quizzes.Attempt")
        )  # fmt: skip
    else:
        from profiles.models import Profile
        from quizzes.models import Attempt, AttemptItem, MainsAnswer, NoteProgress, ReviewLog
    mock = "mock"  # Attempt.Mode.MOCK (historical models have no enums)
    latest: dict[int, dt.datetime] = {}
    for qs, learner, field in (
        (ReviewLog.objects, "learner", "reviewed_at"),
        (AttemptItem.objects.filter(answered_at__isnull=False), "attempt__learner", "answered_at"),
        (MainsAnswer.objects.filter(submitted_at__isnull=False), "learner", "submitted_at"),
        (NoteProgress.objects, "learner", "studied_at"),
    ):
        for pk, at in (
            qs.order_by().values(learner).annotate(at=Max(field)).values_list(learner, "at")
        ):
            if at is not None and (pk not in latest or at > latest[pk]):
                latest[pk] = at
    mocks = {
        row["learner"]: row
        for row in Attempt.objects.filter(mode=mock, submitted_at__isnull=False)
        .order_by()
        .values("learner")
        .annotate(
            taken=Count("pk"),
            scored=Count("pk", filter=Q(question_count__gt=0)),
            total=Sum(
                F("score_thirds") * 100.0 / (F("question_count") * 6.0),
                filter=Q(question_count__gt=0),
            ),
        )
    }
    for user_id in set(latest) | set(mocks):
        Profile.objects.get_or_create(user_id=user_id)
    changed = []
    for profile in Profile.objects.only(
        "pk", "user_id", "last_active", "mocks_taken", "mocks_scored", "mock_percent_sum"
    ).iterator(chunk_size=2000):
        row = mocks.get(profile.user_id, {})
        values = (
            latest.get(profile.user_id),
            row.get("taken", 0),
            row.get("scored", 0),
            float(row.get("total") or 0.0),
        )
        current = (
            profile.last_active,
            profile.mocks_taken,
            profile.mocks_scored,
            profile.mock_percent_sum,
        )
        if values != current:
            (profile.last_active, profile.mocks_taken, profile.mocks_scored,
             profile.mock_percent_sum) = values  # fmt: skip
            changed.append(profile)
    Profile.objects.bulk_update(
        changed, ["last_active", "mocks_taken", "mocks_scored", "mock_percent_sum"], 1000
    )
    return len(changed)
