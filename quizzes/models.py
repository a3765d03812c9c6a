"""What learners do: notes studied, card states and review logs, Prelims attempts, Mains answers.

All times are stored UTC-aware. Nothing here is deleted when content changes: attempt items
keep a snapshot of the question as it was shown.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Avg, Count, Exists, F, FloatField, Max, Min, OuterRef, Q, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate

from content.models import Flashcard, KeyPoint, MainsQuestion, Question, Topic

User = settings.AUTH_USER_MODEL


class NoteProgressQuerySet(models.QuerySet):
    def studied_at_by_topic(self, learner) -> dict[int, dt.datetime]:
        """{topic id: studied_at} for the learner's studied notes (one query)."""
        return dict(self.filter(learner=learner).values_list("topic_id", "studied_at"))

    def per_day(self, learner, *, tz) -> dict[dt.date, int]:
        """{local date in `tz`: notes marked studied that day}, whole history, one query."""
        rows = (
            self.filter(learner=learner)
            .order_by()
            .annotate(day=TruncDate("studied_at", tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        return {row["day"]: row["n"] for row in rows}


class CardStateQuerySet(models.QuerySet):
    """Reads for the review session and the decks page; always scoped to one learner."""

    def live(self, learner, *, topic=None):
        """The learner's states of published cards (optionally of one topic)."""
        qs = self.filter(learner=learner, card__status="published")
        return qs.filter(card__topic=topic) if topic is not None else qs

    def session_counts(self, learner, *, now, learn_ahead, day_start, topic=None) -> dict:
        """One aggregate: `learning` steps due by now+learn_ahead, `review` cards due now
        (both in the topic, if given) and `introduced_today` (all topics: the daily new-card
        limit is per learner)."""
        in_topic = Q(card__status="published")
        if topic is not None:
            in_topic &= Q(card__topic=topic)
        learning = Q(state__in=[CardState.State.LEARNING, CardState.State.RELEARNING])
        return self.filter(learner=learner).aggregate(
            learning=Count("pk", filter=in_topic & learning & Q(due__lte=now + learn_ahead)),
            review=Count("pk", filter=in_topic & Q(state=CardState.State.REVIEW, due__lte=now)),
            introduced_today=Count("pk", filter=Q(introduced_at__gte=day_start)),
        )

    def next_learning(self, learner, *, now, learn_ahead, topic=None):
        """The learning/relearning state due soonest within now+learn_ahead, with its card."""
        return (
            self.live(learner, topic=topic)
            .filter(
                state__in=[CardState.State.LEARNING, CardState.State.RELEARNING],
                due__lte=now + learn_ahead,
            )
            .select_related("card__topic")
            .order_by("due", "pk")
            .first()
        )

    def next_review(self, learner, *, now, topic=None):
        """The Review-state card most overdue at `now`, with its card."""
        return (
            self.live(learner, topic=topic)
            .filter(state=CardState.State.REVIEW, due__lte=now)
            .select_related("card__topic")
            .order_by("due", "pk")
            .first()
        )

    def next_due_at(self, learner, *, now, topic=None):
        """When the learner's next card (after `now`) comes due, or None."""
        return self.live(learner, topic=topic).filter(due__gt=now).aggregate(at=Min("due"))["at"]

    def counts_by_topic(self, learner, *, now) -> dict[int, dict]:
        """{topic id: {seen, learning, learned, due}} for the learner's published cards.

        `learned`: cards in Review state; `due`: cards due at `now`. One grouped query.
        """
        rows = (
            self.live(learner)
            .order_by()
            .values("card__topic")
            .annotate(
                seen=Count("pk"),
                learning=Count(
                    "pk",
                    filter=Q(state__in=[CardState.State.LEARNING, CardState.State.RELEARNING]),
                ),
                learned=Count("pk", filter=Q(state=CardState.State.REVIEW)),
                due=Count("pk", filter=Q(due__lte=now)),
            )
        )
        return {row.pop("card__topic"): row for row in rows}

    def due_forecast(self, learner, *, start, end, tz) -> dict[dt.date, int]:
        """{local date: cards due that day} for due times in [start, end), dates in `tz`."""
        rows = (
            self.live(learner)
            .filter(due__gte=start, due__lt=end)
            .order_by()
            .annotate(day=TruncDate("due", tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        return {row["day"]: row["n"] for row in rows}

    def overdue_count(self, learner, *, before) -> int:
        """The learner's published cards due before `before` (start of today: overdue)."""
        return self.live(learner).filter(due__lt=before).count()

    def due_summary(self, learner, *, now, until=None) -> dict:
        """One aggregate over the learner's published cards: `seen`, `due_now` (due at `now`)
        and `due_until` (coming due by `until`, e.g. the end of the exam day; 0 without)."""
        counts = {"seen": Count("pk"), "due_now": Count("pk", filter=Q(due__lte=now))}
        if until is not None:
            counts["due_until"] = Count("pk", filter=Q(due__lte=until))
        return {"due_until": 0} | self.live(learner).aggregate(**counts)

    def lapses_by_fact(self, learner, *, limit: int = 20) -> dict[int, int]:
        """{fact id: lapses} summed over the learner's cards citing the fact, most first."""
        rows = (
            self.filter(learner=learner, lapses__gt=0, card__facts__isnull=False)
            .order_by()
            .values("card__facts")
            .annotate(n=Sum("lapses"))
            .order_by("-n", "card__facts")[:limit]
        )
        return {row["card__facts"]: row["n"] for row in rows}


class ReviewLogQuerySet(models.QuerySet):
    def per_day(self, learner, *, since, tz) -> dict[dt.date, dict]:
        """{local date: {reviews, again}} of the learner's ratings since `since`, in `tz`."""
        rows = (
            self.filter(learner=learner, reviewed_at__gte=since)
            .order_by()
            .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
            .values("day")
            .annotate(reviews=Count("pk"), again=Count("pk", filter=Q(rating=1)))
        )
        return {row.pop("day"): row for row in rows}

    def true_retention(self, learner, *, now) -> dict:
        """Ratings of cards that were in Review state, last 7 and 30 days: totals and passes.

        True retention = passes / total, a pass being any rating above Again (as Anki's
        "true retention"); learning steps are left out. One aggregate query.
        """
        review = Q(state_before__state=CardState.State.REVIEW)
        week = Q(reviewed_at__gte=now - dt.timedelta(days=7))
        passed = Q(rating__gt=1)
        return self.filter(
            learner=learner, reviewed_at__gte=now - dt.timedelta(days=30), reviewed_at__lte=now
        ).aggregate(
            total_30=Count("pk", filter=review),
            passed_30=Count("pk", filter=review & passed),
            total_7=Count("pk", filter=review & week),
            passed_7=Count("pk", filter=review & week & passed),
        )

    def recall_by_topic(self, learner) -> dict[int, dict]:
        """{topic id: {reviews, recalled}} over all the learner's ratings (recalled: not Again).

        Grouped by the card's topic in the database: one query whatever the history size.
        """
        rows = (
            self.filter(learner=learner)
            .order_by()
            .values("card__topic")
            .annotate(reviews=Count("pk"), recalled=Count("pk", filter=Q(rating__gt=1)))
        )
        return {row.pop("card__topic"): row for row in rows}

    def sessions(self, *, tz):
        """This queryset's ratings grouped into one row per local day in `tz` (a "review
        session"): `day`, `reviews`, `recalled` (not Again), `cards` (distinct), `ms` (time
        spent), `first` and `last` rating times. Filter first; newest day first."""
        return (
            self.order_by()
            .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
            .values("day")
            .annotate(
                reviews=Count("pk"),
                recalled=Count("pk", filter=Q(rating__gt=1)),
                cards=Count("card", distinct=True),
                ms=Sum("duration_ms"),
                first=Min("reviewed_at"),
                last=Max("reviewed_at"),
            )
            .order_by("-last", "-day")
        )


class NoteProgress(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notes_studied")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="studied_by")
    studied_at = models.DateTimeField()

    objects = NoteProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "topic"], name="note_studied_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} studied {self.topic_id}"


class CardState(models.Model):
    """A learner's FSRS state for one card (fsrs.Card fields plus counters)."""

    class State(models.IntegerChoices):
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="card_states")
    card = models.ForeignKey(Flashcard, on_delete=models.CASCADE, related_name="states")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    introduced_at = models.DateTimeField(help_text="When the card was first rated (new → seen).")

    objects = CardStateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "card"], name="one_state_per_card")
        ]
        indexes = [models.Index(fields=["learner", "due"])]

    def __str__(self) -> str:
        return f"card {self.card_id} of {self.learner_id}: {self.get_state_display()}"


class ReviewLog(models.Model):
    """One rating of one card; with before/after states history can be replayed or undone."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="review_logs")
    card = models.ForeignKey(Flashcard, on_delete=models.CASCADE, related_name="review_logs")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.JSONField(null=True, blank=True, help_text="null: the card was new")
    state_after = models.JSONField()
    reps_before = models.PositiveIntegerField(
        help_text="CardState.reps when the card was shown: a second rating of the same showing "
        "is refused."
    )

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "card", "reps_before"], name="one_rating_per_showing"
            )
        ]
        indexes = [models.Index(fields=["learner", "reviewed_at"])]

    def __str__(self) -> str:
        return f"card {self.card_id} rated {self.get_rating_display()} by {self.learner_id}"


class AttemptQuerySet(models.QuerySet):
    def open(self):
        """Attempts not yet submitted (practice sets and mocks still running)."""
        return self.filter(submitted_at__isnull=True)

    def overdue(self, *, now):
        """Open attempts whose deadline plus the grace period has passed at `now`."""
        grace = dt.timedelta(seconds=settings.PRELIMS_DEADLINE_GRACE_SECONDS)
        return self.open().filter(deadline__isnull=False, deadline__lt=now - grace)

    def submitted_mocks(self):
        """Submitted mock tests, newest first (for comparisons and score trends)."""
        return self.filter(mode="mock", submitted_at__isnull=False).order_by("-submitted_at")

    def for_history(self, learner, *, topic=None):
        """The learner's attempts (open and submitted) without settings, newest first;
        `topic`: only attempts with at least one question of that topic."""
        qs = self.filter(learner=learner).defer("settings").order_by("-started_at", "-pk")
        if topic is not None:
            qs = qs.filter(
                Exists(AttemptItem.objects.filter(attempt=OuterRef("pk"), question__topic=topic))
            )
        return qs

    def mock_average(self) -> dict[int, float]:
        """{learner id: average net score of their submitted mocks as a fraction of the maximum
        marks}, best first. One grouped query (ranks learners for question discrimination)."""
        rows = (
            self.filter(mode="mock", submitted_at__isnull=False, question_count__gt=0)
            .order_by()
            .values("learner")
            .annotate(
                avg=Avg(
                    Cast("score_thirds", FloatField())
                    / (Cast("question_count", FloatField()) * 6.0)
                )
            )
            .order_by("-avg", "learner")
        )
        return {row["learner"]: row["avg"] for row in rows}


class Attempt(models.Model):
    """A Prelims practice set or a timed mock test."""

    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice"
        MOCK = "mock", "Mock test"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="attempts")
    mode = models.CharField(max_length=8, choices=Mode.choices)
    title = models.CharField(max_length=200, blank=True)
    settings = models.JSONField(default=dict, blank=True, help_text="What the learner chose.")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    auto_submitted = models.BooleanField(default=False)
    # Marks are kept exactly in thirds: +6 per right answer, -2 per wrong one (i.e. +2, -2/3).
    score_thirds = models.IntegerField(null=True, blank=True)
    correct_count = models.PositiveIntegerField(default=0)
    wrong_count = models.PositiveIntegerField(default=0)
    blank_count = models.PositiveIntegerField(default=0)
    question_count = models.PositiveIntegerField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["learner", "mode", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} #{self.pk} of {self.learner_id}"


class AttemptItemQuerySet(models.QuerySet):
    def for_palette(self):
        """Items without their snapshots: enough for the question palette and the counts."""
        return self.only(
            "pk", "attempt_id", "order", "chosen", "visited", "marked_for_review", "is_correct"
        ).order_by("order")

    def breakdown(self, field: str):
        """Right / wrong / blank counts grouped by a key of the stored snapshot.

        `field` is "topic" (also yields `title`) or "kind". Grouping reads the snapshot, not
        the live question, so a later edit never moves an old answer to another group.
        """
        group = {"label": KT(f"snapshot__{field}")}
        if field == "topic":
            group["title"] = KT("snapshot__topic_title")
        return (
            self.order_by()
            .values(**group)
            .annotate(
                correct=Count("pk", filter=Q(chosen__isnull=False, chosen=F("key"))),
                wrong=Count("pk", filter=Q(chosen__isnull=False) & ~Q(chosen=F("key"))),
                blank=Count("pk", filter=Q(chosen__isnull=True)),
                seconds=Sum("seconds_spent"),
            )
            .order_by("label")
        )

    def accuracy_by_topic(self, learner) -> dict[int, dict]:
        """{topic id: {answered, correct}} over the learner's answered items (is_correct set).

        Groups by the question's topic in the database: one query whatever the history size.
        """
        rows = (
            self.filter(attempt__learner=learner, is_correct__isnull=False)
            .order_by()
            .values("question__topic")
            .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        )
        return {row.pop("question__topic"): row for row in rows}

    def per_day(self, learner, *, tz) -> dict[dt.date, dict]:
        """{local date in `tz`: {answered, correct}} of the learner's answered questions
        (practice and mocks, by when each was answered), whole history, one query."""
        rows = (
            self.filter(attempt__learner=learner, answered_at__isnull=False, chosen__isnull=False)
            .order_by()
            .annotate(day=TruncDate("answered_at", tzinfo=tz))
            .values("day")
            .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        )
        return {row.pop("day"): row for row in rows}

    def prelims_by_topic(self, learner) -> dict[int, dict]:
        """{topic id: {answers, correct, questions}}: the learner's answers grouped by the
        question's topic; `questions` counts distinct questions answered. One query."""
        rows = (
            self.filter(attempt__learner=learner, chosen__isnull=False)
            .order_by()
            .values("question__topic")
            .annotate(
                answers=Count("pk"),
                correct=Count("pk", filter=Q(is_correct=True)),
                questions=Count("question", distinct=True),
            )
        )
        return {row.pop("question__topic"): row for row in rows}

    def accuracy_by_kind(self, learner) -> dict[str, dict]:
        """{format: {answers, correct}} of the learner's answers, by the format stored in the
        snapshot (what the learner saw). One grouped query."""
        rows = (
            self.filter(attempt__learner=learner, chosen__isnull=False)
            .order_by()
            .values(kind=KT("snapshot__kind"))
            .annotate(answers=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        )
        return {row.pop("kind"): row for row in rows}

    def wrong_by_fact(self, learner, *, limit: int = 20) -> dict[int, int]:
        """{fact id: wrong answers} over the questions citing the fact, most missed first."""
        rows = (
            self.filter(attempt__learner=learner, is_correct=False, question__facts__isnull=False)
            .order_by()
            .values("question__facts")
            .annotate(n=Count("pk"))
            .order_by("-n", "question__facts")[:limit]
        )
        return {row["question__facts"]: row["n"] for row in rows}


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    order = models.PositiveSmallIntegerField()
    snapshot = models.JSONField(help_text="The question as shown (Question.snapshot()).")
    key = models.PositiveSmallIntegerField(help_text="Index of the correct option when shown.")
    chosen = models.PositiveSmallIntegerField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    visited = models.BooleanField(default=False)
    marked_for_review = models.BooleanField(default=False)
    seconds_spent = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptItemQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "order"], name="item_order_unique"),
            models.UniqueConstraint(fields=["attempt", "question"], name="no_repeat_in_attempt"),
        ]

    def __str__(self) -> str:
        return f"Q{self.order} of attempt {self.attempt_id}"


