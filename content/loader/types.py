"""What the loader reads into and reports: errors, located items, parsed packs, the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from pydantic import BaseModel

from content import schema

KINDS = ("sources", "topics", "facts", "cards", "questions", "mains", "papers")


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
    papers: list[Located] = field(default_factory=list)  # test-series papers (loader.papers)
    # Ids of items that exist in the files but failed shape validation: references to them
    # are not reported again as "unknown" (their own error already says what is wrong).
    failed_ids: set[str] = field(default_factory=set)
    # Kinds ("topic", "fact", "source", …) of which a whole file could not be read: references
    # to that kind are not checked (each would only echo the unreadable file).
    unreadable: set[str] = field(default_factory=set)


@dataclass
class Summary:
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"created": 0, "updated": 0, "retired": 0} for k in KINDS}
    )
    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    # Items changed in the admin since their last load, left as they are (packfiles.drift.Drift)
    kept: list = field(default_factory=list)

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
        lines = [
            f"Pack content: {per_kind}.",
            f"{self.created} created, {self.updated} updated, {self.retired} retired.",
        ]
        if self.kept:
            lines.append(
                f"{len(self.kept)} item(s) changed in the admin since their last load were "
                "kept (load_content --take-files takes the files' version; export_content "
                "writes the admin's to the files):"
            )
            lines += [f"  {d.kind}: {d}" for d in self.kept]
        return lines


def default_pack_dirs() -> list[Path]:
    root = Path(settings.CONTENT_PACKS_DIR)
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "pack.yaml").exists())
