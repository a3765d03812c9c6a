"""A pack's items as plain values, from the files and from the database, in one shape.

A record holds what the loader writes into an item (fields, the slugs it cites, its options,
claims or key points), keyed by the file's field names and with references as slugs, so the
two sides compare field by field and hash alike. `Record` per kind: {slug: values}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from content import models as m
from content import schema

if TYPE_CHECKING:  # content.loader imports this module
    from content.loader.types import ParsedPack

Records = dict[str, dict[str, dict]]  # kind → slug → values

MODELS = {
    "sources": m.Source,
    "topics": m.Topic,
    "facts": m.Fact,
    "cards": m.Flashcard,
    "questions": m.Question,
    "mains": m.MainsQuestion,
    "papers": m.Paper,
}


def content_items(model):
    """The model's content items: never a learner's own card (`owner` set), which no pack or
    export holds."""
    if any(f.name == "owner" for f in model._meta.fields):
        return model.objects.filter(owner__isnull=True)
    return model.objects.all()


def fingerprint(values: dict) -> str:
    """A stable hash of one record."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def date_text(date: dt.date | None, precision: str) -> str | None:
    """A partial date as the file writes it: '2014', '2014-09' or '2014-09-01'."""
    if date is None:
        return None
    if precision == m.DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == m.DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _partial(value) -> str | None:
    parsed = schema.parse_partial_date(value)
    return date_text(*parsed) if parsed else None


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


# ---------------------------------------------------------------------------------------------
# From the files


def implied_sources(parsed: ParsedPack) -> dict[str, set[str]]:
    """Fact slug → the sources an item citing it cites through it (the loader's rule: the
    agreeing claims' sources, or every claim's when none agrees; other packs' facts from the
    database)."""
    out: dict[str, set[str]] = defaultdict(set)
    for loc in parsed.facts:
        claims = loc.item.claims
        out[loc.item.id] = {c.source for c in claims if c.agrees} or {c.source for c in claims}
    others = m.Claim.objects.filter(agrees=True).exclude(fact__slug__in=list(out))
    for fact, source in others.values_list("fact__slug", "source__slug"):
        out[fact].add(source)
    return out


def from_files(parsed: ParsedPack) -> tuple[Records, dict[str, dict[str, str]]]:
    """(records, files): every item of a parsed pack, and the file each comes from."""
    recs: Records = {kind: {} for kind in MODELS}
    files: dict[str, dict[str, str]] = {kind: {} for kind in MODELS}
    meta_file = f"{parsed.root.name}/pack.yaml"
    for s in parsed.meta.sources:
        recs["sources"][s.id] = {
            "title": s.title, "publisher": s.publisher, "author": s.author,
            "date": _partial(s.date), "url": s.url, "file": s.file, "notes": s.notes,
        }  # fmt: skip
        files["sources"][s.id] = meta_file
    for loc, body in parsed.notes:
        n = loc.item
        recs["topics"][n.topic] = {
            "title": n.title, "order": n.order, "summary": n.summary,
            "sources": sorted(set(n.sources)), "status": n.status, "body": body,
        }  # fmt: skip
        files["topics"][n.topic] = loc.file
    implied = implied_sources(parsed)

    def cited(it) -> dict:
        facts = sorted(set(it.facts))
        sources = set(it.sources).union(*(implied[f] for f in facts))
        return {"facts": facts, "sources": sorted(sources)}

    for loc in parsed.facts:
        f = loc.item
        recs["facts"][f.id] = {
            "topic": f.topic, "statement": f.statement, "value": f.value, "kind": f.kind,
            "date": _partial(f.date),
            "claims": [
                {"source": c.source, "value": c.value, "agrees": c.agrees} for c in f.claims
            ],
            "resolution": f.resolution, "status": f.status,
        }  # fmt: skip
    for loc in parsed.cards:
        c = loc.item
        recs["cards"][c.id] = {
            "topic": c.topic, "kind": c.kind, "front": c.front, "back": c.back, "text": c.text,
            **cited(c), "status": c.status,
        }  # fmt: skip
    for loc in parsed.questions:
        recs["questions"][loc.item.id] = _question(loc.item) | cited(loc.item)
    for loc in parsed.mains:
        q = loc.item
        recs["mains"][q.id] = {
            "topic": q.topic, "directive": q.directive, "marks": q.marks, "question": q.question,
            "key_points": [
                {"text": p.text, "keywords": list(p.keywords), "synonyms": list(p.synonyms)}
                for p in q.key_points
            ],
            "outline": {
                "intro": q.outline.intro, "body": list(q.outline.body),
                "conclusion": q.outline.conclusion,
            },
            "model_answer": q.model_answer.strip(), **cited(q), "status": q.status,
        }  # fmt: skip
    for loc in parsed.papers:
        p = loc.item
        recs["papers"][p.id] = {
            "title": p.title, "family": p.family, "order": p.order,
            "description": p.description.strip(), "minutes": p.minutes, "marking": p.marking,
            "cutoff": _decimal(p.cutoff), "cutoff_note": p.cutoff_note.strip(),
            "opens": _moment(p.opens), "closes": _moment(p.closes),
            "questions": list(p.questions), "status": p.status,
        }  # fmt: skip
    for kind, located in (
        ("facts", parsed.facts), ("cards", parsed.cards), ("questions", parsed.questions),
        ("mains", parsed.mains), ("papers", parsed.papers),
    ):  # fmt: skip
        for loc in located:
            files[kind][loc.item.id] = loc.file
    return recs, files


