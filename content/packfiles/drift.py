"""Where a pack's database content and its files differ, and what a load will do about it.

`plan()` compares the records of one parsed pack (`records.from_files`) with the database
(`records.from_db`) and says, item by item: new in the files, changed in the files (the next
load updates the item), changed in the admin since the last load (the next load keeps it and
reports it, unless told to take the files), or only in the database (made in the admin, or
gone from the files). The loader writes by the plan; the admin's drift report shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from content import models as m
from content.loader.types import ParsedPack
from content.packfiles.records import MODELS, content_items, fingerprint, from_db, from_files

# A legacy item (loaded before fingerprints were stored) saved this long after its pack's last
# load was saved in the admin: the loader's own writes finish well within it.
LEGACY_GRACE = dt.timedelta(minutes=5)

NEW, FILE, ADMIN, BOTH, ONLY_DB = "new", "file", "admin", "both", "db"
EXPLAIN = {
    NEW: "new in the files: the next load creates it",
    FILE: "changed in the files: the next load updates the database",
    ADMIN: "changed in the admin: the next load keeps it and reports it; export_content "
    "writes it to the file",
    BOTH: "changed in the admin and in the files: the next load keeps the admin's version; "
    "load_content --take-files takes the file's",
    ONLY_DB: "only in the database: export_content writes it to the file",
}


@dataclass
class Drift:
    kind: str
    slug: str
    file: str
    state: str
    fields: list[str] = field(default_factory=list)
    pk: int | None = None  # the database item, if there is one
    url: str = ""  # its admin page (set by the drift report)

    @property
    def explanation(self) -> str:
        return EXPLAIN[self.state]

    def __str__(self) -> str:
        fields = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.file or '-'}: {self.slug}{fields}: {self.explanation}"


@dataclass
class Plan:
    """What a load of one pack does: `keep` holds, per kind, the slugs it must leave alone;
    `drift` lists every difference; `stamp` the provenance each file item gets."""

    pack: m.Pack | None
    drift: list[Drift] = field(default_factory=list)
    keep: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in MODELS})
    stamp: dict[str, dict[str, dict]] = field(default_factory=lambda: {k: {} for k in MODELS})

    @property
    def kept(self) -> list[Drift]:
        return [d for d in self.drift if d.state in (ADMIN, BOTH)]


def _changed_in_admin(info: dict, values: dict, loaded_at, updated_at) -> bool:
    if info["loaded_fingerprint"]:
        return fingerprint(values) != info["loaded_fingerprint"]
    if not info["pack_file"]:
        return True  # made in the admin, never loaded: the admin's version is the one
    # Loaded before fingerprints were stored: changed if saved well after the pack's load.
    return bool(updated_at and loaded_at and updated_at > loaded_at + LEGACY_GRACE)


def plan(parsed: ParsedPack, *, take_files: bool = False) -> Plan:
    """Compare one parsed (valid) pack with the database."""
    pack = m.Pack.objects.filter(slug=parsed.meta.slug).first()
    result = Plan(pack)
    file_recs, files = from_files(parsed)
    loaded_at = pack.loaded_at if pack else None
    for kind, model in MODELS.items():
        wanted = Q(slug__in=list(file_recs[kind]))
        if pack:
            wanted |= Q(pack=pack) & ~(Q(pack_file="") & _retired(model))
        db_recs, meta = from_db(kind, content_items(model).filter(wanted))
        legacy = [s for s, i in meta.items() if i["pack_file"] and not i["loaded_fingerprint"]]
        updated = _updated_at(model, legacy, loaded_at) if legacy else {}
        for slug, values in file_recs[kind].items():
            stamp = {"pack_file": files[kind][slug], "loaded_fingerprint": fingerprint(values)}
            result.stamp[kind][slug] = stamp
            if slug not in db_recs:
                result.drift.append(Drift(kind, slug, files[kind][slug], NEW))
                continue
            info, have = meta[slug], db_recs[slug]
            stamp["pk"] = info["pk"]
            stamp["stale"] = (
                any(info[k] != v for k, v in stamp.items() if k in info) or (info["follow_file"])
            )
            if have == values:
                continue
            fields = [k for k in values if values[k] != have.get(k)]
            admin = _changed_in_admin(info, have, loaded_at, updated.get(slug))
            if admin and not (take_files or info["follow_file"]):
                file_changed = bool(info["loaded_fingerprint"]) and (
                    info["loaded_fingerprint"] != stamp["loaded_fingerprint"]
                )
                state = BOTH if file_changed else ADMIN
                result.keep[kind].add(slug)
                result.drift.append(Drift(kind, slug, files[kind][slug], state, fields, info["pk"]))
            else:
                result.drift.append(Drift(kind, slug, files[kind][slug], FILE, fields, info["pk"]))
        for slug in sorted(db_recs.keys() - file_recs[kind].keys()):
            info = meta[slug]
            if info["pack_file"] and not take_files and not info["follow_file"]:
                admin = _changed_in_admin(info, db_recs[slug], loaded_at, updated.get(slug))
                if not admin:
                    continue  # gone from the files: the load retires it
                result.keep[kind].add(slug)
            result.drift.append(Drift(kind, slug, info["pack_file"], ONLY_DB, [], info["pk"]))
    return result


def _retired(model) -> Q:
    return Q(status=m.Status.RETIRED) if hasattr(model, "status") else Q(pk__in=[])


def _updated_at(model, slugs, loaded_at) -> dict:
    if loaded_at is None or not hasattr(model, "updated_at"):
        return {}
    return dict(model.objects.filter(slug__in=slugs).values_list("slug", "updated_at"))


def apply_stamps(result: Plan) -> None:
    """After the load: record, on every item it wrote from the files, the file it came from and
    the fingerprint of the values it wrote (items kept as edited in the admin keep theirs)."""
    for kind, model in MODELS.items():
        stamps = {s: v for s, v in result.stamp[kind].items() if s not in result.keep[kind]}
        new = [s for s, v in stamps.items() if "pk" not in v]
        pks = dict(model.objects.filter(slug__in=new).values_list("slug", "pk"))
        rows = [
            model(
                pk=v.get("pk") or pks[slug],
                pack_file=v["pack_file"],
                loaded_fingerprint=v["loaded_fingerprint"],
                follow_file=False,
            )
            for slug, v in stamps.items()
            if "pk" not in v or v["stale"]
        ]
        model.objects.bulk_update(
            rows, ["pack_file", "loaded_fingerprint", "follow_file"], batch_size=500
        )
