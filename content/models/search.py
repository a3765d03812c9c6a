"""The search index: one row per searchable piece of study material, and its vocabulary.

Derived data, rebuilt by the loader and refreshed by admin saves and status actions
(`content.search`). `published` lets counting and ranking read this table alone; every hit
shown is re-checked against its item's and topic's current status, so an item unpublished
by any other path is never shown even before the index catches up.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from content.models.cards import Flashcard
from content.models.mains import MainsQuestion
from content.models.questions import Question
from content.models.topics import Fact, Topic


class SearchKind(models.TextChoices):
    # Declared in the order results of equal relevance are listed.
    NOTE = "note", "Note"
    FACT = "fact", "Fact"
    CARD = "card", "Card"
    QUESTION = "question", "Prelims question"
    MAINS = "mains", "Mains question"


class SearchEntry(models.Model):
    """One note section, fact, card, Prelims question or Mains question as search sees it.

    `title`/`text` hold only what a learner may read before answering: a card's front, a
    question's stem, statements and options (never its key or explanation). `vector` is the
    PostgreSQL tsvector (GIN-indexed by migration 0003; empty on SQLite); `terms` and
    `title_terms` are the same lexemes as plain text for SQLite.
    """

    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    rank = models.PositiveSmallIntegerField(help_text="Order of the kind among equals.")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, null=True, related_name="+")
    card = models.ForeignKey(Flashcard, on_delete=models.CASCADE, null=True, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    mains = models.ForeignKey(MainsQuestion, on_delete=models.CASCADE, null=True, related_name="+")
    published = models.BooleanField(
        default=False, help_text="Item and topic published when indexed (hits re-check it)."
    )
    anchor = models.CharField(max_length=200, blank=True, help_text="Note section id.")
    title = models.TextField()
    text = models.TextField(blank=True)
    length = models.PositiveIntegerField(default=0)
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title[:60]}"


class SearchTerm(models.Model):
    """A word of the indexed text, for "did you mean" (trigram index on PostgreSQL)."""

    word = models.CharField(max_length=100, unique=True)
    lexeme = models.CharField(max_length=100, db_index=True)

    def __str__(self) -> str:
        return self.word