def _question(q) -> dict:
    statements = (
        [q.statement_1, q.statement_2]
        if isinstance(q, schema.AssertionReasonQuestion)
        else list(getattr(q, "statements", []))
    )
    return {
        "topic": q.topic, "kind": q.kind, "ask": getattr(q, "ask", ""),
        "difficulty": q.difficulty, "stem": q.stem,
        "columns": list(getattr(q, "columns", None) or []),
        "explains": getattr(q, "explains", None),
        "choices": [
            {"text": c.text, "correct": c.correct, "explanation": c.explanation}
            for c in getattr(q, "choices", [])
        ],
        "statements": [
            {"text": s.text, "true": s.true, "explanation": s.explanation} for s in statements
        ],
        "pairs": [
            {"left": p.left, "right": p.right, "correct": p.correct, "explanation": p.explanation}
            for p in getattr(q, "pairs", [])
        ],
        "explanation": q.explanation, "status": q.status,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# From the database


def implied_source_pks(facts) -> set[int]:
    """The sources an item citing `facts` cites through them (the loader's rule), for the
    admin: an item made there cites what the same item loaded from a file would."""
    claims: dict[int, dict[bool, set[int]]] = defaultdict(lambda: {True: set(), False: set()})
    for fact, source, agrees in m.Claim.objects.filter(fact__in=facts).values_list(
        "fact_id", "source_id", "agrees"
    ):
        claims[fact][agrees].add(source)
    return set().union(*(c[True] or c[False] for c in claims.values()))


META = ("pk", "slug", "pack_id", "pack_file", "loaded_fingerprint", "follow_file")


def _m2m(model, attr: str, pks: list[int]) -> dict[int, list[str]]:
    """Object pk → sorted slugs of its M2M `attr` (facts or sources)."""
    relation = getattr(model, attr)
    src = relation.field.m2m_field_name()
    dst = relation.field.m2m_reverse_field_name()
    out: dict[int, list[str]] = defaultdict(list)
    rows = relation.through.objects.filter(**{f"{src}_id__in": pks})
    for pk, slug in rows.values_list(f"{src}_id", f"{dst}__slug"):
        out[pk].append(slug)
    return {pk: sorted(slugs) for pk, slugs in out.items()}


def _children(model, fk: str, pks: list[int], fields: dict[str, str]) -> dict[int, list[dict]]:
    """Parent pk → its child rows in order, as {file name: value}."""
    out: dict[int, list[dict]] = defaultdict(list)
    rows = model.objects.filter(**{f"{fk}_id__in": pks}).order_by(
        *(["order"] if any(f.name == "order" for f in model._meta.fields) else []), "pk"
    )
    for row in rows.values(f"{fk}_id", *fields.values()):
        out[row[f"{fk}_id"]].append({name: row[col] for name, col in fields.items()})
    return out


def from_db(kind: str, queryset) -> tuple[dict[str, dict], dict[str, dict]]:
    """(records, meta) of the items of `queryset` (a queryset of MODELS[kind]): meta holds
    each item's pk, pack and provenance fields by slug."""
    rows = list(queryset.values(*META, *_COLUMNS[kind]))
    pks = [r["pk"] for r in rows]
    extra = _EXTRA[kind](pks) if pks else {}
    recs, meta = {}, {}
    for row in rows:
        meta[row["slug"]] = {k: row[k] for k in META}
        recs[row["slug"]] = _BUILD[kind](
            row, {name: v.get(row["pk"], []) for name, v in extra.items()}
        )
    return recs, meta


def _cites(model, pks):
    """Facts and sources an item cites. Its sources include its facts' (as the loader writes
    them), also for an item made in the admin, where only the facts were chosen."""
    facts, sources = _m2m(model, "facts", pks), _m2m(model, "sources", pks)
    claims: dict[str, dict[bool, set[str]]] = defaultdict(lambda: {True: set(), False: set()})
    cited = {slug for slugs in facts.values() for slug in slugs}
    rows = m.Claim.objects.filter(fact__slug__in=cited) if cited else m.Claim.objects.none()
    for fact, source, agrees in rows.values_list("fact__slug", "source__slug", "agrees"):
        claims[fact][agrees].add(source)
    for pk, slugs in facts.items():
        implied = [claims[f][True] or claims[f][False] for f in slugs]
        sources[pk] = sorted(set(sources.get(pk, [])).union(*implied))
    return {"facts": facts, "sources": sources}


_COLUMNS = {
    "sources": ("title", "publisher", "author", "date", "date_precision", "url", "file", "notes"),
    "topics": ("title", "order", "summary", "status", "note__body", "note__pk"),
    "facts": ("topic__slug", "statement", "value", "kind", "date", "date_precision",
              "resolution", "status"),
    "cards": ("topic__slug", "kind", "front", "back", "text", "status"),
    "questions": ("topic__slug", "kind", "ask", "difficulty", "stem", "column_left",
                  "column_right", "explains", "explanation", "status"),
    "mains": ("topic__slug", "directive", "marks", "text", "outline_intro", "outline_body",
              "outline_conclusion", "model_answer", "status"),
    "papers": ("title", "family", "order", "description", "minutes", "marking", "cutoff_marks",
               "cutoff_note", "opens_at", "closes_at", "status"),
}  # fmt: skip


def _topic_sources(pks):
    note_sources = m.Note.sources.through.objects.filter(note__topic_id__in=pks)
    out: dict[int, list[str]] = defaultdict(list)
    for pk, slug in note_sources.values_list("note__topic_id", "source__slug"):
        out[pk].append(slug)
    return {"sources": {pk: sorted(v) for pk, v in out.items()}}


_EXTRA = {
    "sources": lambda pks: {},
    "topics": _topic_sources,
    "facts": lambda pks: {
        "claims": _children(
            m.Claim, "fact", pks, {"source": "source__slug", "value": "value", "agrees": "agrees"}
        )
    },
    "cards": lambda pks: _cites(m.Flashcard, pks),
    "questions": lambda pks: _cites(m.Question, pks)
    | {
        "choices": _children(
            m.Choice, "question", pks,
            {"text": "text", "correct": "is_correct", "explanation": "explanation"},
        ),
        "statements": _children(
            m.Statement, "question", pks,
            {"text": "text", "true": "is_true", "explanation": "explanation"},
        ),
        "pairs": _children(
            m.Pair, "question", pks,
            {"left": "left", "right": "right", "correct": "is_correct",
             "explanation": "explanation"},
        ),
    },
    "mains": lambda pks: _cites(m.MainsQuestion, pks)
    | {
        "key_points": _children(
            m.KeyPoint, "question", pks,
            {"text": "text", "keywords": "keywords", "synonyms": "synonyms"},
        )
    },
    "papers": lambda pks: {
        "questions": {
            pk: [q["slug"] for q in qs]
            for pk, qs in _children(
                m.PaperQuestion, "paper", pks, {"slug": "question__slug"}
            ).items()
        }
    },
}  # fmt: skip

_BUILD = {
    "sources": lambda r, x: {
        "title": r["title"], "publisher": r["publisher"], "author": r["author"],
        "date": date_text(r["date"], r["date_precision"]), "url": r["url"], "file": r["file"],
        "notes": r["notes"],
    },
    "topics": lambda r, x: {
        "title": r["title"], "order": r["order"], "summary": r["summary"],
        "sources": x["sources"], "status": r["status"], "body": r["note__body"] or "",
    },
    "facts": lambda r, x: {
        "topic": r["topic__slug"], "statement": r["statement"], "value": r["value"],
        "kind": r["kind"], "date": date_text(r["date"], r["date_precision"]),
        "claims": x["claims"], "resolution": r["resolution"], "status": r["status"],
    },
    "cards": lambda r, x: {
        "topic": r["topic__slug"], "kind": r["kind"], "front": r["front"], "back": r["back"],
        "text": r["text"], "facts": x["facts"], "sources": x["sources"], "status": r["status"],
    },
    "questions": lambda r, x: {
        "topic": r["topic__slug"], "kind": r["kind"], "ask": r["ask"],
        "difficulty": r["difficulty"], "stem": r["stem"],
        "columns": [r["column_left"], r["column_right"]] if r["column_left"] else [],
        "explains": r["explains"], "choices": x["choices"], "statements": x["statements"],
        "pairs": x["pairs"], "explanation": r["explanation"], "status": r["status"],
        "facts": x["facts"], "sources": x["sources"],
    },
    "mains": lambda r, x: {
        "topic": r["topic__slug"], "directive": r["directive"], "marks": r["marks"],
        "question": r["text"], "key_points": x["key_points"],
        "outline": {
            "intro": r["outline_intro"], "body": list(r["outline_body"] or []),
            "conclusion": r["outline_conclusion"],
        },
        "model_answer": r["model_answer"], "facts": x["facts"], "sources": x["sources"],
        "status": r["status"],
    },
    "papers": lambda r, x: {
        "title": r["title"], "family": r["family"], "order": r["order"],
        "description": r["description"], "minutes": r["minutes"], "marking": r["marking"],
        "cutoff": _decimal(r["cutoff_marks"]), "cutoff_note": r["cutoff_note"],
        "opens": _moment(r["opens_at"]), "closes": _moment(r["closes_at"]),
        "questions": x["questions"], "status": r["status"],
    },
}  # fmt: skip
