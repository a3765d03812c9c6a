"""Content packs on disk → the database.

`load_packs()` reads every file of every pack, validates everything (shape with the pydantic
models in `content.schema`, then references, duplicates and derived options), and reports every
problem at once as `ContentError`s naming file, line, item and field. Only when nothing is wrong
does it write, in one transaction, in bulk: an idempotent upsert keyed by slug, so a second load
changes nothing and an item removed from the files becomes `retired` (never deleted).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from content.loader import papers
from content.loader.parse import read_pack
from content.loader.references import _check_references
from content.loader.types import (
    KINDS,
    ContentError,
    ContentInvalid,
    Located,
    ParsedPack,
    Summary,
    default_pack_dirs,
)
from content.loader.write import _write_pack
from content.packfiles import drift
from content.search import rebuild_index

__all__ = [
    "KINDS",
    "ContentError",
    "ContentInvalid",
    "Located",
    "ParsedPack",
    "Summary",
    "default_pack_dirs",
    "load_packs",
    "read_pack",
]


def load_packs(
    paths: list[Path] | None = None, *, check: bool = False, take_files: bool = False
) -> Summary:
    """Validate every pack in `paths` (default: all), then upsert them in one transaction.

    Raises ContentInvalid with every problem found; nothing is written in that case, nor
    when `check` is true. An item changed in the admin since its last load is left as it is
    and listed in `Summary.kept`, unless `take_files` or the item's `follow_file` is set.
    """
    paths = [Path(p) for p in (paths or default_pack_dirs())]
    errors: list[ContentError] = []
    parsed = []
    for path in paths:
        if not (path / "pack.yaml").exists():
            errors.append(ContentError(str(path), "", "", "not a content pack (no pack.yaml)"))
            continue
        pack = read_pack(path, errors)
        pack.papers = papers.read(path, errors, pack.failed_ids)
        parsed.append(pack)
    _check_references(parsed, errors)
    papers.check(parsed, errors)
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
            summary.items["papers"] += len(p.papers)
            summary.kept += drift.plan(p, take_files=take_files).kept  # what a load would keep
        return summary
    now = timezone.now()
    with transaction.atomic():
        plans = [drift.plan(p, take_files=take_files) for p in parsed]
        writable = [_without(p, plan.keep) for p, plan in zip(parsed, plans, strict=True)]
        for p, plan in zip(writable, plans, strict=True):
            _write_pack(p, summary, now, plan.keep)
        papers.write_all(writable, summary, now, [plan.keep for plan in plans])
        for plan in plans:
            drift.apply_stamps(plan)
            summary.kept += plan.kept
        rebuild_index()
    return summary


def _without(parsed: ParsedPack, keep: dict[str, set[str]]) -> ParsedPack:
    """The pack without the items the load must leave alone."""
    if not any(keep.values()):
        return parsed

    def kept(kind: str, located: list[Located]) -> list[Located]:
        return [loc for loc in located if loc.item.id not in keep[kind]]

    sources = [s for s in parsed.meta.sources if s.id not in keep["sources"]]
    return dataclasses.replace(
        parsed,
        meta=parsed.meta.model_copy(update={"sources": sources}),
        notes=[(loc, body) for loc, body in parsed.notes if loc.item.topic not in keep["topics"]],
        facts=kept("facts", parsed.facts),
        cards=kept("cards", parsed.cards),
        questions=kept("questions", parsed.questions),
        mains=kept("mains", parsed.mains),
        papers=kept("papers", parsed.papers),
    )
