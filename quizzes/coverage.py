"""Reading a Mains answer: cleaning, word count, key-point coverage and structure hints.

Pure functions, no ORM. What they say about an answer is a *hint* for the learner's
self-assessment, never a grade: a keyword can be present in a sentence that says the opposite,
and a good point can be made in words no author listed.

Coverage: every key point carries keywords (alternatives, e.g. "oda", "official development
assistance") and, optionally, synonyms authored in the pack ("two plus two" for "2+2").
Keywords and the answer are tokenised the same way and stemmed with the Snowball English
stemmer, so "loans" finds "loan" and "connected" finds "connectivity"; other word forms count
too (a keyword stem of five letters or more finds a word that extends it by up to three,
"Japan" finds "Japanese"; a stem ending in "a" finds its demonym, "China" finds "Chinese"). A
phrase keyword matches only as the same sequence of stemmed tokens ("act east" is not "east ...
act"). A small table of general synonyms and abbreviations (SYNONYMS) widens each keyword.

A point with one or two keywords is "covered" when one is found; with more, two separate pieces
of evidence are needed and one makes it "partly covered". Either way the evidence must include
one of the point's *distinctive* terms: a keyword made only of words any answer on the subject
uses (GENERIC: "India", "Japan", "strategic", "cooperation"), of words of the question itself,
or that the question shares with another of its key points, is "common" — matching only common
terms makes a point at most "partly covered". (A point whose keywords are all common is judged
on them, as before.)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# The answer's words (cleaning, counting, stems) live in quizzes.answer_text; the callers that
# only clean and count keep reading them from here.
from quizzes.answer_text import (
    Tokens,
    clean_text,  # noqa: F401 - the views clean answers through here
    count_words,
    phrase,
)

# ---- synonyms -------------------------------------------------------------------------------

# Groups of interchangeable terms for India–Japan / IR answers: abbreviations, spellings and
# near-synonyms an examiner would accept for each other. Each keyword is widened with the
# other members of any group it contains (as a phrase: "japan oda" also tries "japan official
# development assistance").
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("oda", "official development assistance", "development assistance", "yen loan"),
    ("jica", "japan international cooperation agency"),
    ("northeast", "north east", "north eastern", "northeastern", "ner"),
    ("act east", "act east policy"),
    ("way forward", "going forward", "road ahead", "path ahead", "the future"),
    ("us", "united states", "usa", "america"),
    ("uk", "united kingdom", "britain"),
    ("un", "united nations"),
    ("unsc", "un security council", "security council"),
    ("asean", "association of southeast asian nations"),
    ("quad", "quadrilateral security dialogue", "quadrilateral"),
    ("ssgp", "special strategic and global partnership", "special strategic"),
    ("cepa", "comprehensive economic partnership agreement"),
    ("fdi", "foreign direct investment"),
    ("mou", "memorandum of understanding"),
    ("dmic", "delhi mumbai industrial corridor"),
    ("mahsr", "bullet train", "high speed rail", "shinkansen"),
    ("scri", "supply chain resilience initiative", "supply chain resilience"),
    ("titp", "technical intern training programme", "technical intern"),
    ("acsa", "acquisition and cross servicing agreement"),
    ("2+2", "two plus two"),
    ("r&d", "research and development"),
    ("ai", "artificial intelligence"),
    ("nsg", "nuclear suppliers group"),
    ("npt", "non proliferation treaty", "nuclear non proliferation treaty"),
    ("critical minerals", "rare earths", "rare earth"),
    ("semiconductor", "chip"),
    ("trade deficit", "trade imbalance"),
    ("deficit", "imbalance"),
    ("percent", "per cent"),
    ("bn", "billion"),
    ("indo pacific", "indo pacific region"),
    ("non aligned", "non alignment", "nonaligned"),
    ("multi aligned", "multi alignment", "multialignment"),
    ("strategic autonomy", "independent foreign policy"),
    ("people to people", "people to people ties", "cultural exchange"),
    ("defence", "defense"),
    ("programme", "program"),
    ("ageing", "aging"),
    ("civilisational", "civilizational"),
    ("organisation", "organization"),
    ("modernisation", "modernization"),
    ("labour", "labor"),
)


@lru_cache(maxsize=1)
def _synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    return tuple(tuple(dict.fromkeys(phrase(term) for term in group)) for group in SYNONYMS)


def _index_of(seq: tuple[str, ...], part: tuple[str, ...]) -> int:
    n = len(part)
    for i in range(len(seq) - n + 1):
        if seq[i : i + n] == part:
            return i
    return -1


@lru_cache(maxsize=4096)
def variants(keyword: str) -> frozenset[tuple[str, ...]]:
    """The keyword's stem sequence and the sequences its synonyms make (one swap per group)."""
    found = {phrase(keyword)} - {()}
    for group in _synonym_groups():
        for seq in list(found):
            for member in group:
                at = _index_of(seq, member)
                if at < 0:
                    continue
                for other in group:
                    found.add(seq[:at] + other + seq[at + len(member) :])
                break
    return frozenset(found)


