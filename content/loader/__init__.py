"""Content packs on disk → the database.

`load_packs()` reads every file of every pack, validates everything (shape with the pydantic
models in `content.schema`, then references, duplicates and derived options), and reports every
problem at once as `ContentError`s naming file, line, item and field. Only when nothing is wrong
does it write, in one transaction, in bulk: an idempotent upsert keyed by slug, so a second load
changes nothing and an item removed from the files becomes `retired` (never deleted).
"""

from __future__ import annotations

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
        return summary
    now = timezone.now()
    with transaction.atomic():
        for p in parsed:
            _write_pack(p, summary, now)
        papers.write_all(parsed, summary, now)
        rebuild_index()
    return summary
