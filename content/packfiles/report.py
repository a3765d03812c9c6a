"""The per-pack drift report the admin shows: the pack's files against the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.urls import reverse

from content import models as m
from content.loader import default_pack_dirs, papers, read_pack
from content.loader.references import _check_references
from content.loader.types import ContentError
from content.packfiles import drift
from content.packfiles.records import MODELS, fingerprint, from_db

ADMIN_NAMES = {kind: model._meta.model_name for kind, model in MODELS.items()}


@dataclass
class Report:
    pack: m.Pack
    folder: Path | None
    errors: list[ContentError] = field(default_factory=list)
    drift: list[drift.Drift] = field(default_factory=list)

    @property
    def by_state(self) -> list[tuple[str, list[drift.Drift]]]:
        """Differences grouped, the ones a load would keep first."""
        order = [drift.BOTH, drift.ADMIN, drift.ONLY_DB, drift.FILE, drift.NEW]
        groups = [(s, [d for d in self.drift if d.state == s]) for s in order]
        return [(drift.EXPLAIN[s], items) for s, items in groups if items]


def pack_folder(pack: m.Pack) -> Path | None:
    """The folder under content/packs/ whose pack.yaml names this pack."""
    for folder in default_pack_dirs():
        try:
            data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and data.get("slug") == pack.slug:
            return folder
    return None


def pack_report(pack: m.Pack) -> Report:
    """What differs between the pack's files and the database, item by item (or why the files
    cannot be compared: the problems load_content would report)."""
    report = Report(pack, pack_folder(pack))
    if report.folder is None:
        return report
    parsed = read_pack(report.folder, report.errors)
    parsed.papers = papers.read(report.folder, report.errors, parsed.failed_ids)
    _check_references([parsed], report.errors)
    if not report.errors and parsed.meta:
        report.drift = drift.plan(parsed).drift
    for d in report.drift:
        if d.pk:
            d.url = reverse(f"admin:content_{ADMIN_NAMES[d.kind]}_change", args=[d.pk])
    return report


def item_origin(obj) -> dict:
    """Where one item comes from and whether it was changed in the admin since its load."""
    kind = next(k for k, model in MODELS.items() if isinstance(obj, model))
    values, meta = from_db(kind, type(obj).objects.filter(pk=obj.pk))
    info = meta.get(obj.slug, {})
    changed = bool(info.get("loaded_fingerprint")) and (
        fingerprint(values[obj.slug]) != info["loaded_fingerprint"]
    )
    return {
        "file": obj.pack_file if "/" in obj.pack_file and not obj.pack_file.endswith("/") else "",
        "from_pack": bool(obj.pack_file),
        "pack": obj.pack,
        "item": obj.slug,
        "changed": changed,
        "follow": obj.follow_file,
    }