# ---- coverage -------------------------------------------------------------------------------

COVERED, PARTIAL, MISSING = "covered", "partial", "missing"


# Words nearly every answer on India–Japan relations uses: as a point's only evidence they show
# nothing (stems, as Tokens makes them).
GENERIC = frozenset(
    phrase_word
    for word in (
        "india", "japan", "indian", "japanese", "relation", "relationship", "ties", "tie",
        "partner", "partnership", "cooperation", "cooperate", "bilateral", "country",
        "countries", "nation", "both", "two", "important", "importance", "significant",
        "significance", "role", "strategic", "economic", "economy", "global", "world",
        "increase", "increasing", "growing", "growth", "new", "also", "key", "major",
        "development", "develop", "policy", "area", "sector", "region", "regional",
        # words of analysis any answer uses, whatever the point
        "reform", "reforms", "challenge", "issue", "problem", "future", "limited", "concern",
        "project", "projects", "need", "improve",
    )
    for phrase_word in [snowballstemmer.stemmer("english").stemWord(word)]
)  # fmt: skip
STOP = frozenset(
    {"a", "an", "and", "the", "of", "to", "in", "for", "on", "with", "by", "as", "at", "from"}
    | {"its", "their", "is", "are", "be", "or", "that", "this", "it"}
)


@dataclass(frozen=True)
class PointMatch:
    """What the matcher found for one key point."""

    point_id: int
    matched: tuple[str, ...]  # the author's keywords (or synonyms) found, in their order
    needed: int  # separate pieces of distinctive evidence that make the point "covered"
    distinctive: int | None = None  # pieces of it that are distinctive (None: all count)

    @property
    def status(self) -> str:
        evidence = len(self.matched) if self.distinctive is None else self.distinctive
        if self.matched and evidence >= self.needed:
            return COVERED
        return PARTIAL if self.matched else MISSING

    @property
    def covered(self) -> bool:
        return self.status == COVERED


def needed_matches(keyword_count: int) -> int:
    """One keyword for a point with one or two keywords, two separate ones for more."""
    return 1 if keyword_count <= 2 else 2


def is_common(seq: tuple[str, ...], common: frozenset[str]) -> bool:
    """A phrase (stems) made only of common words and stop words."""
    return all(s in common or s in STOP for s in seq)


