"""Notes: the topic list with the learner's progress, a topic's note page, and search."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import snowballstemmer
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from content.markdown import render as render_markdown
from content.models import (
    Choice,
    Fact,
    Flashcard,
    MainsQuestion,
    Note,
    Pair,
    Question,
    Source,
    Statement,
    Topic,
)
from quizzes.models import AttemptItem, CardState, NoteProgress
from studyapp.types import HtmxHttpRequest

# --- topics ------------------------------------------------------------------------------


@require_GET
@login_required
def topic_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every published topic with the learner's progress: note, cards, Prelims accuracy."""
    learner = request.user
    now = timezone.now()
    topics = list(
        Topic.objects.for_list().annotate(
            has_note=Exists(Note.objects.filter(topic=OuterRef("pk")))
        )
    )
    studied = NoteProgress.objects.studied_at_by_topic(learner)
    cards = CardState.objects.counts_by_topic(learner, now=now)
    accuracy = AttemptItem.objects.accuracy_by_topic(learner)
    rows = []
    for topic in topics:
        card_row = cards.get(topic.pk, {})
        acc = accuracy.get(topic.pk)
        seen = card_row.get("seen", 0)
        rows.append(
            {
                "topic": topic,
                "studied_at": studied.get(topic.pk),
                "cards_total": topic.card_count,
                "cards_learned": card_row.get("learned", 0),
                "cards_learning": card_row.get("learning", 0),
                "cards_due": card_row.get("due", 0),
                "cards_new": max(0, topic.card_count - seen),
                "cards_percent": round(100 * card_row.get("learned", 0) / topic.card_count)
                if topic.card_count
                else 0,
                "answered": acc["answered"] if acc else 0,
                "correct": acc["correct"] if acc else 0,
                "accuracy": round(100 * acc["correct"] / acc["answered"]) if acc else None,
            }
        )
    summary = {
        "topics": len(rows),
        "studied": sum(1 for r in rows if r["studied_at"]),
        "due": sum(r["cards_due"] for r in rows),
    }
    return render(request, "quizzes/study/topic_list.html", {"rows": rows, "summary": summary})


def _short_label(source: Source) -> str:
    """A citation label: the publisher without its parenthesis, else the title."""
    label = (source.publisher or source.title).split(" (")[0].strip()
    return label or source.slug


@require_GET
@login_required
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The note: Markdown body with contents, key facts, timeline, sources, sources differ."""
    topic = get_object_or_404(Topic.objects.for_list(), slug=slug)
    note = Note.objects.filter(topic=topic).prefetch_related("sources").first()
    facts = list(Fact.objects.for_topic_page(topic))

    sources: dict[str, Source] = {}
    for source in note.sources.all() if note else []:
        sources[source.slug] = source
    for fact in facts:
        for claim in fact.claims.all():
            sources.setdefault(claim.source.slug, claim.source)
    ordered_sources = sorted(sources.values(), key=lambda s: (s.date is None, s.date, s.title))
    labels = {slug: _short_label(source) for slug, source in sources.items()}
    for fact in facts:
        for claim in fact.claims.all():  # prefetched: the same objects the template reads
            claim.label = labels[claim.source.slug]
    rendered = render_markdown(note.body, citations=labels) if note else None

    timeline = sorted((f for f in facts if f.date), key=lambda f: (f.date, f.pk))
    disputed = [f for f in facts if f.disputed]
    studied = NoteProgress.objects.filter(learner=request.user, topic=topic).first()
    context = {
        "topic": topic,
        "note": note,
        "rendered": rendered,
        "facts": facts,
        "timeline": timeline,
        "disputed_count": len(disputed),
        "sources": ordered_sources,
        "labels": labels,
        "studied": studied,
        "reading_minutes": max(1, round(note.word_count / 200)) if note else 0,
    }
    return render(request, "quizzes/study/topic_detail.html", context)


@require_POST
@login_required
def topic_studied(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Mark the note studied (`studied=1`) or not studied (`studied=0`)."""
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    value = request.POST.get("studied")
    if value not in {"0", "1"}:
        return HttpResponse(
            "Bad form: 'studied' must be 1 (studied) or 0 (not studied).",
            status=400,
            content_type="text/plain",
        )
    if value == "1":
        studied, _ = NoteProgress.objects.get_or_create(
            learner=request.user, topic=topic, defaults={"studied_at": timezone.now()}
        )
    else:
        NoteProgress.objects.filter(learner=request.user, topic=topic).delete()
        studied = None
    if request.htmx:
        return render(
            request,
            "quizzes/study/topic_detail.html#studied",
            {"topic": topic, "studied": studied, "just_changed": True},
        )
    return redirect(f"{topic.get_absolute_url()}#studied")


