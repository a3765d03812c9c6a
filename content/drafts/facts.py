"""Facts and flashcards from sentences: definitions, acronyms, events, lists and values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.drafts.article import Article, Sentence
from content.drafts.items import Draft, contains, normalise
from content.drafts.values import ACRONYM, COUNTRIES, Value, acronym_pairs, find_values, year_of

CARD_PREFERENCE = (
    "date", "amount", "number", "org", "person", "acronym", "year", "rank", "place", "name",
    "ordinal",
)  # fmt: skip
HARD_KINDS = {"date", "year", "amount", "number", "rank"}
NAMED_KINDS = {"org", "person", "acronym"}
OPINION_RE = re.compile(
    r"\b(?:should|must|might|may|could|perhaps|arguably|analysts?|critics|observers|experts|"
    r"seems?|appears?|likely|unlikely|believe[sd]?|hopes?)\b",
    re.IGNORECASE,
)
DEFINITION_RE = re.compile(
    r"^(?P<term>(?:The\s)?(?:[A-Z][\w’'-]*\s?){1,6}?)\s?(?:\((?P<short>[A-Z][\w&-]+)\)\s)?"
    r"(?:,[^,]{3,60},\s)?(?:is|are|was|refers to|means|is known as|stands for)\s"
    r"(?P<definition>(?:an?|the|one of)\s.{10,})$"
)
LIST_RE = re.compile(
    r"(?:include[sd]?|including|such as|namely|comprising|comprises?|are|were):?\s"
    r"(?P<items>(?:[^,;]{2,60},\s){1,8}(?:and|or)\s[^,;.]{2,60})[.;]?",
)
COLON_PAIR_RE = re.compile(r"^(?P<left>[A-Z][^:]{1,60}):\s(?P<right>.{3,160})$")
EVENT_RE = re.compile(
    r"\b(?:signed|launched|agreed|inked|concluded|announced|established|unveiled|adopted|"
    r"finalised|finalized|upgraded|operationalised|inaugurated|held|set up|elevated|"
    r"came into force|entered into force)\b"
)
CAUSE_RE = re.compile(r"\b(?:because|due to|owing to|as a result|so that|therefore|hence)\b", re.I)
MAX_CARD_WORDS = 42
DATE_ANYWHERE = re.compile(r"\b\d{1,2}\s[A-Z][a-z]+\s\d{4}\b|\b[A-Z][a-z]+\s\d{1,2},\s\d{4}\b")


@dataclass
class FactDraft:
    """A fact with the values found in its sentence (kept for questions)."""

    draft: Draft
    sentence: Sentence
    values: list[Value]
    value: Value | None  # the tested value (a card's answer), if any


def _fact_kind(value_kind: str, sentence: str) -> str:
    if EVENT_RE.search(sentence):
        return (
            "agreement"
            if re.search(r"agreement|pact|treaty|accord|MoU", sentence, re.I)
            else "event"
        )
    return {"date": "date", "year": "date", "amount": "number", "number": "number"}.get(
        value_kind,
        "name" if value_kind in ("org", "person", "place", "acronym", "name") else "other",
    )


def clause_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The clause holding [start, end) when the sentence is too long for a card; (text, offset)."""
    if len(text.split()) <= MAX_CARD_WORDS:
        return text, 0
    cuts = [0] + [m.end() for m in re.finditer(r";\s|\s[–—]\s|,\swhile\s|,\swhereas\s", text)]
    cuts.append(len(text) + 1)
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a <= start and end <= b:
            clause = text[a:b].strip(" ;–—,")
            clause = clause[0].upper() + clause[1:]
            if not clause.endswith("."):
                clause += "."
            return clause, text.index(text[a:b].lstrip(" ;–—,")[:10], a) if clause else 0
    return text, 0


def usable(value: Value, text: str, subject: set[str], tested: set[str]) -> bool:
    """A value a card may blank: not the subject, not already tested, not given away."""
    if value.text in subject or normalise(value.text) in tested:
        return False
    rest = text[: value.start] + " " + text[value.end :]
    if contains(rest, value.text):
        return False
    if value.kind == "date":
        others = DATE_ANYWHERE.sub(" ", rest)
        if contains(others, year_of(value)):
            return False
    for short, long in acronym_pairs(text):
        if value.text == short and contains(rest, long):
            return False
    return True


def pick_value(values: list[Value], text: str, subject: set[str], tested: set[str]) -> Value | None:
    def preference(v: Value) -> tuple[int, int]:
        bare = v.kind == "rank" and re.fullmatch(r"[a-z]+|\d+[a-z]{2}", v.text)
        return (CARD_PREFERENCE.index("ordinal" if bare else v.kind), v.start)

    ranked = sorted(values, key=preference)
    for value in ranked:
        if usable(value, text, subject, tested):
            return value
    return None


