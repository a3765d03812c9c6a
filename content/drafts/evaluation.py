"""How good are the drafts? Recall of an editor's reference facts, and the share that pass.

An evaluation set is a folder of `<name>.txt` articles, each beside `<name>.refs.yaml`:
`title`, and `facts`: a list of `{fact, keys}` where `keys` are the tokens a draft fact must
contain (case-insensitive, whole words) to count as finding that fact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from content.drafts import generate
from content.drafts.items import contains


@dataclass
class ArticleScore:
    name: str
    found: int
    total: int
    passed: int
    drafts: int
    missed: list[str] = field(default_factory=list)
    problems: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 0.0

    @property
    def pass_share(self) -> float:
        return self.passed / self.drafts if self.drafts else 0.0


def score_article(text: str, refs: dict, name: str = "") -> ArticleScore:
    result = generate(text, title=refs.get("title", ""))
    facts = [d.text for d in result.drafts if d.kind == "fact"]
    found, missed = 0, []
    for ref in refs["facts"]:
        if any(all(contains(f, key) for key in ref["keys"]) for f in facts):
            found += 1
        else:
            missed.append(ref["fact"])
    problems, kinds, passed = Counter(), Counter(), 0
    for draft in result.drafts:
        kinds[draft.kind if draft.kind != "question" else f"question:{draft.format}"] += 1
        issues = result.problems(draft)
        problems.update(issues)
        passed += not issues
    return ArticleScore(
        name, found, len(refs["facts"]), passed, len(result.drafts), missed, problems, kinds
    )


def evaluate(folder: Path) -> list[ArticleScore]:
    scores = []
    for article in sorted(folder.glob("*.txt")):
        refs_path = article.with_suffix(".refs.yaml")
        if refs_path.exists():
            refs = yaml.safe_load(refs_path.read_text(encoding="utf-8"))
            scores.append(score_article(article.read_text(encoding="utf-8"), refs, article.stem))
    return scores


def totals(scores: list[ArticleScore]) -> tuple[float, float]:
    """(recall, pass share) over all articles together."""
    found = sum(s.found for s in scores)
    total = sum(s.total for s in scores)
    passed = sum(s.passed for s in scores)
    drafts = sum(s.drafts for s in scores)
    return (found / total if total else 0.0, passed / drafts if drafts else 0.0)
