"""An article's structure: sections (headings), paragraphs, sentences with character offsets.

Sentence boundaries come from pysbd (rule-based, no model). Headings are short lines without
closing punctuation (or Markdown `#` lines); bullets lose their marker; a sentence that starts
with a pronoun is merged with its antecedent when the sentence before names one, or flagged.
Offsets always point into the text as pasted, so the editor can find the sentence again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pysbd

BULLET_RE = re.compile(r"^\s*(?:[-*•▪◦–]|\d{1,2}[.)])\s+")
HEADING_MD_RE = re.compile(r"^\s*#{1,6}\s+")
PRONOUN_START_RE = re.compile(r"^(It|He|She|They|Its|His|Her|Their)\b", re.IGNORECASE)
DEMONSTRATIVE_START_RE = re.compile(r"^(This|These|That|Those|Such)\b(?!\s+(?:is|was|are)\b)")
CONNECTORS = {"of", "and", "for", "the", "on", "in", "&", "de", "du", "des", "la", "le", "to"}
# Lowercase words that end a leading name ("The ECTA came into force ...").
_SUBJECT_STOP = re.compile(
    r"\s(?:is|was|are|were|has|had|have|will|would|can|could|[a-z]+(?:ed|s))\b"
)

SECTION_CHALLENGE_RE = re.compile(
    r"challenge|concern|irritant|hurdle|obstacle|constraint|friction|limit|problem|risk|issue",
    re.IGNORECASE,
)
SECTION_FORWARD_RE = re.compile(
    r"way ahead|way forward|road ahead|next steps|what next|outlook|prospects|the future|"
    r"conclusion|looking ahead",
    re.IGNORECASE,
)

# Words that are capitalised at the start of a title but are not names.
_TITLE_STOPWORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "why", "how", "what", "new", "ties", "relations", "partnership",
}  # fmt: skip
DEMONYMS = {
    "India": ["Indian", "Indians"],
    "Australia": ["Australian", "Australians"],
    "France": ["French"],
    "UAE": ["Emirati", "Emiratis", "United Arab Emirates"],
    "Japan": ["Japanese"],
    "China": ["Chinese"],
    "Germany": ["German", "Germans"],
    "Britain": ["British", "UK", "United Kingdom"],
    "US": ["American", "Americans", "United States", "USA", "U.S."],
    "Russia": ["Russian", "Russians"],
    "Indonesia": ["Indonesian"],
    "Vietnam": ["Vietnamese"],
    "Egypt": ["Egyptian"],
    "Brazil": ["Brazilian"],
    "Canada": ["Canadian"],
    "Israel": ["Israeli"],
    "Saudi Arabia": ["Saudi"],
    "Bangladesh": ["Bangladeshi"],
    "Nepal": ["Nepali", "Nepalese"],
    "Sri Lanka": ["Sri Lankan"],
}


@dataclass
class Sentence:
    text: str  # cleaned: bullet removed, pronoun replaced by its antecedent when known
    raw: str  # exactly as in the article
    start: int
    end: int
    section: str
    index: int
    bullet: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass
class Article:
    title: str
    text: str
    sentences: list[Sentence]
    sections: list[str]
    subject: set[str]  # the article's own subject terms (never blanked on a card)

    def in_section(self, pattern: re.Pattern) -> list[Sentence]:
        return [s for s in self.sentences if pattern.search(s.section)]


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def is_heading(line: str) -> bool:
    stripped = line.strip()
    if HEADING_MD_RE.match(stripped):
        return True
    if not stripped or BULLET_RE.match(stripped) or stripped[-1] in '.!?;:,"”)':
        return False
    words = stripped.split()
    return 1 <= len(words) <= 12 and stripped[0].isupper()


_AUX = re.compile(r"\s(?:is|was|are|were|has|had|have|will|would)\b")
_NOT_SUBJECT = set(
    """In On At Since By For After Before Under During From With As When While Over Through Later
    Earlier Also""".split()  # noqa: SIM905
)


def leading_name(sentence: str) -> str:
    """The noun phrase a sentence opens with, if it is a name ('The ECTA', 'Prime Minister X')."""
    match = _SUBJECT_STOP.search(sentence)
    head = sentence[: match.start()] if match else ""
    head = head.strip(" ,")
    words = head.split()
    if not 1 <= len(words) <= 9 or "," in head or words[0] in _NOT_SUBJECT:
        return ""
    content = [w for w in words if w.lower() not in CONNECTORS]
    if content and all(w[0].isupper() or w[0] in "(0123456789" for w in content):
        if words[0] in ("The", "A", "An"):
            words[0] = words[0].lower()
        if len(content) == 1 and content[0] in ("The", "A", "An"):
            return ""
        if words[-1].lower() in CONNECTORS:
            return ""
        return " ".join(words)
    return ""


def antecedent(previous: Sentence, word: str) -> str:
    """Who or what a leading pronoun stands for, from the sentence before ('' if unsure)."""
    from content.drafts.values import PERSON_TITLE, find_values

    if word in ("he", "she", "his", "her"):
        people = {m.group("name").strip() for m in PERSON_TITLE.finditer(previous.text)}
        return people.pop() if len(people) == 1 else ""
    name = leading_name(previous.text)
    if name and not PERSON_TITLE.match(name[0].upper() + name[1:]):
        return name
    if name:
        return ""
    orgs = [v for v in find_values(previous.text) if v.kind == "org"]
    if len({v.text for v in orgs}) == 1:
        short = re.match(r"\s\([A-Z][\w&-]+\)", previous.text[orgs[0].end :])
        return "the " + orgs[0].text + (short.group(0) if short else "")
    phrase = _AUX.search(previous.text)
    head = previous.text[: phrase.start()] if phrase else ""
    if re.fullmatch(r"(?:A|An|The)\s[a-z][\w\s-]{3,60}", head) and len(head.split()) <= 7:
        return "the " + head.split(" ", 1)[1]
    return ""


LABEL_RE = re.compile(r"^[A-Z][^:.;]{0,50}:\s(?=[A-Z0-9])")
CONNECTIVE_RE = re.compile(r"^(?:And|But|So|Also|Moreover|Meanwhile|However|Still|Yet),?\s")


def _clean(text: str) -> str:
    """Drop a leading 'Heading label: ' and a leading connective ('And', 'However,')."""
    label = LABEL_RE.match(text)
    if label and len(label.group(0).split()) <= 6 and len(text[label.end() :].split()) >= 5:
        text = text[label.end() :]
    connective = CONNECTIVE_RE.match(text)
    if connective and len(text[connective.end() :].split()) >= 5:
        rest = text[connective.end() :]
        text = rest[0].upper() + rest[1:]
    return text


def _resolve_pronoun(text: str, previous: Sentence | None) -> tuple[str, list[str]]:
    """Replace a leading 'It'/'They' with the previous sentence's named subject, or flag it."""
    match = PRONOUN_START_RE.match(text)
    if match:
        word = match.group(1).lower()
        antecedent_ = antecedent(previous, word) if previous and not previous.flags else ""
        if antecedent_ and word in ("it", "he", "she"):
            name = antecedent_[0].upper() + antecedent_[1:]
            return name + text[match.end() :], []
        if antecedent_ and word in ("its", "his", "her"):
            name = antecedent_[0].upper() + antecedent_[1:]
            return f"{name}'s" + text[match.end() :], []
        if previous and not previous.flags and len((previous.text + text).split()) <= 45:
            # Merge with the sentence that names what the pronoun stands for.
            return previous.text.rstrip(".") + "; " + text[0].lower() + text[1:], []
        return text, ["starts with a pronoun: needs the sentence before"]
    if DEMONSTRATIVE_START_RE.match(text):
        return text, ["starts with 'this/these': needs the sentence before"]
    return text, []


