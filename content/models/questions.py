"""Prelims questions and their parts: choices, statements, pairs."""

from __future__ import annotations

from functools import cached_property

from django.db import models

from content import formats
from content.models.base import Authored, PublishedQuerySet, Source
from content.models.topics import Fact, Topic


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single correct"
    STATEMENTS = "statements", "Statement-based"
    PAIRS = "pairs", "Match the pairs"
    ASSERTION_REASON = "assertion_reason", "Statement-I / Statement-II"


class Ask(models.TextChoices):
    NONE = "", "—"
    CORRECT = "correct", "Which is/are correct"
    INCORRECT = "incorrect", "Which is/are not correct"
    HOW_MANY = "how_many", "How many are correct"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class QuestionQuerySet(PublishedQuerySet):
    def with_parts(self):
        """Prefetch what rendering needs: topic, choices, statements, pairs, sources."""
        return self.select_related("topic").prefetch_related(
            "choices", "statements", "pairs", "sources"
        )


class Question(Authored):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    ask = models.CharField(max_length=10, choices=Ask.choices, blank=True, default="")
    difficulty = models.CharField(
        max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    stem = models.TextField(blank=True, help_text="Lead-in or the question itself (single).")
    column_left = models.CharField(max_length=100, blank=True)
    column_right = models.CharField(max_length=100, blank=True)
    explains = models.BooleanField(
        null=True, blank=True, help_text="Statement-I/II: does Statement-II explain Statement-I?"
    )
    explanation = models.TextField()
    facts = models.ManyToManyField(Fact, blank=True, related_name="questions")
    sources = models.ManyToManyField(Source, blank=True, related_name="questions")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "pk"]

    def __str__(self) -> str:
        return f"{self.slug}: {self.stem[:60]}"

    @property
    def prompt(self) -> str:
        """The standard UPSC question line under the statements/pairs."""
        return formats.prompt_for(self.kind, self.ask)

    @cached_property
    def options(self) -> formats.Options:
        """The four options and key: written for single, derived for the structured kinds.

        Uses prefetched rows (`with_parts`); raises FormatError for an impossible structure.
        """
        if self.kind == QuestionKind.SINGLE:
            choices = list(self.choices.all())
            correct = [i for i, c in enumerate(choices) if c.is_correct]
            if len(choices) != 4 or len(correct) != 1:
                raise formats.FormatError("choices", "needs four choices, exactly one correct")
            return formats.Options(tuple(c.text for c in choices), correct[0])
        if self.kind == QuestionKind.PAIRS:
            truths = [p.is_correct for p in self.pairs.all()]
        else:
            truths = [s.is_true for s in self.statements.all()]
        return formats.derive_options(
            self.kind, ask=self.ask, truths=truths, explains=self.explains, seed=self.slug
        )

    def snapshot(self) -> dict:
        """Everything needed to show this question as it was when a learner met it."""
        options = self.options
        return {
            "slug": self.slug,
            "kind": self.kind,
            "ask": self.ask,
            "stem": self.stem,
            "prompt": self.prompt,
            "columns": [self.column_left, self.column_right],
            "statements": [
                {"text": s.text, "true": s.is_true, "explanation": s.explanation}
                for s in self.statements.all()
            ],
            "pairs": [
                {
                    "left": p.left,
                    "right": p.right,
                    "correct": p.is_correct,
                    "explanation": p.explanation,
                }
                for p in self.pairs.all()
            ],
            "options": list(options.texts),
            "option_explanations": [c.explanation for c in self.choices.all()],
            "key": options.key,
            "explains": self.explains,
            "explanation": self.explanation,
            "topic": self.topic.slug,
            "topic_title": self.topic.title,
            "sources": [s.title for s in self.sources.all()],
        }


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    is_correct = models.BooleanField(default=False)
    explanation = models.TextField()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Statement(models.Model):
    """A numbered statement of a statements question, or Statement-I/II (order 1/2)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    is_true = models.BooleanField()
    explanation = models.TextField()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Pair(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="pairs")
    order = models.PositiveSmallIntegerField(default=0)
    left = models.CharField(max_length=300)
    right = models.CharField(max_length=300)
    is_correct = models.BooleanField()
    explanation = models.TextField()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.left} — {self.right}"
