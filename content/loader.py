"""Content packs on disk → the database.

`load_packs()` reads every file of every pack, validates everything (shape with the pydantic
models in `content.schema`, then references, duplicates and derived options), and reports every
problem at once as `ContentError`s naming file, line, item and field. Only when nothing is wrong
does it write, in one transaction, in bulk: an idempotent upsert keyed by slug, so a second load
changes nothing and an item removed from the files becomes `retired` (never deleted).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, TypeAdapter, ValidationError

from content import models as m
from content import schema

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = ("sources", "topics", "facts", "cards", "questions", "mains")


@dataclass(frozen=True)
class ContentError:
    file: str
    item: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.item or '-'}: {self.field or '-'}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} problem(s) in the content")
        self.errors = errors


@dataclass
class Located:
    """An item with where it came from."""

    item: BaseModel
    file: str
    line: int | None


@dataclass
class ParsedPack:
    root: Path
    meta: schema.PackFile | None = None
    notes: list[tuple[Located, str]] = field(default_factory=list)  # (front matter, body)
    facts: list[Located] = field(default_factory=list)
    cards: list[Located] = field(default_factory=list)
    questions: list[Located] = field(default_factory=list)
    mains: list[Located] = field(default_factory=list)
    # Ids of items that exist in the files but failed shape validation: references to them
    # are not reported again as "unknown" (their own error already says what is wrong).
    failed_ids: set[str] = field(default_factory=set)


@dataclass
class Summary:
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"created": 0, "updated": 0, "retired": 0} for k in KINDS}
    )
    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.counts.values())

    @property
    def retired(self) -> int:
        return sum(c["retired"] for c in self.counts.values())

    def lines(self) -> list[str]:
        per_kind = ", ".join(f"{n} {kind}" for kind, n in self.items.items())
        return [
            f"Pack content: {per_kind}.",
            f"{self.created} created, {self.updated} updated, {self.retired} retired.",
        ]


def default_pack_dirs() -> list[Path]:
    root = Path(settings.CONTENT_PACKS_DIR)
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "pack.yaml").exists())


# ---------------------------------------------------------------------------------------------
# Reading


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _yaml(path: Path, rel: str, errors: list[ContentError]):
    """Parse a YAML file; returns (data, line numbers of the top-level list items)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(ContentError(rel, "", "", f"not UTF-8 text ({exc.reason})"))
        return None, []
    try:
        # One parse gives both the data and the line of every item (libyaml when available).
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        errors.append(ContentError(rel, "", "", f"malformed YAML: {problem}", line))
        return None, []
    lines = []
    if isinstance(node, yaml.SequenceNode):
        lines = [child.start_mark.line + 1 for child in node.value]
    return data, lines


def _yaml_keys(value):
    """YAML 1.1 reads an unquoted `true:` key as the boolean True; the format means the word."""
    if isinstance(value, dict):
        return {
            ("true" if k is True else "false" if k is False else k): _yaml_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_yaml_keys(v) for v in value]
    return value


def _pydantic_errors(
    exc: ValidationError, rel: str, item_id: str, line: int | None
) -> list[ContentError]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
        # Discriminated unions put the kind name first in the path; it is noise to an author.
        if loc and loc[0] in {"single", "statements", "pairs", "assertion_reason"}:
            loc = loc[1:]
        loc = [f"[{p}]" if p.isdigit() else p for p in loc]
        message = err["msg"].removeprefix("Value error, ")
        field_name = ".".join(loc).replace(".[", "[")
        if not field_name and ": " in message:
            field_name, message = message.split(": ", 1)
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling against content/packs/README.md)"
        elif err["type"] == "union_tag_invalid":
            field_name = "kind"
            message = "kind must be one of single, statements, pairs, assertion_reason"
        out.append(ContentError(rel, item_id, field_name, message, line))
    return out


def _read_list(
    path: Path, root: Path, adapter, errors, into: list[Located], failed: set[str]
) -> None:
    rel = _rel(path, root)
    data, lines = _yaml(path, rel, errors)
    if data is None and not errors:
        return
    if data is None:
        return
    if not isinstance(data, list):
        errors.append(ContentError(rel, "", "", "the file must hold a YAML list of items"))
        return
    for index, raw in enumerate(data):
        line = lines[index] if index < len(lines) else None
        item_id = raw.get("id", f"item #{index + 1}") if isinstance(raw, dict) else ""
        if not isinstance(raw, dict):
            errors.append(ContentError(rel, f"item #{index + 1}", "", "not a mapping", line))
            continue
        try:
            into.append(Located(adapter.validate_python(_yaml_keys(raw)), rel, line))
        except ValidationError as exc:
            errors.extend(_pydantic_errors(exc, rel, str(item_id), line))
            failed.add(str(raw.get("id", "")))


