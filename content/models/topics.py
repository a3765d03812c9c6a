"""Topics with their note, and facts with each source's claim."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from content.models.base import (
    Authored,
    DatePrecision,
    PublishedQuerySet,
    Source,
    Status,
    format_partial_date,
)


class TopicQuerySet(PublishedQuerySet):
    def for_list(self):
        """Topics a learner may see, in order, with counts of their published cards and
        questions."""
        return self.visible().with_counts()

    def with_counts(self):
        """Topics in order with `card_count` and `question_count` of their published items
        (pack cards only, no learner's own; staff previews use it on a draft topic)."""
        return self.order_by("order", "title").annotate(
            card_count=Count(
                "flashcards",
                filter=Q(flashcards__status=Status.PUBLISHED, flashcards__owner__isnull=True),
                distinct=True,
            ),
            question_count=Count(
                "questions", filter=Q(questions__status=Status.PUBLISHED), distinct=True
            ),
        )


class Topic(Authored):
    IN_TOPIC = False

    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="note")
    body = models.TextField(help_text="Markdown. Headings (##, ###) build the table of contents.")
    sources = models.ManyToManyField(Source, blank=True, related_name="topic_notes")
    file = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Note: {self.topic}"

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+", self.body))


class FactKind(models.TextChoices):
    DATE = "date", "Date"
    NUMBER = "number", "Number"
    NAME = "name", "Name"
    EVENT = "event", "Event"
    AGREEMENT = "agreement", "Agreement"
    OTHER = "other", "Other"


class FactQuerySet(PublishedQuerySet):
    def with_disputed(self):
        """Annotate `disputed`: some source's claim disagrees with the fact's value."""
        return self.annotate(
            disputed=Exists(Claim.objects.filter(fact=OuterRef("pk"), agrees=False))
        )

    def for_topic_page(self, topic, *, preview: bool = False):
        """A topic's facts a learner may see, with `disputed`, their claims and claims' sources.

        With `preview` (staff only), the topic's draft facts too, as learners would see them
        once the topic and the facts are published."""
        facts = self.exclude(status=Status.RETIRED) if preview else self.visible()
        return (
            facts.filter(topic=topic)
            .with_disputed()
            .prefetch_related(
                Prefetch("claims", queryset=Claim.objects.select_related("source").order_by("pk"))
            )
            .order_by("date", "pk")
        )


class Fact(Authored):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="facts")
    statement = models.TextField()
    value = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=FactKind.choices, default=FactKind.OTHER)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    resolution = models.TextField(
        blank=True, help_text="Why the fact's value is correct where a source disagrees."
    )

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)


class Claim(models.Model):
    """What one source says about a fact, as it says it."""

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="claims")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    value = models.CharField(max_length=500)
    agrees = models.BooleanField(
        default=True, help_text="Untick when this source gets the fact wrong."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fact", "source"], name="one_claim_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.source.slug}: {self.value}"
