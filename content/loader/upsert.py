"""Bulk upsert of one pack's rows, M2M sets and child rows, counting what changed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from content import models as m
from content.loader.types import Summary


class _Writer:
    """Bulk upsert of one pack's items, counting what changed."""

    def __init__(self, pack: m.Pack, summary: Summary, now: dt.datetime, keep: dict | None = None):
        self.pack = pack
        # Per kind, slugs changed in the admin since their last load: left alone, not retired.
        self.keep: dict[str, set[str]] = keep or {}
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
            # Items that came from the pack's files and are gone from them; items made in the
            # admin (no pack file) and items changed there since their last load stay.
            stale = (
                model.objects.filter(pack=self.pack)
                .exclude(slug__in=rows)
                .exclude(pack_file="")
                .exclude(slug__in=self.keep.get(kind, ()))
            )
            counts["retired"] += stale.exclude(status=m.Status.RETIRED).update(
                status=m.Status.RETIRED, updated_at=self.now
            )
            stale.update(pack_file="", loaded_fingerprint="", follow_file=False)
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
