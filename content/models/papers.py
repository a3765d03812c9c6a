"""Test-series papers: a fixed, ordered set of published questions everyone takes with the
same time limit and marking (authored in a pack's `papers/*.yaml` or assembled in admin).

Learners' attempts and the per-paper statistics live in `quizzes`; this app reads them only
through reverse relations by name (`attempts`).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Q

from content.models.base import Authored, PublishedQuerySet, visible_q
from content.models.questions import Question


class PaperFamily(models.TextChoices):
    FULL = "full", "Full-length"
    SECTIONAL = "sectional", "Sectional"


class Marking(models.TextChoices):
    UPSC = "upsc", "GS Paper I: +2 right, −⅔ wrong, 0 blank"


class PaperQuerySet(PublishedQuerySet):
    def for_series(self):
        """Published papers with `question_count` (published questions), in series order."""
        return (
            self.published()
            .annotate(
                question_count=Count(
                    "items", filter=visible_q(Question, "items__question"), distinct=True
                )
            )
            .order_by("order", "title", "pk")
        )


class Paper(Authored):
    """A test-series paper. `family` and the number of questions decide what a learner's
    score is compared with (a full-length paper only with full-length papers)."""

    IN_TOPIC = False  # a paper spans topics; its questions are filtered by `visible()`

    title = models.CharField(max_length=200)
    family = models.CharField(max_length=10, choices=PaperFamily.choices)
    order = models.PositiveIntegerField(default=0, help_text="Position in the series list.")
    description = models.TextField(blank=True)
    minutes = models.PositiveSmallIntegerField(help_text="Time allowed.")
    marking = models.CharField(max_length=10, choices=Marking.choices, default=Marking.UPSC)
    cutoff_marks = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Authored cut-off; leave empty to estimate it from the takers' scores.",
    )
    cutoff_note = models.TextField(blank=True, help_text="Where the authored cut-off comes from.")
    opens_at = models.DateTimeField(null=True, blank=True, help_text="Ranked from this time.")
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="After this, new attempts are practice (unranked)."
    )
    questions = models.ManyToManyField(Question, through="PaperQuestion", related_name="papers")

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="paper_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def window(self, now: dt.datetime) -> str:
        """ "upcoming" before `opens_at`, "closed" after `closes_at`, else "open"."""
        if self.opens_at and now < self.opens_at:
            return "upcoming"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


class PaperQuestion(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="paper_items")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "order"], name="paper_order_unique"),
            models.UniqueConstraint(fields=["paper", "question"], name="paper_question_once"),
        ]

    def __str__(self) -> str:
        return f"Q{self.order} of {self.paper_id}"
