"""Test-series papers in a pack (`papers/*.yaml`): shape, references and upsert.

A paper is a fixed, ordered list of questions everyone takes with the same time and marking.
The loader calls `read()` for each pack, `check()` once the questions of every pack are known,
and `write()` after the questions are written; errors name file, paper, field like the rest.

Once learners have taken a paper its question list is frozen (their ranks and the per-question
shares compare like with like): a change to it is refused; retire the paper and add a new one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, TypeAdapter, field_validator, model_validator

from content import models as m
from content import schema
from content.loader.parse import _read_list
from content.loader.types import ContentError, Located, ParsedPack, Summary
from content.loader.upsert import _Writer

FULL_PAPER_QUESTIONS = 100
MARKS_PER_QUESTION = 2


class PaperItem(schema.Item):
    id: schema.Slug
    title: schema.Text
    family: Literal["full", "sectional"]
    order: int = Field(default=0, ge=0, le=10_000)
    description: str = ""
    minutes: int = Field(ge=1, le=300)
    marking: Literal["upsc"] = "upsc"
    cutoff: Decimal | None = Field(default=None, ge=0, max_digits=6, decimal_places=2)
    cutoff_note: str = ""
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    questions: list[schema.Slug] = Field(min_length=1, max_length=FULL_PAPER_QUESTIONS)
    status: schema.Status = "published"

    @field_validator("opens", "closes")
    @classmethod
    def _aware(cls, v):
        if v is not None and v.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-01-04T09:30:00+05:30")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        seen, repeated = set(), []
        for slug in self.questions:
            if slug in seen:
                repeated.append(slug)
            seen.add(slug)
        if repeated:
            raise ValueError(f"questions: listed twice: {', '.join(sorted(set(repeated)))}")
        if self.family == "full" and len(self.questions) != FULL_PAPER_QUESTIONS:
            raise ValueError(
                f"questions: a full-length paper has exactly {FULL_PAPER_QUESTIONS} questions "
                f"(this one has {len(self.questions)})"
            )
        if self.cutoff is not None and self.cutoff > MARKS_PER_QUESTION * len(self.questions):
            raise ValueError(
                f"cutoff: {self.cutoff} is more than the paper's "
                f"{MARKS_PER_QUESTION * len(self.questions)} marks"
            )
        if self.cutoff is None and self.cutoff_note:
            raise ValueError("cutoff_note: explains a cutoff, but the paper has none")
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValueError("closes: must be after opens")
        return self


ADAPTER = TypeAdapter(PaperItem)


def read(root: Path, errors: list[ContentError], failed: set[str]) -> list[Located]:
    """Every paper in `root/papers/*.yaml` (shape-checked) as loader `Located` items."""
    located: list[Located] = []
    for path in sorted((root / "papers").glob("*.y*ml")):
        _read_list(path, root, ADAPTER, errors, located, failed)
    return located


def check(packs: list[ParsedPack], errors: list[ContentError]) -> None:
    """Duplicate ids, unknown questions, unpublished questions in a published paper, and
    changes to the questions of a paper learners have taken."""
    loading = [p.meta.slug for p in packs if p.meta]
    in_files: dict[str, str] = {}
    for pack in packs:
        for loc in pack.questions:
            in_files[loc.item.id] = loc.item.status
        for slug in pack.failed_ids:
            in_files.setdefault(slug, "published")
    wanted = {s for pack in packs for loc in pack.papers for s in loc.item.questions}
    in_db = dict(
        m.Question.objects.filter(slug__in=wanted - set(in_files))
        .exclude(pack__slug__in=loading)
        .values_list("slug", "status")
    )
    status_of = in_db | in_files
    seen: dict[str, str] = {}
    for pack in packs:
        for loc in pack.papers:
            paper = loc.item
            where = f"{loc.file}:{loc.line}" if loc.line else loc.file
            if paper.id in seen:
                errors.append(
                    ContentError(
                        loc.file,
                        paper.id,
                        "id",
                        f"duplicate id: also used in {seen[paper.id]}",
                        loc.line,
                    )  # fmt: skip
                )
                continue
            seen[paper.id] = where
            unknown = [s for s in paper.questions if s not in status_of]
            if unknown:
                errors.append(
                    ContentError(
                        loc.file,
                        paper.id,
                        "questions",
                        f"unknown question(s): {', '.join(unknown)}",
                        loc.line,
                    )  # fmt: skip
                )
            if paper.status == "published":
                hidden = [
                    s for s in paper.questions if status_of.get(s, "published") != "published"
                ]
                if hidden:
                    errors.append(
                        ContentError(
                            loc.file,
                            paper.id,
                            "questions",
                            "a published paper may use only published questions; not published: "
                            + ", ".join(hidden),
                            loc.line,
                        )  # fmt: skip
                    )
    taken = m.Paper.objects.filter(slug__in=seen).exclude(pack__slug__in=loading)
    for slug, pack_slug in taken.values_list("slug", "pack__slug"):
        errors.append(
            ContentError(seen[slug], slug, "id", f"paper id already belongs to pack {pack_slug!r}")
        )
    _check_frozen(packs, errors)


def _check_frozen(packs: list[ParsedPack], errors: list[ContentError]) -> None:
    by_slug = {loc.item.id: loc for pack in packs for loc in pack.papers}
    # `attempts` is the reverse name of quizzes' Attempt.paper (content never imports quizzes).
    sat = set(
        m.Paper.objects.filter(slug__in=by_slug, attempts__isnull=False)
        .values_list("slug", flat=True)
        .distinct()
    )
    if not sat:
        return
    current: dict[str, list[str]] = {slug: [] for slug in sat}
    for paper_slug, question_slug in (
        m.PaperQuestion.objects.filter(paper__slug__in=sat)
        .order_by("paper", "order")
        .values_list("paper__slug", "question__slug")
    ):
        current[paper_slug].append(question_slug)
    for slug in sorted(sat):
        loc = by_slug[slug]
        if list(loc.item.questions) != current[slug]:
            errors.append(
                ContentError(
                    loc.file,
                    slug,
                    "questions",
                    "learners have taken this paper, so its questions can no longer change "
                    "(ranks compare like with like): retire it and add a new paper",
                    loc.line,
                )  # fmt: skip
            )


def write(writer: _Writer, pack_items: list[Located], questions: dict[str, int]) -> None:
    """Upsert the pack's papers and their ordered questions (`questions`: slug → pk of every
    question the papers name, from any pack)."""
    items = {loc.item.id: loc.item for loc in pack_items}
    papers = writer.upsert(
        "papers",
        m.Paper,
        {
            slug: {
                "pack_id": writer.pack.pk,
                "title": it.title,
                "family": it.family,
                "order": it.order,
                "description": it.description.strip(),
                "minutes": it.minutes,
                "marking": it.marking,
                "cutoff_marks": it.cutoff,
                "cutoff_note": it.cutoff_note.strip(),
                "opens_at": it.opens,
                "closes_at": it.closes,
                "status": it.status,
            }
            for slug, it in items.items()
        },
    )
    changed = set(writer.changed)
    changed |= writer.replace_children(
        papers,
        m.PaperQuestion,
        "paper",
        {
            slug: [
                {"order": order, "question_id": questions[q]}
                for order, q in enumerate(it.questions, start=1)
            ]
            for slug, it in items.items()
        },
        ["order", "question_id"],
    )
    writer.note_updates("papers", changed)


def write_all(
    packs: list[ParsedPack], summary: Summary, now: dt.datetime, keeps: list[dict] | None = None
) -> None:
    """Write every pack's papers, after every pack's questions (a paper may use questions of
    another pack)."""
    wanted = {s for pack in packs for loc in pack.papers for s in loc.item.questions}
    questions = dict(m.Question.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    for pack, keep in zip(packs, keeps or [None] * len(packs), strict=True):
        pack_obj = m.Pack.objects.get(slug=pack.meta.slug)
        write(_Writer(pack_obj, summary, now, keep), pack.papers, questions)
