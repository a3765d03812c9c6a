"""Notes: the topic list with the learner's progress and a topic's note page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from content.markdown import render as render_markdown
from content.models import (
    Fact,
    Note,
    Source,
    Topic,
)
from quizzes.models import AttemptItem, CardState, NoteProgress
from quizzes.scoring import percent
from quizzes.services import WriteRefused
from quizzes.services.activity import note_mark
from quizzes.views.preview import is_preview, preview_banner
from quizzes.views.responses import answer_refusals, vary_on_htmx, wants_partial
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest

# --- topics ------------------------------------------------------------------------------


@require_GET
@login_required
def topic_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every published topic with the learner's progress: note, cards, Prelims accuracy."""
    now = timezone.now()
    return cached_render(
        request,
        "quizzes/study/topic_list.html",
        "topics",
        lambda: _topic_rows(request.user, now),
        now=now,
    )


def _topic_rows(learner, now) -> dict:
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
                "cards_percent": percent(card_row.get("learned", 0), topic.card_count) or 0,
                "answered": acc["answered"] if acc else 0,
                "correct": acc["correct"] if acc else 0,
                "accuracy": percent(acc["correct"], acc["answered"]) if acc else None,
            }
        )
    summary = {
        "topics": len(rows),
        "studied": sum(1 for r in rows if r["studied_at"]),
        "due": sum(r["cards_due"] for r in rows),
    }
    return {"rows": rows, "summary": summary}


def _short_label(source: Source) -> str:
    """A citation label: the publisher without its parenthesis, else the title."""
    label = (source.publisher or source.title).split(" (")[0].strip()
    return label or source.slug


@require_GET
@login_required
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The note: Markdown body with contents, key facts, timeline, sources, sources differ.

    Staff may add `?preview=1` to see a draft topic (and its draft facts) under a banner."""
    preview = is_preview(request)
    template = "quizzes/study/topic_detail.html"
    if preview:
        return render(request, template, _topic_page(request.user, slug, preview=True))
    build = lambda: _topic_page(request.user, slug)  # noqa: E731
    return cached_render(request, template, "topic", build, now=timezone.now())


def _topic_page(learner, slug: str, *, preview: bool = False) -> dict:
    topics = Topic.objects.with_counts() if preview else Topic.objects.for_list()
    topic = get_object_or_404(topics, slug=slug)
    note = Note.objects.filter(topic=topic).prefetch_related("sources").first()
    facts = list(Fact.objects.for_topic_page(topic, preview=preview))

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
    studied = NoteProgress.objects.filter(learner=learner, topic=topic).first()
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
        "preview": preview_banner(topic, kind="topic") if preview else None,
    }
    return context


@require_POST
@login_required
@answer_refusals()
def topic_studied(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Mark the note studied (`studied=1`) or not studied (`studied=0`)."""
    topic = get_object_or_404(Topic.objects.visible(), slug=slug)
    value = request.POST.get("studied")
    if value not in {"0", "1"}:
        raise WriteRefused(
            "Bad form: 'studied' must be 1 (studied) or 0 (not studied).", code="invalid_form"
        )
    studied = note_mark(learner=request.user, topic=topic, studied=value == "1", now=timezone.now())
    if wants_partial(request):
        context = {"topic": topic, "studied": studied, "just_changed": True}
        return vary_on_htmx(render(request, "quizzes/study/topic_detail.html#studied", context))
    return redirect(f"{topic.get_absolute_url()}#studied")
