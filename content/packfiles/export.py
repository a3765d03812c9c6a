"""The database's content of a pack, written back to the pack's own files.

`export_pack()` returns {path in the pack: text} for pack.yaml, every note and every list file,
built from the database (admin edits and items made in the admin for the pack included) with
the canonical writer. An item goes back to the file it was loaded from; an item made in the
admin goes to its kind's file for its topic (`facts/<topic>.yaml`, `notes/<topic>.md`, …).
Items keep the order of the file being replaced; new ones follow in the order they were made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from pydantic import TypeAdapter, ValidationError

from content import models as m
from content import schema
from content.loader import papers
from content.packfiles import yamlwriter
from content.packfiles.records import MODELS, content_items, from_db

FOLDERS = {"facts": "facts", "cards": "cards", "questions": "prelims", "mains": "mains"}
ADAPTERS = {
    "facts": TypeAdapter(schema.FactItem),
    "cards": TypeAdapter(schema.CardItem),
    "questions": TypeAdapter(schema.QuestionItem),
    "mains": TypeAdapter(schema.MainsItem),
    "papers": papers.ADAPTER,
}
QUESTION_CLASSES = {
    "single": schema.SingleQuestion,
    "statements": schema.StatementsQuestion,
    "pairs": schema.PairsQuestion,
    "assertion_reason": schema.AssertionReasonQuestion,
}
QUESTION_PARTS = {
    "single": ("stem", "choices"),
    "statements": ("ask", "stem", "statements"),
    "pairs": ("ask", "stem", "columns", "pairs"),
    "assertion_reason": ("stem", "statement_1", "statement_2", "explains"),
}


def compact(data: dict, cls) -> dict:
    """`data` without the fields left at the format's default."""
    out = {}
    for key, value in data.items():
        info = cls.model_fields.get(key)
        default = (
            None
            if info is None or info.is_required()
            else info.get_default(call_default_factory=True)
        )
        if info is not None and not info.is_required() and value in (default, None):
            continue
        out[key] = value
    return out