class Bookmark(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "question"], name="bookmark_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} bookmarked {self.question_id}"


class MainsAnswerQuerySet(models.QuerySet):
    """Reads for the Mains pages; every method is scoped to one learner."""

    def drafts(self):
        """Answers still being written (submitted_at is null)."""
        return self.filter(submitted_at__isnull=True)

    def submitted(self):
        """Answers handed in."""
        return self.filter(submitted_at__isnull=False)

    def stats_by_question(self, learner) -> dict[int, dict]:
        """{question id: {attempts, best, drafts, new_feedback, last_at}} in one grouped query.

        `best` is the highest score of a submitted answer, the mentor's score where given and
        the learner's self-score otherwise; `new_feedback` counts answers whose mentor feedback
        the learner has not opened since it was written.
        """
        done = Q(submitted_at__isnull=False)
        rows = (
            self.filter(learner=learner)
            .order_by()
            .values("question")
            .annotate(
                attempts=Count("pk", filter=done),
                best=Max(Coalesce("mentor_score", "self_score"), filter=done),
                drafts=Count("pk", filter=Q(submitted_at__isnull=True)),
                new_feedback=Count("pk", filter=MainsAnswer.new_feedback_q()),
                last_at=Max("submitted_at"),
            )
        )
        return {row.pop("question"): row for row in rows}

    def with_covered_count(self):
        """Annotate `covered_count`: key points the learner ticked (a grouped join, no N+1)."""
        return self.annotate(covered_count=Count("covered_points", distinct=True))

    def recent(self, learner, *, limit: int):
        """The learner's latest submitted answers with question and topic, newest first."""
        return (
            self.filter(learner=learner)
            .submitted()
            .select_related("question__topic")
            .with_covered_count()
            .order_by("-submitted_at", "-pk")[:limit]
        )

    def attempts_at(self, learner, question_id: int, *, limit: int):
        """The learner's submitted answers to one question, oldest first, with `covered_count`
        (the last `limit` of them: progress side by side)."""
        latest = (
            self.filter(learner=learner, question_id=question_id)
            .submitted()
            .order_by("-submitted_at", "-pk")
            .values("pk")[:limit]
        )
        return (
            self.filter(pk__in=latest)
            .defer("text")
            .with_covered_count()
            .order_by("submitted_at", "pk")
        )

    # ---- progress (issue 8) ----

    def per_day(self, learner, *, tz) -> dict[dt.date, int]:
        """{local date in `tz`: answers submitted that day}, whole history, one query."""
        rows = (
            self.filter(learner=learner, submitted_at__isnull=False)
            .order_by()
            .annotate(day=TruncDate("submitted_at", tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        return {row["day"]: row["n"] for row in rows}

    def for_history(self, learner, *, topic=None):
        """The learner's submitted answers with question (text, marks, topic), newest first;
        the answer text itself is left out."""
        qs = (
            self.filter(learner=learner, submitted_at__isnull=False)
            .select_related("question__topic")
            .defer("text", "suggested_points")
            .order_by("-submitted_at", "-pk")
        )
        return qs.filter(question__topic=topic) if topic is not None else qs

    def awaiting_feedback(self):
        """Submitted answers no mentor has scored or commented on yet, oldest first."""
        return (
            self.filter(submitted_at__isnull=False, feedback_at__isnull=True)
            .select_related("question__topic")
            .defer("text", "suggested_points")
            .order_by("submitted_at", "pk")
        )


class MainsAnswer(models.Model):
    """A learner's answer to a Mains question: a draft until submitted_at is set."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mains_answers")
    question = models.ForeignKey(MainsQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    words = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0, help_text="Time spent writing.")
    started_at = models.DateTimeField()
    saved_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    covered_points = models.ManyToManyField(
        KeyPoint, blank=True, related_name="self_covered_in", help_text="Ticked by the learner."
    )
    suggested_points = models.JSONField(
        default=list, blank=True, help_text="Key point ids the keyword matcher found."
    )
    self_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    mentor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentored_answers"
    )
    mentor_feedback = models.TextField(blank=True)
    mentor_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_seen_at = models.DateTimeField(null=True, blank=True)

    objects = MainsAnswerQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["learner", "submitted_at"])]

    def __str__(self) -> str:
        state = "draft" if self.is_draft else "answer"
        return f"Mains {state} #{self.pk} of {self.learner_id} to {self.question_id}"

    @staticmethod
    def new_feedback_q() -> Q:
        """Feedback written and not yet opened by the learner since it was written."""
        return Q(feedback_at__isnull=False) & (
            Q(feedback_seen_at__isnull=True) | Q(feedback_seen_at__lt=F("feedback_at"))
        )

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def feedback_is_new(self) -> bool:
        """Mentor feedback the learner has not opened since it was (re)written."""
        return self.feedback_at is not None and (
            self.feedback_seen_at is None or self.feedback_seen_at < self.feedback_at
        )

    @property
    def score(self):
        """The mentor's score where given, else the learner's self-score (or None)."""
        return self.mentor_score if self.mentor_score is not None else self.self_score

    @property
    def time_display(self) -> str:
        """Time taken, e.g. "6 min 40 s", "45 s", "1 h 5 min"."""
        minutes, seconds = divmod(self.seconds, 60)
        if minutes >= 60:
            return f"{minutes // 60} h {minutes % 60} min"
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


class QuestionStatsQuerySet(models.QuerySet):
    """Per-question statistics from every learner's answers, for authors (admin only)."""

    def with_stats(self, *, top=(), bottom=()):
        """Annotate each question with how it performs across all attempts:

        `answered` (items with an option chosen), `correct`, `facility` (correct / answered),
        `picks_0..3` (how often each option was chosen), `keyed_0..3` (how often each option
        was the key when shown: 0 for a distractor), and `discrimination`: facility among the
        learners in `top` minus facility among those in `bottom` (learner ids: the top and
        bottom thirds by mock score), NULL when either group has not answered it. One query.
        """
        answered = Q(attempt_items__chosen__isnull=False)
        right = answered & Q(attempt_items__is_correct=True)
        counts = {
            "answered": Count("attempt_items", filter=answered),
            "correct": Count("attempt_items", filter=right),
        }
        for i in range(4):
            counts[f"picks_{i}"] = Count(
                "attempt_items", filter=answered & Q(attempt_items__chosen=i)
            )
            counts[f"keyed_{i}"] = Count("attempt_items", filter=answered & Q(attempt_items__key=i))
        for group, ids in (("top", top), ("bottom", bottom)):
            if ids:
                member = Q(attempt_items__attempt__learner__in=list(ids))
                counts[f"{group}_answered"] = Count("attempt_items", filter=answered & member)
                counts[f"{group}_correct"] = Count("attempt_items", filter=right & member)
            else:
                counts[f"{group}_answered"] = Value(0, output_field=models.IntegerField())
                counts[f"{group}_correct"] = Value(0, output_field=models.IntegerField())

        def share(part: str, whole: str):
            return Cast(part, FloatField()) / NullIf(Cast(whole, FloatField()), 0.0)

        return self.annotate(**counts).annotate(
            facility=share("correct", "answered"),
            discrimination=share("top_correct", "top_answered")
            - share("bottom_correct", "bottom_answered"),
        )

    def looks_broken(self, *, min_answers: int):
        """Of questions annotated by `with_stats` and answered at least `min_answers` times:
        those with facility below 0.2, or with a distractor nobody picked."""
        unpicked = Q(picks_0=0, keyed_0=0)
        for i in range(1, 4):
            unpicked |= Q(**{f"picks_{i}": 0, f"keyed_{i}": 0})
        return self.filter(answered__gte=min_answers).filter(Q(facility__lt=0.2) | unpicked)


class QuestionStats(Question):
    """content.Question seen through its answers (a proxy: no table of its own). Lives here
    because content never imports quizzes."""

    objects = QuestionStatsQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "question statistics"
        verbose_name_plural = "question statistics"
