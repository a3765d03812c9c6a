"""Writing one validated pack: every model in bulk, in dependency order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from content import models as m
from content import schema
from content.loader.types import ParsedPack, Summary
from content.loader.upsert import _Writer


def _date_fields(value) -> dict:
    parsed = schema.parse_partial_date(value)
    if not parsed:
        return {"date": None, "date_precision": m.DatePrecision.DAY}
    return {"date": parsed[0], "date_precision": parsed[1]}


def _write_pack(
    parsed: ParsedPack, summary: Summary, now: dt.datetime, keep: dict | None = None
) -> None:
    meta = parsed.meta
    pack, _ = m.Pack.objects.update_or_create(
        slug=meta.slug,
        defaults={"title": meta.title, "description": meta.description, "loaded_at": now},
    )
    w = _Writer(pack, summary, now, keep)

    w.upsert(
        "sources",
        m.Source,
        {
            s.id: {
                "pack_id": pack.pk,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "url": s.url,
                "file": s.file,
                "notes": s.notes,
                **_date_fields(s.date),
            }
            for s in meta.sources
        },
    )
    w.note_updates("sources", w.changed)
    all_sources = {s.slug: s.pk for s in m.Source.objects.all()}

    topics = w.upsert(
        "topics",
        m.Topic,
        {
            n.item.topic: {
                "pack_id": pack.pk,
                "title": n.item.title,
                "order": n.item.order,
                "summary": n.item.summary,
                "status": n.item.status,
            }
            for n, _ in parsed.notes
        },
    )
    topic_changed = set(w.changed)
    all_topics = {t.slug: t.pk for t in m.Topic.objects.all()}
    notes = w.upsert(
        None,
        m.Note,
        {topics[n.item.topic].pk: {"body": body, "file": n.file} for n, body in parsed.notes},
        key="topic_id",
    )
    note_changed = {slug for slug, t in topics.items() if t.pk in w.changed}
    notes_by_slug = {slug: notes[t.pk] for slug, t in topics.items()}
    note_m2m = w.set_m2m(
        notes_by_slug,
        "sources",
        {n.item.topic: {all_sources[s] for s in n.item.sources} for n, _ in parsed.notes},
    )
    w.note_updates("topics", topic_changed, note_changed, note_m2m)

    facts = w.upsert(
        "facts",
        m.Fact,
        {
            f.item.id: {
                "pack_id": pack.pk,
                "topic_id": all_topics[f.item.topic],
                "statement": f.item.statement,
                "value": f.item.value,
                "kind": f.item.kind,
                "resolution": f.item.resolution,
                "status": f.item.status,
                **_date_fields(f.item.date),
            }
            for f in parsed.facts
        },
    )
    fact_changed = set(w.changed)
    claims_changed = w.replace_children(
        facts,
        m.Claim,
        "fact",
        {
            f.item.id: [
                {"source_id": all_sources[c.source], "value": c.value, "agrees": c.agrees}
                for c in f.item.claims
            ]
            for f in parsed.facts
        },
        ["source_id", "value", "agrees"],
    )
    w.note_updates("facts", fact_changed, claims_changed)
    all_facts = {f.slug: f.pk for f in m.Fact.objects.all()}
    fact_sources: dict[str, set[int]] = defaultdict(set)
    for f in parsed.facts:
        agreeing = {all_sources[c.source] for c in f.item.claims if c.agrees}
        fact_sources[f.item.id] = agreeing or {all_sources[c.source] for c in f.item.claims}
    # Facts of other packs that this pack's items may cite: one query, not one per fact.
    other_claims = m.Claim.objects.filter(agrees=True).exclude(fact__slug__in=fact_sources)
    for fact_slug, source_id in other_claims.values_list("fact__slug", "source_id"):
        fact_sources[fact_slug].add(source_id)

    def cite(objs: dict, items: dict) -> tuple[set[str], set[str]]:
        """Set the facts and sources (its own plus its facts' sources) every item cites."""
        facts_changed = w.set_m2m(
            objs, "facts", {s: {all_facts[f] for f in it.facts} for s, it in items.items()}
        )
        sources = {
            s: {all_sources[src] for src in it.sources}.union(*(fact_sources[f] for f in it.facts))
            for s, it in items.items()
        }
        return facts_changed, w.set_m2m(objs, "sources", sources)

    cards = w.upsert(
        "cards",
        m.Flashcard,
        {
            c.item.id: {
                "pack_id": pack.pk,
                "topic_id": all_topics[c.item.topic],
                "kind": c.item.kind,
                "front": c.item.front,
                "back": c.item.back,
                "text": c.item.text,
                "status": c.item.status,
            }
            for c in parsed.cards
        },
    )
    card_changed = set(w.changed)
    w.note_updates("cards", card_changed, *cite(cards, {c.item.id: c.item for c in parsed.cards}))

    questions = w.upsert(
        "questions",
        m.Question,
        {q.item.id: _question_fields(q.item, pack, all_topics) for q in parsed.questions},
    )
    q_changed = set(w.changed)
    items = {q.item.id: q.item for q in parsed.questions}
    choice_changed = w.replace_children(
        questions,
        m.Choice,
        "question",
        {
            slug: [
                {"order": i, "text": c.text, "is_correct": c.correct, "explanation": c.explanation}
                for i, c in enumerate(getattr(it, "choices", []), start=1)
            ]
            for slug, it in items.items()
        },
        ["order", "text", "is_correct", "explanation"],
    )
    statement_changed = w.replace_children(
        questions,
        m.Statement,
        "question",
        {
            slug: [
                {"order": i, "text": s.text, "is_true": s.true, "explanation": s.explanation}
                for i, s in enumerate(_statements(it), start=1)
            ]
            for slug, it in items.items()
        },
        ["order", "text", "is_true", "explanation"],
    )
    pair_changed = w.replace_children(
        questions,
        m.Pair,
        "question",
        {
            slug: [
                {
                    "order": i,
                    "left": p.left,
                    "right": p.right,
                    "is_correct": p.correct,
                    "explanation": p.explanation,
                }
                for i, p in enumerate(getattr(it, "pairs", []), start=1)
            ]
            for slug, it in items.items()
        },
        ["order", "left", "right", "is_correct", "explanation"],
    )
    w.note_updates(
        "questions",
        q_changed,
        choice_changed,
        statement_changed,
        pair_changed,
        *cite(questions, items),
    )

    mains_items = {q.item.id: q.item for q in parsed.mains}
    mains = w.upsert(
        "mains",
        m.MainsQuestion,
        {
            slug: {
                "pack_id": pack.pk,
                "topic_id": all_topics[it.topic],
                "directive": it.directive,
                "marks": it.marks,
                "word_limit": schema.MAINS_FORMAT[it.marks][0],
                "minutes": schema.MAINS_FORMAT[it.marks][1],
                "text": it.question,
                "outline_intro": it.outline.intro,
                "outline_body": list(it.outline.body),
                "outline_conclusion": it.outline.conclusion,
                "model_answer": it.model_answer.strip(),
                "status": it.status,
            }
            for slug, it in mains_items.items()
        },
    )
    mains_changed = set(w.changed)
    kp_changed = _sync_key_points(mains, mains_items)
    w.note_updates(
        "mains",
        mains_changed,
        kp_changed,
        *cite(mains, mains_items),
    )


def _statements(item) -> list:
    if isinstance(item, schema.AssertionReasonQuestion):
        return [item.statement_1, item.statement_2]
    return list(getattr(item, "statements", []))


def _question_fields(item, pack: m.Pack, topics: dict[str, int]) -> dict:
    return {
        "pack_id": pack.pk,
        "topic_id": topics[item.topic],
        "kind": item.kind,
        "ask": getattr(item, "ask", ""),
        "difficulty": item.difficulty,
        "stem": item.stem,
        "column_left": item.columns[0] if getattr(item, "columns", None) else "",
        "column_right": item.columns[1] if getattr(item, "columns", None) else "",
        "explains": getattr(item, "explains", None),
        "explanation": item.explanation,
        "status": item.status,
    }


def _sync_key_points(mains: dict, items: dict) -> set[str]:
    """Key points are updated in place by position: learners' ticks on them survive edits."""
    changed = set()
    existing: dict[int, dict[int, m.KeyPoint]] = defaultdict(dict)
    for kp in m.KeyPoint.objects.filter(question__in=list(mains.values())):
        existing[kp.question_id][kp.order] = kp
    create, update, delete = [], [], []
    for slug, question in mains.items():
        have = existing.get(question.pk, {})
        for order, point in enumerate(items[slug].key_points, start=1):
            keywords, synonyms = list(point.keywords), list(point.synonyms)
            kp = have.pop(order, None)
            if kp is None:
                create.append(
                    m.KeyPoint(
                        question=question,
                        order=order,
                        text=point.text,
                        keywords=keywords,
                        synonyms=synonyms,
                    )
                )
                changed.add(slug)
            elif (kp.text, kp.keywords, kp.synonyms) != (point.text, keywords, synonyms):
                kp.text, kp.keywords, kp.synonyms = point.text, keywords, synonyms
                update.append(kp)
                changed.add(slug)
        if have:
            delete += [kp.pk for kp in have.values()]
            changed.add(slug)
    m.KeyPoint.objects.bulk_create(create)
    m.KeyPoint.objects.bulk_update(update, ["text", "keywords", "synonyms"])
    m.KeyPoint.objects.filter(pk__in=delete).delete()
    return changed


# ---------------------------------------------------------------------------------------------
# Entry point