def match_point(
    tokens: Tokens,
    point_id: int,
    keywords: Sequence[str],
    synonyms: Sequence[str] = (),
    *,
    common: frozenset[str] = GENERIC,
    shared: frozenset[tuple[str, ...]] = frozenset(),
) -> PointMatch:
    """Which of a point's keywords (then synonyms) the answer contains, each one a separate
    piece of evidence, and how many of them are distinctive.

    A keyword counts when one of its forms (itself first, then its synonyms) occurs in the
    answer as a phrase no earlier keyword of the point used, and not only inside text an
    earlier keyword already claimed. So "ODA" does not count twice for "oda" and "official
    development assistance", nor does "special strategic" also count as "strategic"; but
    "ODA … yen loans" is two pieces of evidence. The point's own `synonyms` count like keywords
    but do not raise how many pieces are needed. A keyword is not distinctive when it is made of
    `common` words or is one of the question's `shared` phrases (in another point too); only
    distinctive pieces count towards `needed` (lowered to the number of distinctive terms the
    point has; a point with none is judged on all its terms).
    """
    used: set[tuple[str, ...]] = set()
    claimed: set[int] = set()
    matched, distinctive = [], 0
    terms = [t for t in (*keywords, *synonyms) if phrase(t)]
    distinct_terms = {
        phrase(t) for t in terms if not is_common(phrase(t), common) and phrase(t) not in shared
    }
    for term in terms:
        own = phrase(term)
        for seq in sorted(variants(term), key=lambda v: (v != own, v)):
            if seq in used:
                continue
            spans = tokens.find(seq)
            if any(not claimed.issuperset(range(*span)) for span in spans):
                matched.append(term)
                used.add(seq)
                for span in spans:
                    claimed.update(range(*span))
                if own in distinct_terms:
                    distinctive += 1
                break
    needed = needed_matches(len(keywords))
    if not distinct_terms:
        return PointMatch(point_id, tuple(matched), needed)
    return PointMatch(point_id, tuple(matched), min(needed, len(distinct_terms)), distinctive)


def match_points(text: str, points: Iterable[Sequence], *, question: str = "") -> list[PointMatch]:
    """Coverage of each (point id, keywords[, synonyms]) in the answer text, in the points'
    order. Words of the `question` and phrases two points share are common, not evidence."""
    points = [(p[0], list(p[1]), list(p[2]) if len(p) > 2 else []) for p in points]
    tokens = Tokens.of(text)
    common = GENERIC | frozenset(Tokens.of(question).stems)
    seen: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for point_id, keywords, synonyms in points:
        for term in (*keywords, *synonyms):
            seen[phrase(term)].add(point_id)
    shared = frozenset(seq for seq, ids in seen.items() if len(ids) > 1)
    return [
        match_point(tokens, pid, kws, syns, common=common, shared=shared)
        for pid, kws, syns in points
    ]


def suggested_ids(matches: Iterable[PointMatch]) -> list[int]:
    """Ids of the points the matcher thinks are covered (stored as MainsAnswer.suggested_points)."""
    return [m.point_id for m in matches if m.covered]


# ---- structure ------------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^(?:[-*•·▪◦–—>]|\(?\d{1,2}[.)]|\(?[a-h][.)]|\(?[ivx]{1,4}[.)])\s*")
_INTRO_HEADING_RE = re.compile(r"^(?:intro(?:duction)?|context|background)\b", re.IGNORECASE)
CONCLUSION_CUES = (
    "way forward", "going forward", "road ahead", "path ahead", "in conclusion", "to conclude",
    "conclusion", "concluding", "to sum up", "in sum", "in short", "overall", "thus",
    "therefore", "hence", "should", "must", "need to", "needs to", "the future", "ahead",
)  # fmt: skip
INTRO_MIN_WORDS = 8
TAIL_SHARE = 0.3  # the closing blocks searched for a conclusion: about the last 30% of words
SLIGHTLY_OVER = 1.10  # examiners tolerate about 10% over the limit
UNDER = 0.70  # below 70% of the limit an answer is usually too thin


@dataclass(frozen=True)
class Hint:
    """One structure check: `ok` or not, a short title and a sentence of advice."""

    key: str  # "intro", "conclusion", "length"
    ok: bool
    title: str
    detail: str


