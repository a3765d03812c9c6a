"""What learners do: notes studied, card states and review logs, Prelims attempts, Mains answers.

All times are stored UTC-aware. Nothing here is deleted when content changes: attempt items
keep a snapshot of the question as it was shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from content.models import Flashcard, KeyPoint, MainsQuestion, Question, Topic

User = settings.AUTH_USER_MODEL


class NoteProgress(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notes_studied")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="studied_by")
    studied_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "topic"], name="note_studied_once")
        ]


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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "card"], name="one_state_per_card")
        ]
        indexes = [models.Index(fields=["learner", "due"])]


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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "card", "reps_before"], name="one_rating_per_showing"
            )
        ]
        indexes = [models.Index(fields=["learner", "reviewed_at"])]


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

    class Meta:
        indexes = [models.Index(fields=["learner", "mode", "submitted_at"])]


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

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "order"], name="item_order_unique"),
            models.UniqueConstraint(fields=["attempt", "question"], name="no_repeat_in_attempt"),
        ]


class Bookmark(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "question"], name="bookmark_once")
        ]


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

    class Meta:
        indexes = [models.Index(fields=["learner", "submitted_at"])]