def _read_note(path: Path, root: Path, errors, pack: ParsedPack) -> None:
    rel = _rel(path, root)
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        errors.append(
            ContentError(rel, "", "front matter", "no front matter: start the file with ---", 1)
        )
        return
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        errors.append(ContentError(rel, "", "front matter", "front matter is not closed with ---"))
        return
    head, body = parts[0][3:], parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    try:
        data = yaml.load(head, Loader=_YamlLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 2 if mark else None
        errors.append(ContentError(rel, "", "front matter", f"malformed YAML: {exc.problem}", line))
        return
    if not isinstance(data, dict):
        errors.append(ContentError(rel, "", "front matter", "front matter must be a mapping", 1))
        return
    try:
        front = schema.NoteFrontMatter.model_validate(data)
    except ValidationError as exc:
        errors.extend(_pydantic_errors(exc, rel, str(data.get("topic", "")), 1))
        pack.failed_ids.add(str(data.get("topic", "")))
        return
    if not body.strip():
        errors.append(ContentError(rel, front.topic, "body", "the note has no body"))
        return
    pack.notes.append((Located(front, rel, 1), body.strip() + "\n"))


_ADAPTERS = {
    "facts": TypeAdapter(schema.FactItem),
    "cards": TypeAdapter(schema.CardItem),
    "prelims": TypeAdapter(schema.QuestionItem),
    "mains": TypeAdapter(schema.MainsItem),
}


def read_pack(root: Path, errors: list[ContentError]) -> ParsedPack:
    pack = ParsedPack(root=root)
    meta_path = root / "pack.yaml"
    rel = _rel(meta_path, root)
    if not meta_path.exists():
        errors.append(ContentError(rel, "", "", "pack.yaml is missing"))
    else:
        data, _ = _yaml(meta_path, rel, errors)
        if data is not None:
            try:
                pack.meta = schema.PackFile.model_validate(data)
            except ValidationError as exc:
                errors.extend(_pydantic_errors(exc, rel, "", None))
                for raw in data.get("sources") or [] if isinstance(data, dict) else []:
                    if isinstance(raw, dict):
                        pack.failed_ids.add(str(raw.get("id", "")))
    for path in sorted((root / "notes").glob("*.md")):
        _read_note(path, root, errors, pack)
    for folder, target in (
        ("facts", pack.facts),
        ("cards", pack.cards),
        ("prelims", pack.questions),
        ("mains", pack.mains),
    ):
        for path in sorted((root / folder).glob("*.y*ml")):
            _read_list(path, root, _ADAPTERS[folder], errors, target, pack.failed_ids)
    return pack


# ---------------------------------------------------------------------------------------------
# Cross-item validation


def _check_references(packs: list[ParsedPack], errors: list[ContentError]) -> None:
    """Duplicates across the packs, unknown topic/source/fact references."""
    loading = [p.meta.slug for p in packs if p.meta]
    sources = set(m.Source.objects.exclude(pack__slug__in=loading).values_list("slug", flat=True))
    topics = set(m.Topic.objects.exclude(pack__slug__in=loading).values_list("slug", flat=True))
    facts = set(m.Fact.objects.exclude(pack__slug__in=loading).values_list("slug", flat=True))
    seen: dict[str, dict[str, str]] = defaultdict(dict)

    def unique(kind: str, slug: str, where: Located | None, rel: str, line=None) -> None:
        if slug in seen[kind]:
            errors.append(
                ContentError(
                    rel, slug, "id", f"duplicate id: also used in {seen[kind][slug]}", line
                )
            )
        else:
            seen[kind][slug] = rel + (f":{line}" if line else "")

    for pack in packs:
        for known in (sources, topics, facts):
            known |= pack.failed_ids
        if pack.meta:
            for s in pack.meta.sources:
                unique("source", s.id, None, _rel(pack.root / "pack.yaml", pack.root))
                sources.add(s.id)
        for note, _ in pack.notes:
            unique("topic", note.item.topic, note, note.file)
            topics.add(note.item.topic)
        for f in pack.facts:
            unique("fact", f.item.id, f, f.file, f.line)
            facts.add(f.item.id)

    def refs(loc: Located, field_name: str, values, known: set[str], what: str) -> None:
        for value in values:
            if value not in known:
                errors.append(
                    ContentError(
                        loc.file,
                        getattr(loc.item, "id", ""),
                        field_name,
                        f"unknown {what} {value!r}",
                        loc.line,
                    )  # fmt: skip
                )

    for pack in packs:
        for note, _ in pack.notes:
            refs(note, "sources", note.item.sources, sources, "source")
        for f in pack.facts:
            refs(f, "topic", [f.item.topic], topics, "topic")
            refs(f, "claims.source", [c.source for c in f.item.claims], sources, "source")
        for kind, items in (("card", pack.cards), ("question", pack.questions)):
            for loc in items:
                unique(kind, loc.item.id, loc, loc.file, loc.line)
                refs(loc, "topic", [loc.item.topic], topics, "topic")
                refs(loc, "facts", loc.item.facts, facts, "fact")
                refs(loc, "sources", loc.item.sources, sources, "source")
                if not loc.item.facts and not loc.item.sources:
                    errors.append(
                        ContentError(
                            loc.file,
                            loc.item.id,
                            "sources",
                            "cite at least one source (sources) or fact (facts)",
                            loc.line,
                        )  # fmt: skip
                    )
        for loc in pack.mains:
            unique("mains", loc.item.id, loc, loc.file, loc.line)
            refs(loc, "topic", [loc.item.topic], topics, "topic")
            refs(loc, "facts", loc.item.facts, facts, "fact")
            refs(loc, "sources", loc.item.sources, sources, "source")
            if not loc.item.facts and not loc.item.sources:
                errors.append(
                    ContentError(
                        loc.file, loc.item.id, "sources", "cite at least one source", loc.line
                    )
                )

    # A slug is unique per model in the database: it must not belong to another pack.
    for kind, model, slugs in (
        ("topic", m.Topic, seen["topic"]),
        ("fact", m.Fact, seen["fact"]),
        ("card", m.Flashcard, seen["card"]),
        ("question", m.Question, seen["question"]),
        ("mains", m.MainsQuestion, seen["mains"]),
        ("source", m.Source, seen["source"]),
    ):
        taken = model.objects.filter(slug__in=list(slugs)).exclude(pack__slug__in=loading)
        for slug, pack_slug in taken.values_list("slug", "pack__slug"):
            errors.append(
                ContentError(
                    slugs[slug], slug, "id", f"{kind} id already belongs to pack {pack_slug!r}"
                )
            )


# ---------------------------------------------------------------------------------------------
# Writing


class _Writer:
    """Bulk upsert of one pack's items, counting what changed."""

    def __init__(self, pack: m.Pack, summary: Summary, now: dt.datetime):
        self.pack = pack
        self.summary = summary
        self.now = now
        self.created: dict[str, set] = defaultdict(set)
        self.changed: set = set()

    def upsert(self, kind: str | None, model, rows: dict, key: str = "slug") -> dict:
        """Create missing rows, update changed ones, retire the pack's rows not in `rows`.

        Counts creations and retirements under `kind` (None: not counted); the slugs of
        updated rows are left in `self.changed` for the caller to combine with child changes.
        """
        counts = self.summary.counts[kind] if kind else {"created": 0, "retired": 0}
        if kind:
            self.summary.items[kind] += len(rows)
        existing = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": rows})}
        create, update, changed_fields = [], [], set()
        for slug, fields in rows.items():
            obj = existing.get(slug)
            if obj is None:
                create.append(model(**{key: slug}, **fields))
                continue
            diff = [f for f, v in fields.items() if getattr(obj, f) != v]
            if diff:
                for f in diff:
                    setattr(obj, f, fields[f])
                update.append(obj)
                changed_fields.update(diff)
        model.objects.bulk_create(create)
        if update:
            if hasattr(model, "updated_at"):
                for obj in update:
                    obj.updated_at = self.now
                changed_fields.add("updated_at")
            model.objects.bulk_update(update, sorted(changed_fields))
        counts["created"] += len(create)
        if kind:
            self.created[kind] |= {getattr(o, key) for o in create}
        self.changed = {getattr(o, key) for o in update}
        if hasattr(model, "status") and key == "slug":
            stale = model.objects.filter(pack=self.pack).exclude(slug__in=rows)
            counts["retired"] += stale.exclude(status=m.Status.RETIRED).update(
                status=m.Status.RETIRED, updated_at=self.now
            )
        return {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": rows})}

    def set_m2m(self, objs: dict, attr: str, wanted: dict[str, set[int]]) -> set[str]:
        """Make each object's M2M `attr` equal to `wanted[slug]` (target pks); returns changed."""
        if not objs:
            return set()
        relation = getattr(next(iter(objs.values())).__class__, attr)
        through = relation.through
        source_field = relation.field.m2m_field_name() + "_id"
        target_field = relation.field.m2m_reverse_field_name() + "_id"
        by_pk = {o.pk: slug for slug, o in objs.items()}
        current: dict[str, set[int]] = defaultdict(set)
        for src, dst in through.objects.filter(**{f"{source_field}__in": by_pk}).values_list(
            source_field, target_field
        ):
            current[by_pk[src]].add(dst)
        changed, add, remove = set(), [], []
        for slug, obj in objs.items():
            want, have = wanted.get(slug, set()), current.get(slug, set())
            if want != have:
                changed.add(slug)
                add += [through(**{source_field: obj.pk, target_field: t}) for t in want - have]
                remove += [(obj.pk, t) for t in have - want]
        through.objects.bulk_create(add)
        for src, dst in remove:
            through.objects.filter(**{source_field: src, target_field: dst}).delete()
        return changed

    def replace_children(
        self, objs: dict, model, fk: str, wanted: dict[str, list[dict]], fields: list[str]
    ) -> set[str]:
        """Children without history of their own (choices, statements, pairs, claims):
        when a parent's list differs, delete and recreate that parent's rows."""
        by_pk = {o.pk: slug for slug, o in objs.items()}
        current: dict[str, list[tuple]] = defaultdict(list)
        for row in (
            model.objects.filter(**{f"{fk}__in": by_pk}).order_by("pk").values(f"{fk}_id", *fields)
        ):
            current[by_pk[row[f"{fk}_id"]]].append(tuple(row[f] for f in fields))
        changed = {
            slug
            for slug in objs
            if [tuple(r[f] for f in fields) for r in wanted.get(slug, [])] != current.get(slug, [])
        }
        if changed:
            model.objects.filter(**{f"{fk}__in": [objs[s] for s in changed]}).delete()
            model.objects.bulk_create(
                [model(**{fk: objs[s]}, **row) for s in sorted(changed) for row in wanted[s]]
            )
        return changed

    def note_updates(self, kind: str, *changed_sets: set[str]) -> None:
        """Count items updated by field, M2M or child changes once each."""
        changed = set().union(*changed_sets) - self.created[kind]
        self.summary.counts[kind]["updated"] += len(changed)


def _date_fields(value) -> dict:
    parsed = schema.parse_partial_date(value)
    if not parsed:
        return {"date": None, "date_precision": m.DatePrecision.DAY}
    return {"date": parsed[0], "date_precision": parsed[1]}


def _write_pack(parsed: ParsedPack, summary: Summary, now: dt.datetime) -> None:
    meta = parsed.meta
    pack, _ = m.Pack.objects.update_or_create(
        slug=meta.slug,
        defaults={"title": meta.title, "description": meta.description, "loaded_at": now},
    )
    w = _Writer(pack, summary, now)

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
            keywords = list(point.keywords)
            kp = have.pop(order, None)
            if kp is None:
                create.append(
                    m.KeyPoint(question=question, order=order, text=point.text, keywords=keywords)
                )
                changed.add(slug)
            elif kp.text != point.text or kp.keywords != keywords:
                kp.text, kp.keywords = point.text, keywords
                update.append(kp)
                changed.add(slug)
        if have:
            delete += [kp.pk for kp in have.values()]
            changed.add(slug)
    m.KeyPoint.objects.bulk_create(create)
    m.KeyPoint.objects.bulk_update(update, ["text", "keywords"])
    m.KeyPoint.objects.filter(pk__in=delete).delete()
    return changed


# ---------------------------------------------------------------------------------------------
# Entry point


def load_packs(paths: list[Path] | None = None, *, check: bool = False) -> Summary:
    """Validate every pack in `paths` (default: all), then upsert them in one transaction.

    Raises ContentInvalid with every problem found; nothing is written in that case, nor
    when `check` is true.
    """
    paths = [Path(p) for p in (paths or default_pack_dirs())]
    errors: list[ContentError] = []
    parsed = []
    for path in paths:
        if not (path / "pack.yaml").exists():
            errors.append(ContentError(str(path), "", "", "not a content pack (no pack.yaml)"))
            continue
        parsed.append(read_pack(path, errors))
    _check_references(parsed, errors)
    if errors:
        raise ContentInvalid(errors)
    summary = Summary()
    if check:
        for p in parsed:
            summary.items["sources"] += len(p.meta.sources)
            summary.items["topics"] += len(p.notes)
            summary.items["facts"] += len(p.facts)
            summary.items["cards"] += len(p.cards)
            summary.items["questions"] += len(p.questions)
            summary.items["mains"] += len(p.mains)
        return summary
    now = timezone.now()
    with transaction.atomic():
        for p in parsed:
            _write_pack(p, summary, now)
    return summary