class Export:
    """One pack's files from the database. `problems` lists items the format cannot hold as
    they are in the database (e.g. an unfinished item made in the admin); they are written
    anyway, and the next load_content names what to fix."""

    def __init__(self, pack: m.Pack, pack_dir: Path | None = None):
        self.pack = pack
        self.pack_dir = pack_dir
        self.problems: list[str] = []
        self.recs, self.meta = {}, {}
        for kind, model in MODELS.items():
            retired_in_admin = Q(pack_file="") & (
                Q(status=m.Status.RETIRED) if hasattr(model, "status") else Q(pk__in=[])
            )
            queryset = content_items(model).filter(pack=pack).exclude(retired_in_admin)
            self.recs[kind], self.meta[kind] = from_db(kind, queryset)
        self.implied = self._implied()

    def _implied(self) -> dict[str, set[str]]:
        """The loader's rule for the sources an item cites through a fact."""
        out: dict[str, set[str]] = {}
        for slug, fact in self.recs["facts"].items():
            claims = fact["claims"]
            out[slug] = {c["source"] for c in claims if c["agrees"]} or {
                c["source"] for c in claims
            }
        cited = {f for kind in ("cards", "questions", "mains") for r in self.recs[kind].values()
                 for f in r["facts"]} - set(out)  # fmt: skip
        for fact, source in m.Claim.objects.filter(fact__slug__in=cited, agrees=True).values_list(
            "fact__slug", "source__slug"
        ):
            out.setdefault(fact, set()).add(source)
        return out

    def _explicit(self, rec: dict) -> list[str]:
        implied = set().union(*(self.implied.get(f, set()) for f in rec["facts"]))
        return sorted(set(rec["sources"]) - implied)

    def _target(self, kind: str, slug: str, rec: dict) -> str:
        loaded = self.meta[kind][slug]["pack_file"].split("/", 1)
        if len(loaded) == 2 and loaded[1]:
            return loaded[1]
        if kind == "topics":
            return f"notes/{slug}.md"
        if kind == "papers":
            return f"papers/{slug}.yaml"
        return f"{FOLDERS[kind]}/{rec['topic']}.yaml"

    def _existing(self, rel: str) -> str | None:
        path = self.pack_dir / rel if self.pack_dir else None
        return path.read_text(encoding="utf-8") if path and path.is_file() else None

    def files(self) -> dict[str, str]:
        out = {"pack.yaml": self._pack_yaml()}
        for slug, rec in self._ordered("topics"):
            front = {
                "topic": slug, "title": rec["title"], "order": rec["order"],
                "summary": rec["summary"], "sources": rec["sources"], "status": rec["status"],
            }  # fmt: skip
            out[self._target("topics", slug, rec)] = yamlwriter.note_file(
                compact(front, schema.NoteFrontMatter), rec["body"]
            )
        for kind in ("facts", "cards", "questions", "mains", "papers"):
            by_file: dict[str, list[dict]] = {}
            for slug, rec in self._ordered(kind):
                item = getattr(self, f"_{kind}")(slug, rec)
                self._validate(kind, item)
                by_file.setdefault(self._target(kind, slug, rec), []).append(item)
            for rel, items in by_file.items():
                items = self._in_file_order(rel, items)
                comments = yamlwriter.comments_of(self._existing(rel))
                out[rel] = yamlwriter.item_list(items, comments)
        return dict(sorted(out.items()))

    def _ordered(self, kind: str):
        return sorted(self.recs[kind].items(), key=lambda kv: self.meta[kind][kv[0]]["pk"])

    def _in_file_order(self, rel: str, items: list[dict]) -> list[dict]:
        text = self._existing(rel) or ""
        order = {}
        for line in text.split("\n"):
            match = yamlwriter.ITEM_LINE.match(line)
            if match and not match.group(1):
                order.setdefault(match.group(2).strip("\"'"), len(order))
        return sorted(items, key=lambda it: order.get(it["id"], len(order)))  # stable

    def _validate(self, kind: str, item: dict) -> None:
        try:
            ADAPTERS[kind].validate_python(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            self.problems.append(f"{kind} {item['id']}: {where}: {first['msg']}")

    def _pack_yaml(self) -> str:
        sources = [
            compact({"id": slug, **rec}, schema.SourceItem)
            for slug, rec in self._ordered("sources")
        ]
        order = {}
        for line in (self._existing("pack.yaml") or "").split("\n"):
            match = yamlwriter.ITEM_LINE.match(line)
            if match:
                order.setdefault(match.group(2).strip("\"'"), len(order))
        sources.sort(key=lambda s: order.get(s["id"], len(order)))
        meta = compact(
            {"slug": self.pack.slug, "title": self.pack.title,
             "description": self.pack.description.strip(), "sources": sources},
            schema.PackFile,
        )  # fmt: skip
        return yamlwriter.pack_file(meta, yamlwriter.comments_of(self._existing("pack.yaml")))

    def _facts(self, slug: str, r: dict) -> dict:
        item = {
            "id": slug, "topic": r["topic"], "statement": r["statement"], "value": r["value"],
            "kind": r["kind"], "date": r["date"],
            "claims": [compact(c, schema.ClaimItem) for c in r["claims"]],
            "resolution": r["resolution"], "status": r["status"],
        }  # fmt: skip
        return compact(item, schema.FactItem)

    def _cards(self, slug: str, r: dict) -> dict:
        item = {
            "id": slug, "topic": r["topic"], "kind": r["kind"], "front": r["front"],
            "back": r["back"], "text": r["text"], "facts": r["facts"],
            "sources": self._explicit(r), "status": r["status"],
        }  # fmt: skip
        return compact(item, schema.CardItem)

    def _questions(self, slug: str, r: dict) -> dict:
        kind = r["kind"]
        statements = r["statements"] + [None, None]
        values = r | {"statement_1": statements[0], "statement_2": statements[1]}
        parts = QUESTION_PARTS.get(kind, ())
        item = {"id": slug, "topic": r["topic"], "kind": kind}
        if "ask" in parts:
            item["ask"] = r["ask"]
        item["difficulty"] = r["difficulty"]
        item |= {name: values[name] for name in parts if name != "ask"}
        item |= {"explanation": r["explanation"], "facts": r["facts"],
                 "sources": self._explicit(r), "status": r["status"]}  # fmt: skip
        return compact(item, QUESTION_CLASSES.get(kind, schema.QuestionBase))

    def _mains(self, slug: str, r: dict) -> dict:
        item = {
            "id": slug, "topic": r["topic"], "directive": r["directive"], "marks": r["marks"],
            "question": r["question"],
            "key_points": [compact(p, schema.KeyPointItem) for p in r["key_points"]],
            "outline": compact(r["outline"], schema.OutlineItem), "facts": r["facts"],
            "sources": self._explicit(r), "model_answer": r["model_answer"],
            "status": r["status"],
        }  # fmt: skip
        if not item["outline"]:
            del item["outline"]
        return compact(item, schema.MainsItem)

    def _papers(self, slug: str, r: dict) -> dict:
        cutoff = r["cutoff"] and Decimal(r["cutoff"])
        item = {
            "id": slug, "title": r["title"], "family": r["family"], "order": r["order"],
            "description": r["description"], "minutes": r["minutes"], "marking": r["marking"],
            "cutoff": None if cutoff is None else (int(cutoff) if cutoff == int(cutoff)
                                                   else str(cutoff)),
            "cutoff_note": r["cutoff_note"], "opens": _local(r["opens"]),
            "closes": _local(r["closes"]), "questions": r["questions"], "status": r["status"],
        }  # fmt: skip
        return compact(item, papers.PaperItem)


def _local(moment: str | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(dt.datetime.fromisoformat(moment)).isoformat()


def write(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Write `files` under `out_dir`; returns the paths whose content changed."""
    changed = []
    for rel, text in files.items():
        path = out_dir / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed
