"""Drafts in the database: generate (idempotent), edit, accept (publish), reject.

The only module of `content.drafts` that touches the ORM. Accepting a draft publishes the
item and what belongs to it in one transaction (a fact with its claim and cards, a question
with its statements/pairs/choices, a Mains question with its key points), filed under the
topic the editor picks; a refused structure raises DraftError and changes nothing.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from content import formats, search
from content import models as m
from content.drafts import generate
from content.drafts.items import Draft
from content.drafts.quality import problems

FACT_KINDS = {c.value for c in m.FactKind}


class DraftError(ValueError):
    """A draft that cannot be published as edited; `message` says what to fix."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _draft(payload: dict) -> Draft:
    fields = Draft.__dataclass_fields__
    return Draft(**{k: v for k, v in payload.items() if k in fields})


@transaction.atomic
def drafts_generate(*, source: m.Source) -> tuple[int, int]:
    """Store every new draft for a source; (created, already known). Never fails on re-runs.

    Known drafts are left as they are, whatever their state: pending ones keep their edits,
    rejected ones stay rejected, accepted ones are not recreated even if their items were
    deleted since.
    """
    if not source.full_text.strip():
        raise DraftError("Paste the article into the source's full text first.")
    result = generate(source.full_text, title=source.title)
    known = set(m.DraftItem.objects.filter(source=source).values_list("key", flat=True))
    last = (
        m.DraftItem.objects.filter(source=source).order_by("-order").values_list("order", flat=True)
    ).first() or 0
    by_key: dict[str, m.DraftItem] = {}
    new = []
    for i, draft in enumerate(result.drafts, start=last + 1):
        if draft.key in known:
            continue
        item = m.DraftItem(
            source=source, key=draft.key, kind=draft.kind, format=draft.format, order=i,
            section=draft.section[:300], sentence=draft.source_sentence, start=draft.start,
            end=draft.end, payload=draft.as_json(), problems=result.problems(draft),
        )  # fmt: skip
        by_key[draft.key] = item
        new.append(item)
    m.DraftItem.objects.bulk_create([i for i in new if i.kind != "card"])
    parents = dict(m.DraftItem.objects.filter(source=source, kind="fact").values_list("key", "pk"))
    cards = []
    for item in new:
        if item.kind == "card":
            item.parent_id = parents.get(item.payload.get("fact_key"))
            cards.append(item)
    m.DraftItem.objects.bulk_create(cards)
    return len(new), len(result.drafts) - len(new)


def draft_update(item: m.DraftItem, payload: dict) -> None:
    """Keep an editor's edits on a pending draft (and recheck the quality rules)."""
    draft = _draft({**item.payload, **payload})
    item.payload = {**item.payload, **payload}
    item.problems = problems(draft, set())
    item.save(update_fields=["payload", "problems"])


def _slug(prefix: str, source: m.Source, key: str, model) -> str:
    base = slugify(f"{prefix}-{source.slug[:60]}-{key}")[:110]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():  # a leftover of a half-deleted pair
        slug, n = f"{base}-{n}", n + 1
    return slug


def _decide(item: m.DraftItem, status: str, user, topic=None) -> None:
    item.status = status
    item.decided_at = timezone.now()
    item.decided_by = user if user and user.is_authenticated else None
    item.topic = topic


def _fact_kind(value_kind: str) -> str:
    return value_kind if value_kind in FACT_KINDS else m.FactKind.OTHER


def _accept_fact(item: m.DraftItem, topic: m.Topic, user, skip: set[int]) -> None:
    p = item.payload
    statement, value = p.get("text", "").strip(), (p.get("answer") or "").strip()
    if not statement or not value:
        raise DraftError("A fact needs a statement and a value.")
    date = None
    if p.get("date"):
        try:
            date = datetime.date.fromisoformat(p["date"])
        except ValueError as error:
            raise DraftError(f"Date {p['date']!r} is not a date (YYYY-MM-DD).") from error
    fact = m.Fact.objects.create(
        slug=_slug("fact", item.source, item.key, m.Fact), topic=topic, statement=statement,
        value=value[:300], kind=_fact_kind(p.get("value_kind", "")), date=date,
        date_precision=p.get("date_precision") or m.DatePrecision.DAY,
        status=m.Status.PUBLISHED,
    )  # fmt: skip
    m.Claim.objects.create(fact=fact, source=item.source, value=value[:500])
    item.fact = fact
    for card_item in item.children.all():
        if card_item.status != m.DraftStatus.PENDING:
            continue
        if card_item.pk in skip:
            _decide(card_item, m.DraftStatus.REJECTED, user)
            card_item.save()
            continue
        _accept_card(card_item, fact, topic, user)


def _accept_card(item: m.DraftItem, fact: m.Fact, topic: m.Topic, user) -> None:
    p = item.payload
    if p.get("format") == "basic":
        front, back = p.get("text", "").strip(), p.get("answer", "").strip()
        if not front or not back:
            raise DraftError("A basic card needs a front and a back.")
        fields = {"kind": m.CardKind.BASIC, "front": front, "back": back}
    else:
        text = p.get("text", "")
        if len(m.CLOZE_RE.findall(text)) != 1:
            raise DraftError("A cloze card needs exactly one {{c1::answer}} blank.")
        fields = {"kind": m.CardKind.CLOZE, "text": text}
    card = m.Flashcard.objects.create(
        slug=_slug("card", item.source, item.key, m.Flashcard), topic=topic,
        status=m.Status.PUBLISHED, **fields,
    )  # fmt: skip
    card.facts.add(fact)
    card.sources.add(item.source)
    item.card = card
    _decide(item, m.DraftStatus.ACCEPTED, user, topic)
    item.save()


def _accept_question(item: m.DraftItem, topic: m.Topic) -> None:
    p = item.payload
    kind = p.get("format")
    explanation = p.get("explanation") or "See the source article."
    question = m.Question(
        slug=_slug("q", item.source, item.key, m.Question), topic=topic, kind=kind,
        ask=p.get("ask", ""), stem=p.get("text", ""), explanation=explanation,
        status=m.Status.PUBLISHED,
    )  # fmt: skip
    if kind == "single":
        options = [o.strip() for o in p.get("options", [])]
        answer = (p.get("answer") or "").strip()
        if len(options) != 4 or len(set(options)) != 4 or options.count(answer) != 1:
            raise DraftError("A single-correct question needs four different options, one of "
                             "them the answer.")  # fmt: skip
        question.save()
        m.Choice.objects.bulk_create(
            m.Choice(question=question, order=i, text=o, is_correct=o == answer,
                     explanation="The value the article gives." if o == answer
                     else "Not the value the article gives.")
            for i, o in enumerate(options, start=1)
        )  # fmt: skip
    elif kind in ("statements", "assertion_reason"):
        rows = p.get("statements", [])
        _check_structure(kind, question.ask, [bool(s.get("true")) for s in rows], p, item.key)
        if kind == "assertion_reason":
            question.explains = bool(p.get("explains"))
        question.save()
        m.Statement.objects.bulk_create(
            m.Statement(question=question, order=i, text=s["text"], is_true=bool(s.get("true")),
                        explanation=s.get("explanation") or explanation)
            for i, s in enumerate(rows, start=1)
        )  # fmt: skip
    elif kind == "pairs":
        rows = p.get("pairs", [])
        _check_structure(kind, question.ask, [bool(r.get("correct")) for r in rows], p, item.key)
        columns = (p.get("columns") or ["", ""]) + ["", ""]
        question.column_left, question.column_right = columns[0][:100], columns[1][:100]
        question.save()
        m.Pair.objects.bulk_create(
            m.Pair(question=question, order=i, left=r["left"][:300], right=r["right"][:300],
                   is_correct=bool(r.get("correct")),
                   explanation=r.get("explanation") or explanation)
            for i, r in enumerate(rows, start=1)
        )  # fmt: skip
    else:
        raise DraftError(f"Unknown question format {kind!r}.")
    question.sources.add(item.source)
    fact = m.Fact.objects.filter(
        drafted_from__source=item.source, drafted_from__key=p.get("fact_key", "-")
    ).first()
    if fact:
        question.facts.add(fact)
    item.question = question


