"""Search over the study material: the index (kept by the loader and admin) and the queries.

Every note section, fact, card, Prelims question and Mains question is one `SearchEntry` with
its lexemes (`content.terms`): a GIN-indexed tsvector on PostgreSQL, a plain copy matched
with LIKE on SQLite. Both backends apply the same rule and the same ranking: every term (or
phrase) must match; 3 points for a term in the title, 1 elsewhere, 2 more when the whole
query occurs as a phrase; ties go to notes, then facts, cards and questions, shorter first.
A query that finds nothing is retried once with each unknown word replaced by the closest
indexed word (pg_trgm candidates on PostgreSQL, difflib on SQLite, ranked by edit distance).

Only what a learner may see before answering is indexed (no keys or explanations) and
hits are filtered on the item's and its topic's status when searched, so nothing
unpublished is ever found. Search reads no learner's history.
"""

from __future__ import annotations

import difflib
import functools
import math
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQueryField, TrigramSimilarity
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils.safestring import SafeString

from content import markdown, terms
from content.models import (
    Fact,
    Flashcard,
    MainsQuestion,
    Question,
    SearchEntry,
    SearchKind,
    SearchTerm,
    Status,
    Topic,
)
from studyapp.freshness import content_changed

PER_PAGE = 20
# The columns a hit needs (never the vector or the terms copies).
_SHOWN = ["kind", "anchor", "title", "text", "topic__slug", "topic__title", "topic__status",
          "fact__slug", "fact__status", "fact__topic_id", "card__status", "card__topic_id",
          "question__status", "question__topic_id", "mains__status", "mains__topic_id"]  # fmt: skip
_RANKS = {kind: i for i, kind in enumerate(SearchKind.values)}


# --- building the index -------------------------------------------------------------------


def _entry(
    kind, topic, title: str, text: str, *, hidden: str = "", anchor: str = "", **item
) -> SearchEntry:
    """One entry: `title` (weight A), `text` and `hidden` (B), the topic's title (C).

    `hidden` is searchable but never shown (a card's answer is found, not displayed).
    """
    doc, head = terms.Analysed(), terms.Analysed()
    head.add(title, "A")
    doc.add(title, "A")
    doc.add(f"{text} {hidden}", "B")
    doc.add(topic.title, "C")
    shown = topic.status == Status.PUBLISHED and all(
        i.status == Status.PUBLISHED for i in item.values()
    )
    entry = SearchEntry(
        kind=kind, rank=_RANKS[kind], topic=topic, title=title, text=text, length=doc.length,
        title_terms=head.terms(), terms=doc.terms(), published=shown, anchor=anchor, **item,
    )  # fmt: skip
    if connection.vendor == "postgresql":
        entry.vector = doc.tsvector()
    entry.words = doc.words
    return entry


def _topic_entries(topic: Topic) -> list[SearchEntry]:
    entries = [_entry(SearchKind.NOTE, topic, topic.title, topic.summary)]
    note = getattr(topic, "note", None)
    for section in markdown.sections(note.body if note else ""):
        title = section.title or topic.title
        entries.append(_entry(SearchKind.NOTE, topic, title, section.text, anchor=section.anchor))
    return entries


def _fact_entry(fact: Fact) -> SearchEntry:
    text = f"Correct value: {fact.value}. {fact.resolution}".strip()
    return _entry(SearchKind.FACT, fact.topic, fact.statement, text, fact=fact)


def _card_entry(card: Flashcard) -> SearchEntry:
    # The front only is shown; the answer is searchable so "1958" finds the card about it.
    return _entry(SearchKind.CARD, card.topic, card.prompt, "", hidden=card.answer, card=card)


def _question_entry(question: Question) -> SearchEntry:
    """Stem, statements, pairs and written options: what the learner reads, not the key."""
    parts = [f"{i}. {s.text}" for i, s in enumerate(question.statements.all(), start=1)]
    parts += [f"{p.left} — {p.right}" for p in question.pairs.all()]
    parts += [c.text for c in question.choices.all()]
    title = terms.plain(question.stem) or question.get_kind_display()
    return _entry(SearchKind.QUESTION, question.topic, title, " · ".join(parts), question=question)


def _mains_entry(question: MainsQuestion) -> SearchEntry:
    return _entry(SearchKind.MAINS, question.topic, question.text, "", mains=question)


