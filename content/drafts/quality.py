"""Automatic quality rules: what makes a draft usable as it stands (no edit needed).

`problems(draft, subject)` lists what an editor would have to fix; an empty list is a pass.
The rules are the ones the issue names (no pronoun-first or bullet text, one tested value per
card, the subject never blanked, the answer never elsewhere on the card) plus format rules
(four distinct options, a derivable key, a directive word, key points).
"""

from __future__ import annotations

import re

from content import formats
from content.drafts.article import BULLET_RE, PRONOUN_START_RE
from content.drafts.items import Draft, contains

CLOZE_RE = re.compile(r"\{\{c1::(?P<answer>.+?)\}\}")
DIRECTIVE_WORDS = (
    "discuss", "examine", "analyse", "critically", "comment", "elaborate", "explain",
    "evaluate", "assess", "elucidate", "justify", "describe", "highlight",
)  # fmt: skip
MAX_WORDS = 45
MAX_CARD_WORDS = 40
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
LABEL_RE = re.compile(r"^[A-Z][^:.;]{0,50}:\s[A-Z]")
CONNECTIVE_RE = re.compile(r"^(?:And|But|So|Also|Yet|Moreover|Meanwhile|Still|Instead)\b")


def _text_problems(text: str) -> list[str]:
    out = []
    if LABEL_RE.match(text):
        out.append("starts with a heading label")
    if CONNECTIVE_RE.match(text):
        out.append("starts with a connective: needs the sentence before")
    if BULLET_RE.match(text):
        out.append("keeps a bullet marker")
    if PRONOUN_START_RE.match(text) or re.match(r"^(This|These)\b", text):
        out.append("starts with a pronoun")
    if len(text.split()) > MAX_WORDS:
        out.append(f"longer than {MAX_WORDS} words")
    return out


def _card(draft: Draft, subject: set[str]) -> list[str]:
    out = _text_problems(draft.text)
    if len(draft.text.split()) > MAX_CARD_WORDS:
        out.append(f"longer than {MAX_CARD_WORDS} words for a card")
    if draft.format == "cloze":
        blanks = CLOZE_RE.findall(draft.text)
        if len(blanks) != 1:
            return [*out, "needs exactly one blank"]
        answer = blanks[0]
        rest = CLOZE_RE.sub(" ", draft.text)
        if len(rest.split()) < 5:
            out.append("too little context around the blank")
    else:
        answer = draft.answer
        rest = draft.text
        if not draft.text.strip().endswith("?"):
            out.append("front is not a question")
    if not answer.strip():
        out.append("empty answer")
    if answer in subject:
        out.append("blanks the article's subject")
    if contains(rest, answer):
        out.append("answer appears elsewhere on the card")
    year = re.search(r"\b(1[89]|20)\d{2}\b", answer)
    if year and re.fullmatch(r"\d{4}", answer) and re.search(MONTH + r",?\s\{\{c1::", draft.text):
        out.append("blanks only the year of a full date")
    if len(answer.split()) > 12:
        out.append("answer too long to recall")
    return out


def _question(draft: Draft) -> list[str]:
    out = []
    if draft.format == "single":
        if len(draft.options) != 4 or len({o.lower() for o in draft.options}) != 4:
            out.append("needs four distinct options")
        if draft.options.count(draft.answer) != 1:
            out.append("the answer is not exactly one option")
        if contains(draft.text.replace("______", " "), draft.answer):
            out.append("the answer appears in the stem")
        out += _text_problems(draft.text.split("\n")[0])
        return out
    texts = [s["text"] for s in draft.statements] + [
        p["left"] + " " + p["right"] for p in draft.pairs
    ]
    for text in texts:
        out += _text_problems(text)
    truths = [s["true"] for s in draft.statements] or [p["correct"] for p in draft.pairs]
    try:
        formats.derive_options(
            draft.format, ask=draft.ask, truths=truths, explains=draft.explains, seed=draft.key
        )
    except formats.FormatError as error:
        out.append(error.message)
    if draft.format == "pairs" and len({p["left"] for p in draft.pairs}) != len(draft.pairs):
        out.append("two pairs share a left side")
    if draft.format == "statements" and all(truths):
        out.append("no falsified statement to confirm")
    if draft.format == "assertion_reason" and any(
        len(s["text"].split()) < 5 for s in draft.statements
    ):
        out.append("a statement is too short")
    return sorted(set(out))


def problems(draft: Draft, subject: set[str]) -> list[str]:
    """What an editor would have to fix before publishing; [] when usable as it stands."""
    out = list(draft.flags)
    if draft.kind == "fact":
        out += _text_problems(draft.text)
        if not draft.answer.strip():
            out.append("no value")
        if not draft.text.rstrip().endswith((".", "”", '"', ")")):
            out.append("not a full sentence")
    elif draft.kind == "card":
        out += _card(draft, subject)
    elif draft.kind == "question":
        out += _question(draft)
    elif draft.kind == "mains":
        if not draft.text.lower().startswith(DIRECTIVE_WORDS):
            out.append("does not start with a directive word")
        if len(draft.points) < 3:
            out.append("fewer than three key points")
    elif draft.kind == "outline" and (
        len(draft.sections) < 2 or any(not s["points"] for s in draft.sections)
    ):
        out.append("needs two sections with facts under each")
    return out
