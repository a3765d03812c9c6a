"""The words of a Mains answer: cleaning, word count, tokens and their stems, word forms.

Pure functions, no ORM; `quizzes.coverage` matches key points with them. Tokens are stemmed
with the Snowball English stemmer, so "loans" finds "loan"; `word_form` lets a keyword stem find
longer forms of itself ("Japan" finds "Japanese", "China" finds "Chinese").
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

# ---- text -----------------------------------------------------------------------------------

# C0 controls and DEL and C1 controls, except tab and newline (\r is folded into \n first).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """The text with line endings made \\n and control characters removed (tabs, newlines kept).

    NUL and friends cannot be stored in PostgreSQL and mean nothing in an answer; pasted text
    from word processors sometimes carries them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def count_words(text: str) -> int:
    """Words as an examiner counts them: whitespace-separated runs containing a letter or digit.

    "India–Japan" is one word, a lone dash or bullet is none. static/js/mains.js counts the same
    way so the live count and the stored count agree.
    """
    return sum(1 for chunk in text.split() if any(c.isalnum() for c in chunk))


# ---- tokens and stems -----------------------------------------------------------------------

# Numbers keep their inner separators ("17.7", "51,000"); words are runs of letters with inner
# apostrophes ("India's"); "%" and "&" are tokens of their own.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[%&]")
_TOKEN_WORDS = {"%": "percent", "&": "and"}

# Short words that are also abbreviations ("IT", "US"): as a one-word keyword they match only
# when the answer writes them in capitals, or every "it" would count.
AMBIGUOUS = frozenset(
    {"a", "am", "an", "as", "at", "be", "do", "go", "in", "is", "it", "me", "no", "on", "or"}
    | {"so", "to", "up", "us", "we"}
)

_local = threading.local()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word (numbers come back unchanged)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:  # stemmer objects keep state while stemming: one per thread
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


@dataclass(frozen=True)
class Tokens:
    """An answer as stems, with which tokens were written in capitals (for AMBIGUOUS words)."""

    stems: tuple[str, ...]
    upper: tuple[bool, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        stems, upper = [], []
        for raw in _TOKEN_RE.findall(text.replace("’", "'").replace("‘", "'")):
            word = _TOKEN_WORDS.get(raw, raw)
            if word[0].isdigit():
                word = word.replace(",", "")  # 51,000 = 51000
            stems.append(stem(word.lower()))
            upper.append(len(word) > 1 and word.isupper())
        return cls(tuple(stems), tuple(upper))

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """{stem: indexes where it occurs}, to find phrases without scanning every token."""
        index: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(self.stems):
            index[s].append(i)
        return index

    @cached_property
    def _sorted_stems(self) -> list[str]:
        return sorted(self.positions)

    def _forms(self, key: str) -> list[str]:
        """The answer's stems that are a form of the keyword stem `key` (see word_form)."""
        if not key.isalpha() or len(key) < 4:
            return [key] if key in self.positions else []
        base = key[:-1] if key.endswith("a") else key
        stems = self._sorted_stems
        start = bisect.bisect_left(stems, base)
        found = []
        for candidate in stems[start:]:
            if not candidate.startswith(base):
                break
            if word_form(key, candidate):
                found.append(candidate)
        return found

    def _at(self, i: int, key: str) -> bool:
        return self.stems[i] == key or word_form(key, self.stems[i])

    def find(self, seq: tuple[str, ...]) -> list[tuple[int, int]]:
        """Spans (start, end) where the stem sequence occurs (each word in any of its forms);
        a one-word AMBIGUOUS keyword counts only where it was written in capitals."""
        if not seq:
            return []
        n = len(seq)
        needs_caps = n == 1 and seq[0] in AMBIGUOUS
        starts = sorted(i for form in self._forms(seq[0]) for i in self.positions[form])
        return [
            (i, i + n)
            for i in starts
            if i + n <= len(self.stems)
            and all(self._at(i + j, seq[j]) for j in range(1, n))
            and (not needs_caps or self.upper[i])
        ]


DEMONYM_ENDINGS = ("an", "es", "ian")  # china → chines(e), asia → asian, india → indian


def word_form(key: str, stem_: str) -> bool:
    """Is the answer's stem `stem_` a form of the keyword stem `key`?

    The Snowball stemmer leaves derived words apart ("japan" / "japanes"): a keyword stem of
    five letters or more also finds stems that extend it by at most three letters, and one
    ending in "a" (a country or region) finds its demonym. Short stems and numbers match
    only exactly ("plan" must not find "planet", "2014" not "20145").
    """
    if stem_ == key:
        return True
    if not key.isalpha():
        return False
    if len(key) >= 5 and stem_.startswith(key) and len(stem_) - len(key) <= 3:
        return True
    return (
        len(key) >= 4 and key.endswith("a") and stem_[len(key) - 1 :] in DEMONYM_ENDINGS
        and stem_.startswith(key[:-1])
    )  # fmt: skip


def phrase(text: str) -> tuple[str, ...]:
    """A keyword as its sequence of stems."""
    return Tokens.of(text).stems
