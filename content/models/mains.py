"""Mains questions, their directive and key points."""

from __future__ import annotations

from django.db import models

from content.models.base import Authored, Source
from content.models.topics import Fact, Topic


class Directive(models.TextChoices):
    DISCUSS = "discuss", "Discuss"
    EXAMINE = "examine", "Examine"
    ANALYSE = "analyse", "Analyse"
    CRITICALLY_ANALYSE = "critically-analyse", "Critically analyse"
    CRITICALLY_EXAMINE = "critically-examine", "Critically examine"
    COMMENT = "comment", "Comment"
    ELABORATE = "elaborate", "Elaborate"
    EXPLAIN = "explain", "Explain"
    EVALUATE = "evaluate", "Evaluate"
    ASSESS = "assess", "Assess"
    ELUCIDATE = "elucidate", "Elucidate"
    JUSTIFY = "justify", "Justify"
    DESCRIBE = "describe", "Describe"
    HIGHLIGHT = "highlight", "Highlight"


DIRECTIVE_MEANINGS = {
    "discuss": "Look at the issue from several sides, with arguments and examples for each.",
    "examine": "Probe the facts and their implications in depth, then conclude.",
    "analyse": "Break the issue into parts, show how they relate, explain causes and effects.",
    "critically-analyse": "Analyse, and also weigh weaknesses and limits; end with a balanced "
    "judgement.",
    "critically-examine": "Examine in depth, including the weaknesses and the other side; end "
    "with a balanced judgement.",
    "comment": "Give your opinion on the main points, backed by evidence.",
    "elaborate": "Describe in detail: clarify how and why, with examples.",
    "explain": "Make clear how and why, step by step, with examples.",
    "evaluate": "Weigh strengths and weaknesses and give a verdict.",
    "assess": "Weigh strengths and weaknesses and give a verdict.",
    "elucidate": "Make the point clear with examples.",
    "justify": "Argue for the statement with evidence.",
    "describe": "Set out the main features in order, factually.",
    "highlight": "Bring out the main points prominently, briefly.",
}

MAINS_FORMAT = {10: (150, 7), 15: (250, 11)}


class MainsQuestion(Authored):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="mains_questions")
    directive = models.CharField(max_length=20, choices=Directive.choices)
    marks = models.PositiveSmallIntegerField(choices=[(10, "10 marks"), (15, "15 marks")])
    word_limit = models.PositiveSmallIntegerField()
    minutes = models.PositiveSmallIntegerField()
    text = models.TextField()
    outline_intro = models.TextField(blank=True)
    outline_body = models.JSONField(default=list, blank=True)
    outline_conclusion = models.TextField(blank=True)
    # Markdown, within the word limit; shown to a learner only after they submit an answer.
    model_answer = models.TextField(blank=True)
    facts = models.ManyToManyField(Fact, blank=True, related_name="mains_questions")
    sources = models.ManyToManyField(Source, blank=True, related_name="mains_questions")

    class Meta:
        ordering = ["topic__order", "marks", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def directive_meaning(self) -> str:
        return DIRECTIVE_MEANINGS.get(self.directive, "")


class KeyPoint(models.Model):
    question = models.ForeignKey(MainsQuestion, on_delete=models.CASCADE, related_name="key_points")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    keywords = models.JSONField(default=list, blank=True)
    # Other ways of writing the keywords (abbreviations, spellings, paraphrases): evidence for
    # the point like a keyword, without raising how much evidence the point needs.
    synonyms = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
