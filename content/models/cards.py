"""Flashcards: basic (front/back) and cloze."""

from __future__ import annotations

import re

from django.db import models

from content.models.base import Authored, Source
from content.models.topics import Fact, Topic


class CardKind(models.TextChoices):
    BASIC = "basic", "Basic"
    CLOZE = "cloze", "Cloze"


CLOZE_RE = re.compile(r"\{\{c1::(?P<answer>.+?)(?:::(?P<hint>.+?))?\}\}")


class Flashcard(Authored):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="flashcards")
    kind = models.CharField(max_length=5, choices=CardKind.choices, default=CardKind.BASIC)
    front = models.TextField(blank=True)
    back = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Cloze text with one {{c1::answer}} deletion.")
    facts = models.ManyToManyField(Fact, blank=True, related_name="flashcards")
    sources = models.ManyToManyField(Source, blank=True, related_name="flashcards")

    class Meta:
        ordering = ["topic__order", "pk"]

    def __str__(self) -> str:
        return (self.front or self.text)[:80]

    @property
    def prompt(self) -> str:
        """The side shown first: the front, or the cloze text with the blank."""
        if self.kind == CardKind.CLOZE:
            return CLOZE_RE.sub(
                lambda m: f"[{m.group('hint')}…]" if m.group("hint") else "[…]", self.text
            )
        return self.front

    @property
    def answer(self) -> str:
        if self.kind == CardKind.CLOZE:
            match = CLOZE_RE.search(self.text)
            return match.group("answer") if match else ""
        return self.back

    @property
    def cloze_parts(self) -> tuple[str, str, str]:
        """(before, answer, after) of a cloze text, for revealing the blank in place."""
        match = CLOZE_RE.search(self.text)
        if not match:
            return (self.text, "", "")
        return (self.text[: match.start()], match.group("answer"), self.text[match.end() :])