def subject_terms(title: str, text: str) -> set[str]:
    """Names in the title that recur in the article (and their demonyms): the subject."""
    counts = Counter(re.findall(r"[A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?", text))
    terms: set[str] = set()
    for word in re.findall(r"[A-Z][A-Za-z.]*", title.replace("–", " ").replace("-", " ")):
        if word.lower() in _TITLE_STOPWORDS or len(word) < 2:
            continue
        if counts[word] + text.count(word) >= 3:
            terms.add(word)
            terms.update(DEMONYMS.get(word, []))
    if "India" in text:
        terms.update({"India", "Indian", "Indians"})
    return terms


def parse(text: str, *, title: str = "") -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sentences: list[Sentence] = []
    sections: list[str] = []
    section = ""
    offset = 0
    previous: Sentence | None = None
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        if is_heading(line):
            section = HEADING_MD_RE.sub("", line).strip()
            sections.append(section)
            previous = None
            continue
        bullet = BULLET_RE.match(line)
        body_start = line_start + (bullet.end() if bullet else 0)
        body = line[bullet.end() :] if bullet else line
        for span in _segmenter().segment(body):
            raw = span.sent.strip()
            if len(raw.split()) < (3 if bullet else 5):
                continue
            start = body_start + body.index(raw, span.start)
            cleaned, flags = _resolve_pronoun(_clean(raw), previous)
            sentence = Sentence(
                text=cleaned,
                raw=raw,
                start=start,
                end=start + len(raw),
                section=section,
                index=len(sentences),
                bullet=bool(bullet),
                flags=flags,
            )
            sentences.append(sentence)
            previous = sentence
    return Article(title, text, sentences, sections, subject_terms(title, text))
