"""Study material: what learners study. Loaded from content packs and authored in admin.

Every authored item has a stable slug from the pack files and a status; retired items are
kept so learners' history on them stays intact. `quizzes` refers to these models; this app
never imports `quizzes`.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from content import formats


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """Only items a learner may see."""
        return self.filter(status=Status.PUBLISHED)


class Pack(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class Authored(models.Model):
    """Fields every authored item shares: slug, pack, status, timestamps."""

    slug = models.SlugField(max_length=120, unique=True)
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class Source(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    url = models.URLField(blank=True)
    file = models.CharField(max_length=200, blank=True, help_text="Seed file it came from.")
    notes = models.TextField(blank=True)
    full_text = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)


def format_partial_date(date, precision: str) -> str:
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


class TopicQuerySet(PublishedQuerySet):
    def for_list(self):
        """Published topics in order, with counts of their published cards and questions."""
        return (
            self.published()
            .order_by("order", "title")
            .annotate(
                card_count=Count(
                    "flashcards", filter=Q(flashcards__status=Status.PUBLISHED), distinct=True
                ),
                question_count=Count(
                    "questions", filter=Q(questions__status=Status.PUBLISHED), distinct=True
                ),
            )
        )


class Topic(Authored):
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:topic-detail", args=[self.slug])


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

    def for_topic_page(self, topic):
        """A topic's published facts with `disputed`, their claims and claims' sources."""
        return (
            self.published()
            .filter(topic=topic)
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

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
