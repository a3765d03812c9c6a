"""Cross-item validation: duplicates across packs, unknown topic/source/fact references."""

from __future__ import annotations

from collections import defaultdict

from content import models as m
from content import schema
from content.loader.parse import _rel
from content.loader.types import ContentError, Located, ParsedPack


def _check_references(packs: list[ParsedPack], errors: list[ContentError]) -> None:
    """Duplicates across the packs, unknown topic/source/fact references."""
    loading = [p.meta.slug for p in packs if p.meta]
    sources = set(m.Source.objects.exclude(pack__slug__in=loading).values_list("slug", flat=True))
    topics = set(m.Topic.objects.exclude(pack__slug__in=loading).values_list("slug", flat=True))
    facts = set(m.Fact.objects.exclude(pack__slug__in=loading).values_list("slug", flat=True))
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    # Root cause first: when a whole file could not be read, references to its kind are not
    # reported one by one (each would only echo that file's error); one line says so.
    unreadable = set().union(*(p.unreadable for p in packs)) if packs else set()
    unchecked: dict[str, int] = defaultdict(int)

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
            if value not in known and what in unreadable:
                unchecked[what] += 1
            elif value not in known:
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
            cited = schema.CITATION_RE.findall(loc.item.model_answer)
            for slug in dict.fromkeys(cited):
                if slug in sources or slug in facts:
                    continue
                if unreadable & {"source", "fact"}:
                    unchecked["citation"] += 1
                else:
                    errors.append(
                        ContentError(
                            loc.file,
                            loc.item.id,
                            "model_answer",
                            f"[{slug}] cites no source or fact of the packs",
                            loc.line,
                        )  # fmt: skip
                    )

    if unchecked:
        counted = ", ".join(f"{n} {what}" for what, n in sorted(unchecked.items()))
        errors.append(
            ContentError(
                "(references)",
                "",
                "",
                f"not checked until the unreadable file(s) above are "
                f"fixed: {counted} reference(s) to items they may hold",
            )  # fmt: skip
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
