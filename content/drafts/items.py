"""A draft: what the generator proposes and the editor reviews (plain data, no ORM)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

KINDS = ("fact", "card", "question", "mains", "outline")


@dataclass
class Draft:
    kind: str  # fact | card | question | mains | outline
    text: str  # fact statement, cloze text / card front, question stem, Mains question, outline
    source_sentence: str
    section: str = ""
    start: int = 0  # character offsets of the source sentence in the article
    end: int = 0
    format: str = ""  # card: cloze/basic; question: single/statements/pairs/assertion_reason
    answer: str = ""  # fact value, card answer/back, single question's correct option
    value_kind: str = ""  # date/year/amount/number/acronym/org/place/person/name/definition/...
    options: list[str] = field(default_factory=list)  # single: four options, answer among them
    statements: list[dict] = field(default_factory=list)  # {"text", "true", "explanation"}
    pairs: list[dict] = field(default_factory=list)  # {"left", "right", "correct", "explanation"}
    columns: list[str] = field(default_factory=list)
    ask: str = ""
    explains: bool | None = None
    directive: str = ""
    points: list[str] = field(default_factory=list)  # Mains key points
    sections: list[dict] = field(default_factory=list)  # outline: {"heading", "points"}
    date: str = ""  # ISO date of the fact, when the sentence holds one
    date_precision: str = ""
    explanation: str = ""
    fact_key: str = ""  # a card's or question's fact (its key), so they are accepted together
    flags: list[str] = field(default_factory=list)
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            basis = "|".join(
                [
                    self.kind,
                    self.format,
                    normalise(self.source_sentence),
                    normalise(self.answer),
                    normalise(self.text),
                ]
                + [normalise(s["text"]) for s in self.statements]
                + [normalise(p["left"]) for p in self.pairs]
            )
            self.key = hashlib.sha1(basis.encode()).hexdigest()[:16]  # noqa: S324 - an id

    def as_json(self) -> dict:
        data = asdict(self)
        return {k: v for k, v in data.items() if v not in ("", [], None) or k in ("kind", "text")}


def normalise(text: str) -> str:
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def contains(haystack: str, needle: str) -> bool:
    """Whole-word, case-insensitive containment after normalising dashes and spaces."""
    needle = normalise(needle)
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", normalise(haystack)) is not None