def _entries_for(topics: QuerySet) -> list[SearchEntry]:
    """Entries for every item (any status) of `topics`, in a handful of queries."""
    topics = list(topics.select_related("note"))
    ids = [t.pk for t in topics]
    entries = [e for t in topics for e in _topic_entries(t)]
    related = ("topic",)
    entries += [_fact_entry(f) for f in Fact.objects.filter(topic__in=ids).select_related(*related)]
    cards = Flashcard.objects.content().filter(topic__in=ids).select_related(*related)
    entries += [_card_entry(c) for c in cards]
    questions = Question.objects.filter(topic__in=ids).select_related(*related)
    questions = questions.prefetch_related("statements", "pairs", "choices")
    entries += [_question_entry(q) for q in questions]
    mains = MainsQuestion.objects.filter(topic__in=ids).select_related(*related)
    entries += [_mains_entry(m) for m in mains]
    return entries


def _save(entries: list[SearchEntry]) -> None:
    # Every load, admin edit and status change of study material ends here: learners' cached
    # pages (and search results) are rebuilt from the new version.
    content_changed()
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    vocabulary = {w: terms.lexeme(w) for e in entries for w in e.words if len(w) <= 100}
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w, lexeme=lex) for w, lex in vocabulary.items()],
        batch_size=1000,
        ignore_conflicts=True,
    )


@transaction.atomic
def rebuild_index() -> int:
    """Index all study material afresh (the loader calls this); returns the entry count."""
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    entries = _entries_for(Topic.objects.all())
    _save(entries)
    return len(entries)


def refresh_status(model, ids: list[int]) -> None:
    """After a bulk status change (admin actions): re-index the items (or topics) changed."""
    for item in model.objects.filter(pk__in=ids):
        reindex(item)


@transaction.atomic
def reindex(item) -> None:
    """Refresh the entries of one saved item (admin): a topic (its note and every item in
    it, which carry its title), a fact, card, Prelims or Mains question."""
    if isinstance(item, Topic):
        SearchEntry.objects.filter(topic=item).delete()
        _save(_entries_for(Topic.objects.filter(pk=item.pk)))
        return
    builders = {
        Fact: ("fact", _fact_entry),
        Flashcard: ("card", _card_entry),
        Question: ("question", _question_entry),
        MainsQuestion: ("mains", _mains_entry),
    }
    name, build = builders[type(item)]
    SearchEntry.objects.filter(**{name: item}).delete()
    if isinstance(item, Question):
        item = Question.objects.prefetch_related("statements", "pairs", "choices").get(pk=item.pk)
    _save([build(item)])


# --- searching ----------------------------------------------------------------------------


class _Matches(Func):
    """`vector @@ 'literal'::tsquery` (the tsquery is built by content.terms, not parsed)."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


def _tsquery(literal: str) -> _Matches:
    return _Matches(F("vector"), Cast(Value(literal), SearchQueryField()))


def _contains(column: str, patterns: list[str]) -> Q:
    condition = Q()
    for pattern in patterns:
        condition |= Q(**{f"{column}__contains": pattern})
    return condition


def _has(group: terms.Group, *, title: bool = False):
    """The condition "the entry contains this term" (only in its title with `title`)."""
    if connection.vendor == "postgresql":
        return _tsquery(group.tsquery("A" if title else ""))
    return _contains("title_terms" if title else "terms", group.patterns())


def _matching(query: terms.Query) -> QuerySet:
    """Entries of published items in published topics containing every term of `query`."""
    qs = SearchEntry.objects.filter(published=True)
    if connection.vendor == "postgresql":
        return qs.filter(_tsquery(query.tsquery()))
    for group in query.groups:
        qs = qs.filter(_has(group))
    return qs


def _score(query: terms.Query):
    score = Value(0)
    for group in query.groups:
        score += Case(When(_has(group, title=True), then=Value(3)), default=Value(1))
    if query.phrase:
        if connection.vendor == "postgresql":
            phrase = _tsquery(query.phrase_tsquery())
        else:
            phrase = Q(terms__contains=f" {' '.join(query.phrase)} ")
        score += Case(When(phrase, then=Value(2)), default=Value(0))
    return Cast(score, IntegerField())


@functools.cache
def _has_trigrams(alias: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _closest(word: str) -> str | None:
    """The indexed word nearest `word` by edit distance (candidates by trigrams or difflib)."""
    if _has_trigrams(connection.alias):
        # Below pg_trgm's default 0.3: a swap in a short word ("lonas") shares few trigrams.
        candidates = list(
            SearchTerm.objects.annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gt=0.15)
            .order_by("-similarity")
            .values_list("word", flat=True)[:20]
        )
    else:
        vocabulary = SearchTerm.objects.values_list("word", flat=True)
        candidates = difflib.get_close_matches(word, list(vocabulary), 20, 0.6)
    candidates = [c for c in candidates if terms.edit_distance(word, c) <= max(1, len(word) // 4)]
    return min(candidates, key=lambda c: (terms.edit_distance(word, c), c), default=None)


def correction(query: terms.Query) -> str:
    """The query with each word the index does not know replaced by the closest word that
    it does ("unicron" → "unicorn"); "" when there is nothing to correct."""
    words = [g.word for g in query.groups if g.word.isalpha() and len(g.alternatives[0]) == 1]
    known = set(
        SearchTerm.objects.filter(lexeme__in=[terms.lexeme(w) for w in words]).values_list(
            "lexeme", flat=True
        )
    )
    fixed = {w: _closest(w) for w in words if terms.lexeme(w) not in known and len(w) > 3}
    fixed = {w: c for w, c in fixed.items() if c}
    if not fixed:
        return ""
    return " ".join(fixed.get(t.text, t.text) for t in terms.tokens(query.text))


@dataclass
class Hit:
    kind: str
    label: str
    title: SafeString
    url: str
    snippet: SafeString
    topic: str


@dataclass
class Results:
    q: str
    kind: str = ""  # the type the learner chose ("" for all)
    counts: dict[str, int] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    pages: int = 0
    corrected: str = ""  # the query the results are for, when the learner's found nothing
    suggestion: str = ""  # a corrected query that finds nothing either
    words: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def searched(self) -> str:
        """The query the hits are for (the correction, when there is one)."""
        return self.corrected or self.q

    @property
    def types(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) of every type with hits, in the order of SearchKind."""
        return [(k, label, self.counts[k]) for k, label in SearchKind.choices if k in self.counts]

    @property
    def first(self) -> int:
        """The number of the first hit on this page."""
        return (self.page - 1) * PER_PAGE + 1

    @property
    def shown(self) -> int:
        """How many hits there are of the chosen type (all types when none is chosen)."""
        return self.counts.get(self.kind, 0) if self.kind else self.total


