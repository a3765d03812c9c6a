"""Search terms: how study text and a learner's query become the same lexemes.

One tokenizer serves the index and the query on every database, so "2+2", "G20", "US-2" and
"1,50,000" are single terms (never a bare "2" that matches every year), hyphenated names
also match their parts ("Indo-Pacific" is found by "pacific"), and English words are
stemmed with the Snowball stemmer PostgreSQL's `english` configuration uses ("treaties" finds
"treaty"). PostgreSQL stores the result as a `tsvector` literal and matches a `tsquery`
literal built here; SQLite matches the same lexemes in a space-separated copy. No ORM here.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import snowballstemmer
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 8
MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions per lexeme
MAX_POSITION = 16383

_STEMMER = snowballstemmer.stemmer("english")
# A term: letters/digits joined by + - / & (and . or , between digits: "3.5", "1,50,000").
_TOKEN_RE = re.compile(r"[^\W_]+(?:(?:[-+/&]|(?<=\d)[.,](?=\d))[^\W_]+)*")
_JOINER_RE = re.compile(r"[-+/&.,]")
_SPACED_PLUS_RE = re.compile(r"(?<=\w)\s*\+\s*(?=\w)")
_POSSESSIVE_RE = re.compile(r"(?<=\w)['’]s\b")
_COMBINING_RE = re.compile("[\u0300-\u036f]")  # accents once NFKD splits them off
_EMPHASIS_RE = re.compile(r"[*_`]+")
_CITATION_RE = re.compile(r"\s*\[[a-z0-9]+(?:-[a-z0-9]+)+\](?!\()")
_PHRASE_RE = re.compile(r'"([^"]*)"')
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
        "what",
        "who",
        "how",
        "when",
        "where",
        "why",
        "did",
        "does",
        "do",
    }
)


def fold(text: str) -> str:
    """Lower case without accents ("Tōdai-ji" → "todai-ji"), "2 + 2" → "2+2", no "'s"."""
    if text.isascii():
        text = text.lower()
    else:
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text)).lower()
    return _POSSESSIVE_RE.sub("", _SPACED_PLUS_RE.sub("+", text))


def plain(markdown: str) -> str:
    """A short Markdown field as plain text (emphasis marks and citation marks dropped)."""
    return " ".join(_CITATION_RE.sub("", _EMPHASIS_RE.sub("", markdown)).split())


@functools.lru_cache(maxsize=65536)  # the Snowball stemmer is pure Python: stem a word once
def lexeme(word: str) -> str:
    """The indexed form of one folded word: English stem for letters, as written otherwise."""
    return _STEMMER.stemWord(word) if word.isalpha() else word


def _part_counts(part: str) -> bool:
    """Parts of a compound indexed on their own: words ("us" of "US-2"), long numbers."""
    return part.isalpha() or len(part) >= 3


@dataclass
class Token:
    text: str  # the folded word as written ("us-2", "treaties")
    lexeme: str  # what is matched ("us-2", "treati")
    parts: list[str]  # lexemes of a compound's parts, "" for a part that is not indexed


def tokens(text: str) -> list[Token]:
    """The terms of `text` in order."""
    found = []
    for match in _TOKEN_RE.finditer(fold(text)):
        word = match.group()
        parts = _JOINER_RE.split(word) if _JOINER_RE.search(word) else []
        found.append(
            Token(word, lexeme(word), [lexeme(p) if _part_counts(p) else "" for p in parts])
        )
    return found


@dataclass
class Analysed:
    """One document's lexemes with positions and weights, and the words it contains."""

    positions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    stream: list[str] = field(default_factory=list)  # lexemes in order, "~" for a gap
    compounds: list[str] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    length: int = 0

    def add(self, text: str, weight: str) -> None:
        """Append a field (weight "A" title, "B" body, "C" context) after a gap."""
        position = 1
        if self.stream:  # a gap keeps a phrase from spanning two fields
            position = self.length + 2
            self.stream.append("|")
        for token in tokens(text):
            if token.parts:
                self._at(token.lexeme, position, weight)
                self.compounds.append(token.lexeme)
                for offset, part in enumerate(token.parts):
                    if part:
                        self._at(part, position + offset, weight)
                    self.stream.append(part or "~")
                position += len(token.parts)
            else:
                self._at(token.lexeme, position, weight)
                self.stream.append(token.lexeme)
                position += 1
            if token.text.isalpha() and len(token.text) > 3 and token.text not in STOPWORDS:
                self.words.add(token.text)
        self.length = position - 1

    def _at(self, lex: str, position: int, weight: str) -> None:
        spots = self.positions[lex]
        if len(spots) < MAX_POSITIONS:
            spots.append(f"{min(position, MAX_POSITION)}{weight}")

    def tsvector(self) -> str:
        """A PostgreSQL tsvector literal: 'lexeme':1A,7B ..."""
        return " ".join(f"{quote(lex)}:{','.join(spots)}" for lex, spots in self.positions.items())

    def terms(self) -> str:
        """The SQLite copy: " lex lex | lex ~ lex || compound compound " (spaces at both ends)."""
        return f" {' '.join(self.stream)} || {' '.join(self.compounds)} "