def cloze_text(text: str, value: Value) -> str:
    """The sentence with the value blanked; an '(ACR)' right after a blanked name is dropped."""
    after = text[value.end :]
    after = re.sub(r"^\s\([A-Z][\w&-]+\)", "", after)
    return text[: value.start] + "{{c1::" + value.text + "}}" + after


def facts_from(article: Article) -> tuple[list[FactDraft], list[Draft]]:
    """(facts with their values, every draft in reading order: each fact then its cards)."""
    facts: list[FactDraft] = []
    out: list[Draft] = []
    tested: set[str] = set()
    seen_acronyms: set[str] = set()
    sentences = article.sentences
    for n, sentence in enumerate(sentences):
        text = sentence.text
        following = sentences[n + 1].text if n + 1 < len(sentences) else ""
        if following.startswith(text.rstrip(".") + "; "):
            continue  # merged into the next sentence, which names what its pronoun stands for
        if text.endswith("?") or len(text.split()) < (3 if sentence.bullet else 6):
            continue
        values = find_values(text, subject=article.subject)
        hard = [v for v in values if v.kind in HARD_KINDS]
        definition = DEFINITION_RE.match(text)
        if definition and normalise(definition.group("term")).removeprefix("the ") in {
            normalise(s) for s in article.subject
        }:
            definition = None
        listed = LIST_RE.search(text)
        if definition and not _is_name(definition.group("term"), article.text):
            definition = None
        named = [v for v in values if v.kind in NAMED_KINDS]
        named += [v for v in values if v.kind == "place" and v.text not in COUNTRIES]
        colon = sentence.bullet and COLON_PAIR_RE.match(text)
        if not (hard or definition or listed or EVENT_RE.search(text) or named or colon):
            continue
        if OPINION_RE.search(text) and not hard:
            continue
        if colon:
            pair = COLON_PAIR_RE.match(text)
            right = pair.group("right").rstrip(".")
            verb = " is " if re.match(r"(?:an?|the)\s", right) else ": "
            text = f"{pair.group('left')}{verb}{right}."
            values = find_values(text, subject=article.subject)
            left = pair.group("left")
            if not any(v.start == 0 for v in values):
                values.insert(0, Value(left, "name", 0, len(left)))
        base = {
            "source_sentence": sentence.raw, "section": sentence.section,
            "start": sentence.start, "end": sentence.end, "flags": list(sentence.flags),
        }  # fmt: skip
        dated = next((v for v in values if v.kind in ("date", "year") and v.date), None)
        value = None if sentence.flags else pick_value(values, text, article.subject, tested)
        answer = value.text if value else (definition.group("definition") if definition else "")
        value_kind = value.kind if value else ("definition" if definition else "list")
        fact = Draft(
            kind="fact", text=text, answer=answer or text, value_kind=_fact_kind(value_kind, text),
            date=dated.date.isoformat() if dated else "",
            date_precision=dated.precision if dated else "", **base,
        )  # fmt: skip
        facts.append(FactDraft(fact, sentence, values, value))
        out.append(fact)
        if value:
            if value.kind not in ("rank", "number"):
                tested.add(normalise(value.text))
            card_text, shift = clause_around(text, value.start, value.end)
            local = Value(value.text, value.kind, value.start - shift, value.end - shift)
            if card_text[local.start : local.end] != value.text:
                card_text, local = text, value
            out.append(
                _card(fact, "cloze", cloze_text(card_text, local), value.text, value.kind, base)
            )
        if definition and not sentence.flags:
            term = definition.group("term").strip()
            if term.startswith("The "):
                term = "the " + term[4:]
            back = definition.group("definition").rstrip(".")
            if len(back.split()) <= 20:
                out.append(_card(fact, "basic", f"What is {term}?", back, "definition", base))
        for short, long in acronym_pairs(text):
            if short in seen_acronyms or short in article.subject:
                continue
            seen_acronyms.add(short)
            statement = f"{short} stands for {long}."
            acro = Draft(kind="fact", text=statement, answer=long, value_kind="name", **base)
            facts.append(FactDraft(acro, sentence, values, None))
            out.append(acro)
            out.append(_card(acro, "basic", f"What does {short} stand for?", long, "acronym", base))
    return facts, out


def _is_name(term: str, text: str) -> bool:
    """A defined term is a name: capitalised mid-sentence somewhere in the article."""
    term = re.sub(r"^The\s", "", term.strip())
    if len(term.split()) > 1 or term.isupper():
        return True
    return re.search(rf"[a-z,]\s(?:the\s)?{re.escape(term)}\b", text) is not None


def _card(fact: Draft, fmt: str, text: str, answer: str, kind: str, base: dict) -> Draft:
    return Draft(kind="card", format=fmt, text=text, answer=answer, value_kind=kind,
                 fact_key=fact.key, **base)  # fmt: skip


def acronyms_in(text: str) -> list[str]:
    return ACRONYM.findall(text)
