"""Prelims attempts (practice sets and mocks), their items, and bookmarks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate

from content.models import Paper, PaperFamily, Question

User = settings.AUTH_USER_MODEL


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
        return self.filter(mode=Attempt.Mode.MOCK, submitted_at__isnull=False).order_by(
            "-submitted_at"
        )

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
            self.filter(mode=Attempt.Mode.MOCK, submitted_at__isnull=False, question_count__gt=0)
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
    # Test series: the paper taken (null for practice sets and custom mocks); `ranked` is the
    # learner's first attempt at it, the one counted in ranks and shares; `family` is the
    # paper's family ("" for a custom mock), so trends compare like with like.
    paper = models.ForeignKey(
        Paper, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts"
    )
    ranked = models.BooleanField(default=False)
    family = models.CharField(max_length=10, blank=True, default="", choices=PaperFamily.choices)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["learner", "mode", "submitted_at"]),
            # A learner's attempts at one paper (the paper page), never the paper's takers.
            models.Index(fields=["learner", "paper"], name="attempt_learner_paper"),
            # The top ten of a paper read in index order (never a scan of its takers).
            models.Index(
                fields=["paper", "-score_thirds", "submitted_at"],
                condition=models.Q(ranked=True, submitted_at__isnull=False),
                name="paper_ranking",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "paper"],
                condition=models.Q(ranked=True),
                name="one_ranked_attempt_per_paper",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} #{self.pk} of {self.learner_id}"


class AttemptItemQuerySet(models.QuerySet):
    def unanswered_orders(self) -> list[int]:
        """The question numbers left blank, in order (one query on (attempt, order))."""
        return list(
            self.filter(chosen__isnull=True).order_by("order").values_list("order", flat=True)
        )

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
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "question"], name="bookmark_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} bookmarked {self.question_id}"