def _counts(query: terms.Query) -> dict[str, int]:
    rows = _matching(query).values_list("kind").annotate(n=Count("id")).order_by()
    found = dict(rows)
    return {kind: found[kind] for kind in SearchKind.values if found.get(kind)}


def _still_published(entry: SearchEntry) -> bool:
    """The guard on every hit shown: its topic and item are published right now."""
    item = entry.fact or entry.card or entry.question or entry.mains
    published = Status.PUBLISHED
    return entry.topic.status == published and (item is None or item.status == published)


def _hit(entry: SearchEntry, marks: set[str]) -> Hit:
    item = entry.fact or entry.card or entry.question or entry.mains
    if item is not None:
        item.topic = entry.topic  # loaded once; the URL of a fact needs it
        url = item.get_absolute_url()
    else:
        url = entry.topic.get_absolute_url() + (f"#{entry.anchor}" if entry.anchor else "")
    return Hit(
        entry.kind,
        entry.get_kind_display(),
        terms.highlight(entry.title, marks, limit=160),
        url,
        terms.highlight(entry.text, marks) if entry.text else SafeString(""),
        entry.topic.title,
    )


def search(q: str, *, kind: str = "", page: int = 1) -> Results:
    """One page of published hits for `q`, best first, with the number of hits per type.

    Three queries for a query that finds something: counts per type, the page. A query that
    finds nothing costs one or two more (the correction).
    """
    query = terms.parse(q)
    results = Results(q=q, kind=kind, words=[g.word for g in query.groups])
    if not query:
        return results
    results.counts = _counts(query)
    if not results.total and (fixed := correction(query)):
        corrected = terms.parse(fixed)
        counts = _counts(corrected)
        if counts:
            query, results.counts, results.corrected = corrected, counts, fixed
        else:
            results.suggestion = fixed
    results.pages = math.ceil(results.shown / PER_PAGE)
    results.page = min(max(page, 1), max(results.pages, 1))
    if not results.shown:
        return results
    entries = _matching(query).filter(kind=kind) if kind else _matching(query)
    entries = (
        entries.annotate(score=_score(query))
        .select_related("topic", "fact", "card", "question", "mains")
        .only(*_SHOWN)
        .order_by("-score", "rank", "length", "pk")
    )
    start = (results.page - 1) * PER_PAGE
    page = [e for e in entries[start : start + PER_PAGE] if _still_published(e)]
    results.hits = [_hit(e, query.highlight) for e in page]
    return results