def quote(lex: str) -> str:
    """A lexeme quoted for a tsvector/tsquery literal."""
    return "'" + lex.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class Group:
    """One thing every hit must contain: a term, or any of alternatives (each a phrase)."""

    alternatives: list[list[str]]  # each alternative is a phrase of one or more lexemes
    word: str  # as the learner typed it (folded), for "did you mean"

    def tsquery(self, weight: str = "") -> str:
        alts = [" <-> ".join(f"{quote(lex)}{':' + weight if weight else ''}" for lex in a)
                for a in self.alternatives]  # fmt: skip
        return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"

    def patterns(self) -> list[str]:
        """What the SQLite copy contains when the group matches (one per alternative)."""
        return [f" {' '.join(a)} " for a in self.alternatives]


@dataclass
class Query:
    text: str
    groups: list[Group]
    phrase: list[str]  # the whole query as a phrase (ranking bonus), [] for one term
    highlight: set[str]  # lexemes to mark in titles and snippets

    def __bool__(self) -> bool:
        return bool(self.groups)

    def tsquery(self) -> str:
        return " & ".join(g.tsquery() for g in self.groups)

    def phrase_tsquery(self) -> str:
        return " <-> ".join(quote(lex) for lex in self.phrase)


def _group(token: Token) -> Group:
    alternatives = [[token.lexeme]]
    if token.parts and all(token.parts):  # "act-east" also matches "Act East"
        alternatives.append(token.parts)
    return Group(alternatives, token.text)


def parse(q: str) -> Query:
    """The learner's query: every term (or quoted phrase) must match; stopwords are dropped
    unless the query is nothing else; at most MAX_TERMS terms."""
    groups: list[Group] = []
    for phrase in _PHRASE_RE.findall(q):
        lexemes = [t.lexeme for t in tokens(phrase)]
        if len(lexemes) > 1:
            groups.append(Group([lexemes], fold(phrase).strip()))
        elif lexemes:
            groups.extend(_group(t) for t in tokens(phrase))
    loose = tokens(_PHRASE_RE.sub(" ", q))
    content = [t for t in loose if t.text not in STOPWORDS] or loose
    groups.extend(_group(t) for t in content)
    unique: list[Group] = []
    for g in groups:
        if g.alternatives not in [u.alternatives for u in unique]:
            unique.append(g)
    unique = unique[:MAX_TERMS]
    all_tokens = tokens(q.replace('"', " "))
    phrase = [t.lexeme for t in all_tokens if not t.parts] if len(all_tokens) > 1 else []
    if len(phrase) != len(all_tokens):
        phrase = []
    marks = {lex for g in unique for alt in g.alternatives for lex in alt}
    return Query(q, unique, phrase, marks)


def _marks(text: str, lexemes: set[str]) -> list[tuple[int, int]]:
    """Spans of `text` whose term (or a part of it) is one of `lexemes`."""
    folded = fold(text)
    if len(folded) != len(text):  # folding moved offsets: match on the text as written
        folded = text.lower() if len(text.lower()) == len(text) else text
    spans = []
    for match in _TOKEN_RE.finditer(folded):
        word = match.group()
        if lexeme(word) in lexemes:
            spans.append((match.start(), match.end()))
            continue
        start = match.start()
        for part in _JOINER_RE.split(word):
            if part and lexeme(part) in lexemes and _part_counts(part):
                spans.append((start, start + len(part)))
            start += len(part) + 1
    return spans


def highlight(text: str, lexemes: set[str], *, limit: int = 220) -> SafeString:
    """A snippet of `text` around the first match, HTML-escaped, matches in <mark>."""
    spans = _marks(text, lexemes)
    start = 0
    if len(text) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, first - limit // 3)
        if start:
            start = text.rfind(" ", 0, start) + 1  # whole words only
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = ["…" if start else ""]
    cursor = start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        pieces.append(html.escape(text[cursor:s]))
        pieces.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(html.escape(text[cursor:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: a swap of neighbours counts one ("unicron")."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]
