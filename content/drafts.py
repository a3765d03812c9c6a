"""Article text → draft facts and cloze cards, for an author to rewrite and publish.

A deliberately simple, deterministic extractor (no model, no network): every sentence that
carries a year, a figure or an acronym becomes a draft fact whose value is that datum, with a
cloze card blanking it. Drafts are never shown to learners; an author rewrites them in our own
words, checks them against the sources, then publishes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
_FIGURE_RE = re.compile(
    r"(?:US)?\$\s?\d[\d,.]*\s?(?:billion|million|trillion|bn)?|\d[\d,.]*\s?(?:%|per cent|billion|"
    r"million|trillion|km)|\d{1,3}(?:,\d{3})+"
)
_YEAR_RE = re.compile(r"\b(?:1[5-9]\d{2}|20\d{2}|[1-9]\d{2}\s?AD)\b")
_ACRONYM_RE = re.compile(r"\b[A-Z]{3,}(?:-[A-Z]+)?\b")


@dataclass(frozen=True)
class DraftFact:
    slug: str
    statement: str
    value: str
    kind: str
    cloze: str


def sentences(text: str) -> list[str]:
    """Split prose into sentences, dropping very short fragments and boilerplate lines."""
    out = []
    for line in text.splitlines():
        for sentence in _SENTENCE_RE.split(line.strip()):
            sentence = sentence.strip()
            if len(sentence.split()) >= 6:
                out.append(sentence)
    return out


def draft_facts(text: str, *, prefix: str) -> list[DraftFact]:
    """One draft per sentence that carries a datum (figure, then year, then acronym)."""
    drafts, seen = [], set()
    for sentence in sentences(text):
        for pattern, kind in ((_FIGURE_RE, "number"), (_YEAR_RE, "date"), (_ACRONYM_RE, "name")):  # noqa: B007
            match = pattern.search(sentence)
            if match:
                value = match.group(0).strip()
                break
        else:
            continue
        digest = hashlib.sha1(sentence.encode()).hexdigest()[:8]  # noqa: S324 - a name, not security
        slug = f"{prefix}-draft-{digest}"
        if slug in seen:
            continue
        seen.add(slug)
        cloze = sentence[: match.start()] + "{{c1::" + value + "}}" + sentence[match.end() :]
        drafts.append(DraftFact(slug, sentence, value, kind, cloze))  # kind of the match
    return drafts