# --- search ------------------------------------------------------------------------------

MAX_WORDS = 8
PER_KIND = 20
SNIPPET_CHARS = 220
_STEMMER = snowballstemmer.stemmer("english")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_MARKDOWN_BREAKS = re.compile(r"(^|\n)#+\s*|[>|]+|-{3,}")
_MARKDOWN_INLINE = re.compile(r"[*_`]+|\s*\[(?:[a-z0-9]+(?:-[a-z0-9]+)+)\]")


def query_words(q: str) -> list[str]:
    """The distinct words of a query, lower-cased, at most MAX_WORDS."""
    words: list[str] = []
    for word in _WORD_RE.findall(q.lower()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def plain_text(markdown: str) -> str:
    """Markdown with headings, emphasis, table pipes and citation marks removed (snippets)."""
    text = _MARKDOWN_INLINE.sub("", _MARKDOWN_BREAKS.sub(" ", markdown))
    return re.sub(r"\s+", " ", text).strip()


def highlight(text: str, words: list[str], *, limit: int = SNIPPET_CHARS) -> SafeString:
    """A snippet of `text` around the first match, HTML-escaped, with matches in <mark>.

    A token matches when it contains a query word or shares its English stem (so "treaties"
    marks "treaty"). Escaping happens first, per piece, so content can never inject markup.
    """
    stems = {_STEMMER.stemWord(w) for w in words}
    spans = []
    for m in _WORD_RE.finditer(text):
        token = m.group().lower()
        if any(w in token for w in words) or _STEMMER.stemWord(token) in stems:
            spans.append((m.start(), m.end()))
    start = 0
    if len(text) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, first - limit // 3)
        if start:
            start = text.rfind(" ", 0, start) + 1  # whole words only (0 if none before)
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = ["…" if start else ""]
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(html.escape(text[cursor:s]))
        pieces.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(html.escape(text[cursor:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def _frequency(text: str, words: list[str]) -> float:
    """A small tie-breaker below one rank step: how often the words occur (capped)."""
    lowered = text.lower()
    return min(sum(lowered.count(w) for w in words), 20) / 40


@dataclass
class Hit:
    kind: str
    title: SafeString
    url: str
    snippet: SafeString
    topic: str
    score: float


def _all_words(words: list[str], fields: list[str], extra=None) -> Q:
    """Every word appears (case-insensitively) in at least one of `fields` (or `extra(w)`)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        if extra is not None:
            any_field |= extra(word)
        condition &= any_field
    return condition


def _score(words: list[str], primary: list[str], secondary: list[str]):
    """A rank expression: 3 per word found in a primary field, 1 per word only elsewhere."""
    total = Value(0)
    for word in words:
        in_primary = Q()
        for name in primary:
            in_primary |= Q(**{f"{name}__icontains": word})
        in_secondary = Q()
        for name in secondary:
            in_secondary |= Q(**{f"{name}__icontains": word})
        whens = [When(in_primary, then=Value(3))]
        if secondary:
            whens.append(When(in_secondary, then=Value(1)))
        total = total + Case(*whens, default=Value(0), output_field=IntegerField())
    return total


def _ranked(qs: QuerySet, words, primary, secondary, extra=None) -> QuerySet:
    """Filter `qs` to items matching every word and order them by relevance.

    On PostgreSQL a full-text match (English stemming, weights A for primary fields and B for
    the rest) also counts and its SearchRank joins the score; elsewhere (SQLite) matching is
    by case-insensitive substrings.
    """
    match = _all_words(words, primary + secondary, extra)
    score = _score(words, primary, secondary)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*primary, weight="A", config="english")
        if secondary:
            vector += SearchVector(*secondary, weight="B", config="english")
        query = SearchQuery(" ".join(words), search_type="plain", config="english")
        qs = qs.annotate(search=vector)
        match |= Q(search=query)
        score = score + Coalesce(SearchRank(vector, query), Value(0.0)) * 10
    return qs.filter(match).annotate(score=score).order_by("-score", "pk")[:PER_KIND]


def search_everything(q: str) -> list[Hit]:
    """Published notes, facts, cards and questions matching every word of `q`, best first."""
    words = query_words(q)
    if not words:
        return []
    hits: list[Hit] = []

    notes = _ranked(
        Note.objects.filter(topic__status="published").select_related("topic"),
        words,
        ["topic__title"],
        ["body", "topic__summary"],
    )
    for note in notes:
        hits.append(
            Hit(
                "Note",
                note.topic.title,
                note.topic.get_absolute_url(),
                highlight(plain_text(note.body), words),
                note.topic.title,
                # A whole note on the subject edges out a single fact; among notes, the one
                # that says it more often comes first.
                float(note.score) + 1 + _frequency(note.body, words),
            )
        )

    facts = _ranked(
        Fact.objects.published().select_related("topic"),
        words,
        ["statement", "value"],
        ["resolution"],
    )
    for fact in facts:
        detail = f"Correct value: {fact.value}."
        if fact.resolution:
            detail += f" {fact.resolution}"
        hits.append(
            Hit(
                "Fact",
                fact.statement,
                f"{fact.topic.get_absolute_url()}#fact-{fact.slug}",
                highlight(detail, words),
                fact.topic.title,
                float(fact.score) + _frequency(fact.statement, words),
            )
        )

    cards = _ranked(
        Flashcard.objects.published().select_related("topic"),
        words,
        ["front", "text"],
        ["back"],
    )
    for card in cards:
        hits.append(
            Hit(
                "Card",
                card.prompt,
                f"{reverse('quizzes:review')}?{urlencode({'topic': card.topic.slug})}",
                highlight(f"Answer: {card.answer}", words),
                card.topic.title,
                float(card.score) + _frequency(f"{card.prompt} {card.answer}", words),
            )
        )

    def in_parts(word: str) -> Q:
        return (
            Q(Exists(Statement.objects.filter(question=OuterRef("pk"), text__icontains=word)))
            | Q(Exists(Pair.objects.filter(question=OuterRef("pk"), left__icontains=word)))
            | Q(Exists(Pair.objects.filter(question=OuterRef("pk"), right__icontains=word)))
            | Q(Exists(Choice.objects.filter(question=OuterRef("pk"), text__icontains=word)))
        )

    questions = _ranked(
        Question.objects.published().select_related("topic").prefetch_related("statements"),
        words,
        ["stem"],
        ["explanation"],
        extra=in_parts,
    )
    for question in questions:
        text = " ".join(
            [question.stem, *(s.text for s in question.statements.all()), question.explanation]
        )
        hits.append(
            Hit(
                "Prelims question",
                plain_text(question.stem) or question.get_kind_display(),
                f"{question.topic.get_absolute_url()}#practise",
                highlight(plain_text(text), words),
                question.topic.title,
                float(question.score) + _frequency(text, words),
            )
        )

    mains = _ranked(MainsQuestion.objects.published().select_related("topic"), words, ["text"], [])
    for question in mains:
        hits.append(
            Hit(
                "Mains question",
                f"{question.get_directive_display()} · {question.marks} marks",
                f"{question.topic.get_absolute_url()}#practise",
                highlight(question.text, words),
                question.topic.title,
                float(question.score) + _frequency(question.text, words),
            )
        )
    hits.sort(key=lambda h: -h.score)
    for hit in hits:
        hit.title = highlight(hit.title, words, limit=160)
    return hits


@require_GET
@login_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Search notes, facts, cards and questions: all words must match; ranked; highlighted."""
    q = request.GET.get("q", "").strip()[:200]
    hits = search_everything(q) if q else []
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.kind] = counts.get(hit.kind, 0) + 1
    context = {"q": q, "hits": hits, "counts": counts, "words": query_words(q)}
    template = "quizzes/study/search.html"
    if request.htmx and request.htmx.target == "search-results":
        template += "#results"
    return render(request, template, context)
