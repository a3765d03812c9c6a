"""Flashcards: basic (front/back) and cloze.

A card is pack content (`owner` null: loaded from a pack or written in admin) or a learner's
own card (`owner` set): private to that learner, never indexed, listed or exported as content,
scheduled like any other card. `visible()` is pack content only; `for_learner(user)` adds the
learner's own cards.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from content.models.base import Authored, PublishedQuerySet, Source, Status, visible_q
from content.models.topics import Fact, Topic


class CardKind(models.TextChoices):
    BASIC = "basic", "Basic"
    CLOZE = "cloze", "Cloze"


CLOZE_RE = re.compile(r"\{\{c1::(?P<answer>.+?)(?:::(?P<hint>.+?))?\}\}")
# Any deletion number (Anki's c1, c2 …): a learner's cloze card may hold several, all hidden
# on the one card its note makes. Pack cards hold exactly one c1 (CLOZE_RE, checked on load).
CLOZE_ANY_RE = re.compile(r"\{\{c(?P<n>\d+)::(?P<answer>.+?)(?:::(?P<hint>.+?))?\}\}")


def studyable_q(learner, through: str = "") -> Q:
    """Cards `learner` studies, as a condition: visible pack cards, and the learner's own cards
    (published, with no topic or a published one). `through` as in `visible_q`."""
    prefix = f"{through}__" if through else ""
    own = Q(**{f"{prefix}owner": learner, f"{prefix}status": Status.PUBLISHED}) & (
        Q(**{f"{prefix}topic__isnull": True}) | Q(**{f"{prefix}topic__status": Status.PUBLISHED})
    )
    return visible_q(Flashcard, through) | own


class FlashcardQuerySet(PublishedQuerySet):
    def for_learner(self, learner):
        """What `learner` may open or study: visible pack cards and their own cards."""
        return self.filter(studyable_q(learner))

    def content(self):
        """Pack and admin cards (any status): never a learner's own card."""
        return self.filter(owner__isnull=True)


class Flashcard(Authored):
    # visible_q adds `owner is null`: a learner's own card reaches no other learner by any path.
    PRIVATE_OWNER = True

    # Null only on a learner's own card (the admin form and the loader require a topic).
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="flashcards", null=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_cards",
        help_text="The learner who wrote this card (private to them); empty for pack content.",
    )
    kind = models.CharField(max_length=5, choices=CardKind.choices, default=CardKind.BASIC)
    front = models.TextField(blank=True)
    back = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Cloze text with one {{c1::answer}} deletion.")
    facts = models.ManyToManyField(Fact, blank=True, related_name="flashcards")
    sources = models.ManyToManyField(Source, blank=True, related_name="flashcards")

    objects = FlashcardQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="own_card_list")]

    def __str__(self) -> str:
        return (self.front or self.text)[:80]

    def studyable_by(self, user) -> bool:
        """`studyable_q` on this loaded row (select_related its topic): no query."""
        if self.status != Status.PUBLISHED:
            return False
        if self.owner_id is not None:
            return self.owner_id == user.pk and (
                self.topic is None or self.topic.status == Status.PUBLISHED
            )
        return self.topic is not None and self.topic.status == Status.PUBLISHED

    @property
    def prompt(self) -> str:
        """The side shown first: the front, or the cloze text with the blanks."""
        if self.kind == CardKind.CLOZE:
            return CLOZE_ANY_RE.sub(
                lambda m: f"[{m.group('hint')}…]" if m.group("hint") else "[…]", self.text
            )
        return self.front

    @property
    def answer(self) -> str:
        if self.kind == CardKind.CLOZE:
            return " · ".join(m.group("answer") for m in CLOZE_ANY_RE.finditer(self.text))
        return self.back

    def cloze_segments(self) -> list[dict]:
        """The cloze text as segments for revealing the blanks in place: `{"text": …}` between
        deletions, `{"blank": "[…]" or "[hint…]", "answer": …}` for each deletion."""
        segments, at = [], 0
        for match in CLOZE_ANY_RE.finditer(self.text):
            if match.start() > at:
                segments.append({"text": self.text[at : match.start()]})
            hint = match.group("hint")
            segments.append(
                {"blank": f"[{hint}…]" if hint else "[…]", "answer": match.group("answer")}
            )
            at = match.end()
        if at < len(self.text):
            segments.append({"text": self.text[at:]})
        return segments
