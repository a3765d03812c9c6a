"""Drafts generated from a source's full text, waiting for (or past) an editor's decision.

A draft row remembers its decision: re-running the generator never recreates a rejected
draft, nor one accepted and later deleted. Accepted drafts keep their provenance: the source,
the sentence and its character offsets, and the items accepting them created.
"""

from django.conf import settings
from django.db import models

from content.models.base import Source
from content.models.cards import Flashcard
from content.models.mains import MainsQuestion
from content.models.questions import Question
from content.models.topics import Fact, Topic


class DraftStatus(models.TextChoices):
    PENDING = "pending", "To review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class DraftKind(models.TextChoices):
    FACT = "fact", "Fact"
    CARD = "card", "Card"
    QUESTION = "question", "Prelims question"
    MAINS = "mains", "Mains question"
    OUTLINE = "outline", "Note outline"


class DraftItemQuerySet(models.QuerySet):
    def for_review(self, source):
        """A source's top-level drafts (facts with their cards prefetched), in article order."""
        return (
            self.filter(source=source, parent__isnull=True)
            .select_related("topic", "fact", "question", "mains")
            .prefetch_related(
                models.Prefetch("children", queryset=DraftItem.objects.order_by("order"))
            )
            .order_by("order", "pk")
        )


class DraftItem(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="draft_items")
    key = models.CharField(max_length=32, help_text="Stable id of the draft within its source.")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(max_length=10, choices=DraftKind.choices)
    format = models.CharField(max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=DraftStatus.choices, default=DraftStatus.PENDING, db_index=True
    )
    section = models.CharField(max_length=300, blank=True)
    sentence = models.TextField(help_text="The source sentence(s), as in the article.")
    start = models.PositiveIntegerField(help_text="Character offset of the sentence.")
    end = models.PositiveIntegerField()
    payload = models.JSONField(default=dict, help_text="The draft as generated, with edits.")
    problems = models.JSONField(default=list, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    fact = models.ForeignKey(
        Fact, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafted_from"
    )
    card = models.ForeignKey(
        Flashcard, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafted_from"
    )
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafted_from"
    )
    mains = models.ForeignKey(
        MainsQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafted_from"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DraftItemQuerySet.as_manager()

    class Meta:
        ordering = ["source", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="one_draft_per_key")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.payload.get('text', '')[:60]}"