def blocks(text: str) -> list[str]:
    """Non-empty lines: learners write a paragraph or a point per line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _is_heading(block: str) -> bool:
    return block.endswith(":") or (len(block.split()) <= 4 and block[-1:] not in ".!?")


def intro_hint(text: str, *, word_limit: int) -> Hint:
    """Does the answer open with a short prose introduction before its body?"""
    parts = blocks(text)
    if parts and _INTRO_HEADING_RE.match(parts[0]) and _is_heading(parts[0]):
        parts = parts[1:]  # "Introduction:" on its own line: the next block is the intro
    longest = max(60, round(word_limit * 0.35))
    if len(parts) < 2:
        return Hint(
            "intro",
            False,
            "No separate introduction",
            "The answer is one block. Open with one or two lines of context (a date, a fact, "
            "a definition), then write the body in paragraphs or points.",
        )
    first = parts[0]
    words = count_words(first)
    if _BULLET_RE.match(first):
        return Hint(
            "intro",
            False,
            "Starts straight with points",
            "Add a one- or two-line introduction that sets the context before the first point.",
        )
    if words < INTRO_MIN_WORDS:
        return Hint(
            "intro",
            False,
            "Very short opening",
            f"The opening line has {words} words; give the context in one or two sentences.",
        )
    if words > longest:
        return Hint(
            "intro",
            False,
            "Long opening paragraph",
            f"The first paragraph has {words} words; an introduction is usually one or two "
            f"lines (up to about {longest} words) so the body gets the space.",
        )
    return Hint("intro", True, "Introduction present", f"A {words}-word opening sets the context.")


@lru_cache(maxsize=1)
def _cue_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(phrase(cue) for cue in CONCLUSION_CUES)


def conclusion_hint(text: str) -> Hint:
    """Does the answer end with a conclusion or a way forward?

    Looks for the phrases that signal a conclusion in the closing blocks: the last one and as
    many before it as make up TAIL_SHARE of the words (so a "Way forward:" heading followed by
    a few points is found); the first block, the introduction, is never part of it.
    """
    parts = blocks(text)
    advice = (
        "End with a short forward-looking conclusion ('Way forward: …') that answers the directive."
    )
    if len(parts) < 2:
        return Hint("conclusion", False, "No separate conclusion", advice)
    want = count_words(text) * TAIL_SHARE
    tail: list[str] = []
    for part in reversed(parts[1:]):
        tail.insert(0, part)
        if count_words(" ".join(tail)) >= want:
            break
    tokens = Tokens.of(" ".join(tail))
    for cue, seq in zip(CONCLUSION_CUES, _cue_phrases(), strict=True):
        if tokens.find(seq):
            return Hint(
                "conclusion",
                True,
                "Conclusion / way forward present",
                f"The closing lines conclude (found “{cue}”).",
            )
    return Hint("conclusion", False, "No conclusion or way forward found", advice)


def length_hint(words: int, *, word_limit: int) -> Hint:
    """Words against the limit: over (by more than 10%), slightly over, under 70%, or fine."""
    if words > word_limit * SLIGHTLY_OVER:
        return Hint(
            "length",
            False,
            f"{words - word_limit} words over the limit",
            f"{words} words for a {word_limit}-word answer. In the exam the extra words cost "
            f"time you need for other questions: trim to about {word_limit}.",
        )
    if words > word_limit:
        return Hint(
            "length",
            True,
            "Slightly over the limit",
            f"{words} words for {word_limit}: within the usual 10% tolerance.",
        )
    if words < word_limit * UNDER:
        return Hint(
            "length",
            False,
            "Under the word limit",
            f"{words} words of {word_limit}: probably too thin to cover the key points; aim "
            f"for close to {word_limit}.",
        )
    return Hint("length", True, "Within the word limit", f"{words} words of {word_limit}.")


def structure_hints(text: str, *, word_limit: int) -> list[Hint]:
    """The three structure checks the answer page shows: introduction, conclusion, length."""
    return [
        intro_hint(text, word_limit=word_limit),
        conclusion_hint(text),
        length_hint(count_words(text), word_limit=word_limit),
    ]