def _check_structure(kind: str, ask: str, truths: list[bool], p: dict, seed: str) -> None:
    if any(
        not (s.get("text") or s.get("left")) for s in p.get("statements", []) + p.get("pairs", [])
    ):
        raise DraftError("Every statement and pair needs its text.")
    try:
        formats.derive_options(kind, ask=ask, truths=truths, explains=p.get("explains"), seed=seed)
    except formats.FormatError as error:
        raise DraftError(error.message) from error


def _keywords(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][\w-]{3,}|\d[\d,.]*", text)
    stop = {"with", "that", "this", "from", "have", "which", "their", "there", "about", "also"}
    picked = [w.lower() for w in words if w.lower() not in stop]
    return list(dict.fromkeys(picked))[:4] or [text.split()[0].lower()]


def _accept_mains(item: m.DraftItem, topic: m.Topic) -> None:
    p = item.payload
    points = [t.strip() for t in p.get("points", []) if t.strip()]
    directive = p.get("directive") or "discuss"
    if directive not in m.Directive.values or not points or not p.get("text", "").strip():
        raise DraftError("A Mains question needs a directive word, a text and key points.")
    words, minutes = m.MAINS_FORMAT[15]
    mains = m.MainsQuestion.objects.create(
        slug=_slug("mains", item.source, item.key, m.MainsQuestion), topic=topic,
        directive=directive, marks=15, word_limit=words, minutes=minutes, text=p["text"].strip(),
        status=m.Status.PUBLISHED,
    )  # fmt: skip
    m.KeyPoint.objects.bulk_create(
        m.KeyPoint(question=mains, order=i, text=t, keywords=_keywords(t))
        for i, t in enumerate(points, start=1)
    )
    mains.sources.add(item.source)
    item.mains = mains


def _accept_outline(item: m.DraftItem, topic: m.Topic) -> None:
    body = item.payload.get("text", "").strip()
    if not body:
        raise DraftError("The outline is empty.")
    note = m.Note.objects.filter(topic=topic).first()
    if note is None:
        note = m.Note.objects.create(topic=topic, body=body)
    else:
        note.body = f"{note.body.rstrip()}\n\n## From “{item.source.title}”\n\n{body}\n"
        note.save(update_fields=["body", "updated_at"])
    note.sources.add(item.source)


@transaction.atomic
def draft_accept(*, item: m.DraftItem, topic: m.Topic, user=None, skip_cards=()) -> None:
    """Publish a pending draft (with its cards) under `topic`; DraftError changes nothing.

    Cards listed in `skip_cards` (pks) are rejected instead of published with their fact.
    """
    item = m.DraftItem.objects.select_for_update().select_related("source").get(pk=item.pk)
    if item.status != m.DraftStatus.PENDING:
        raise DraftError("This draft was already decided.")
    if item.kind == "fact":
        _accept_fact(item, topic, user, set(skip_cards))
    elif item.kind == "card":
        fact = item.parent.fact if item.parent else None
        if fact is None:
            raise DraftError("Accept the card's fact first.")
        _accept_card(item, fact, topic, user)
        search.reindex(topic)
        return
    elif item.kind == "question":
        _accept_question(item, topic)
    elif item.kind == "mains":
        _accept_mains(item, topic)
    else:
        _accept_outline(item, topic)
    _decide(item, m.DraftStatus.ACCEPTED, user, topic)
    item.save()
    search.reindex(topic)  # published now: searchable at once


@transaction.atomic
def draft_reject(*, item: m.DraftItem, user=None) -> None:
    """Reject a pending draft (and its cards): remembered, never generated again."""
    if item.status != m.DraftStatus.PENDING:
        raise DraftError("This draft was already decided.")
    for row in [item, *item.children.filter(status=m.DraftStatus.PENDING)]:
        _decide(row, m.DraftStatus.REJECTED, user)
        row.save()
