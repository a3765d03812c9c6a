"""UPSC Prelims formats: the standard wording, and options and keys derived from structure.

Pure functions, no ORM. The loader, the admin and the quiz engine all derive options here, so
an author can never mis-key a structured question and the rendered wording is the exam's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import combinations

LETTERS = ("a", "b", "c", "d")

ASK_CORRECT = "correct"
ASK_INCORRECT = "incorrect"
ASK_HOW_MANY = "how_many"

AR_OPTIONS = (
    "Both Statement-I and Statement-II are correct and Statement-II explains Statement-I",
    "Both Statement-I and Statement-II are correct and Statement-II does not explain Statement-I",
    "Statement-I is correct but Statement-II is incorrect",
    "Statement-I is incorrect but Statement-II is correct",
)

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


class FormatError(ValueError):
    """The structure of a question admits no valid UPSC key (e.g. all true, asked 'incorrect')."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Options:
    texts: tuple[str, str, str, str]
    key: int  # index into texts (0 = (a))

    @property
    def key_letter(self) -> str:
        return LETTERS[self.key]


def statements_prompt(ask: str) -> str:
    if ask == ASK_HOW_MANY:
        return "How many of the above statements are correct?"
    if ask == ASK_INCORRECT:
        return "Which of the statements given above is/are not correct?"
    return "Which of the statements given above is/are correct?"


def pairs_prompt(ask: str) -> str:
    if ask == ASK_HOW_MANY:
        return "How many of the pairs given above are correctly matched?"
    return "Which of the pairs given above is/are correctly matched?"


AR_PROMPT = "Which one of the following is correct in respect of the above statements?"


def subset_label(subset: tuple[int, ...], n: int) -> str:
    """'1 only', '1 and 2 only', '1, 2 and 3', 'Both 1 and 2', 'Neither 1 nor 2'."""
    numbers = [str(i) for i in subset]
    if n == 2 and len(subset) == 2:
        return "Both 1 and 2"
    if n == 2 and not subset:
        return "Neither 1 nor 2"
    if len(subset) == 1:
        return f"{numbers[0]} only"
    joined = ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
    return joined if len(subset) == n else f"{joined} only"


def _stable_rank(seed: str, subset: tuple[int, ...]) -> str:
    return hashlib.sha256(f"{seed}:{subset}".encode()).hexdigest()


def subset_options(truths: list[bool], *, want_true: bool, seed: str) -> Options:
    """Combination options ('1 and 2 only' ...) for 'which is/are (not) correct'.

    The key is the set of statements that are true (or false, when want_true is False). With
    two statements the four options are the standard fixed ones. With three or four, the three
    distractors are the subsets that (1) leave no statement settled by the options alone (in all
    four options or in none), then (2) lie nearest the key (one statement different where
    possible), tie-broken by a hash of `seed` so the same question always shows the same options.
    """
    n = len(truths)
    key = tuple(i + 1 for i, t in enumerate(truths) if t == want_true)
    if n == 2:
        fixed = [(1,), (2,), (1, 2), ()]
        return Options(tuple(subset_label(s, 2) for s in fixed), fixed.index(key))
    if not key:
        what = "true" if want_true else "false"
        ask = "correct" if want_true else "not correct"
        raise FormatError(
            "statements",
            f"no statement is {what}, but the question asks which is/are {ask}; "
            f"with {n} statements there is no 'none' option",
        )
    universe = [c for r in range(1, n + 1) for c in combinations(range(1, n + 1), r)]
    candidates = [s for s in universe if s != key]

    def giveaways(options: tuple[tuple[int, ...], ...]) -> int:
        # A statement in every option (or in none) is settled without being known.
        return sum(
            1
            for i in range(1, n + 1)
            if all(i in o for o in options) or not any(i in o for o in options)
        )

    def cost(triple: tuple[tuple[int, ...], ...]) -> tuple:
        options = (*triple, key)
        distance = sum(len(set(s) ^ set(key)) for s in triple)
        return (giveaways(options), distance, "".join(_stable_rank(seed, s) for s in triple))

    best = min(combinations(candidates, 3), key=cost)
    chosen = [*best, key]
    chosen.sort(key=lambda s: (len(s), s))
    return Options(tuple(subset_label(s, n) for s in chosen), chosen.index(key))


def how_many_options(truths: list[bool], *, noun: str = "statements") -> Options:
    """'Only one / Only two / All three / None' (3 items) or 'Only one ... All four' (4 items)."""
    n = len(truths)
    count = sum(truths)
    if n == 3:
        texts = ("Only one", "Only two", "All three", "None")
        key = {1: 0, 2: 1, 3: 2, 0: 3}[count]
        return Options(texts, key)
    if n == 4:
        if count == 0:
            raise FormatError(
                noun,
                f"none of the four {noun} is correct, but the standard 'how many' options "
                "for four run from 'Only one' to 'All four'",
            )
        return Options(("Only one", "Only two", "Only three", "All four"), count - 1)
    raise FormatError(noun, f"a 'how many' question needs 3 or 4 {noun}, not {n}")


def assertion_reason_options(s1_true: bool, s2_true: bool, explains: bool | None) -> Options:
    """The four standard Statement-I / Statement-II options and the key."""
    if s1_true and s2_true:
        if explains is None:
            raise FormatError("explains", "both statements are true: say whether II explains I")
        return Options(AR_OPTIONS, 0 if explains else 1)
    if s1_true:
        return Options(AR_OPTIONS, 2)
    if s2_true:
        return Options(AR_OPTIONS, 3)
    raise FormatError(
        "statement_1", "both statements are false: no standard Statement-I/II option fits"
    )


def derive_options(
    kind: str, *, ask: str = "", truths: list[bool], explains: bool | None = None, seed: str = ""
) -> Options:
    """Options and key for a structured question from the truth of its statements/pairs."""
    if kind == "statements":
        if not 2 <= len(truths) <= 4:
            raise FormatError("statements", f"needs 2 to 4 statements, not {len(truths)}")
        if ask == ASK_HOW_MANY:
            return how_many_options(truths)
        return subset_options(truths, want_true=ask != ASK_INCORRECT, seed=seed)
    if kind == "pairs":
        if not 2 <= len(truths) <= 4:
            raise FormatError("pairs", f"needs 2 to 4 pairs, not {len(truths)}")
        if ask == ASK_HOW_MANY:
            return how_many_options(truths, noun="pairs")
        return subset_options(truths, want_true=True, seed=seed)
    if kind == "assertion_reason":
        if len(truths) != 2:
            raise FormatError("statement_1", "needs exactly Statement-I and Statement-II")
        return assertion_reason_options(truths[0], truths[1], explains)
    raise FormatError("kind", f"options of a {kind!r} question are written, not derived")


def prompt_for(kind: str, ask: str) -> str:
    if kind == "statements":
        return statements_prompt(ask)
    if kind == "pairs":
        return pairs_prompt(ask)
    if kind == "assertion_reason":
        return AR_PROMPT
    return ""


_VERDICT_RE = re.compile(r"^\s*(correct|incorrect)\b\s*[.,:;]?\s*", re.IGNORECASE)


def without_verdict(explanation: str, *, true: bool) -> str:
    """A statement's or pair's explanation after the page's own verdict badge: a leading
    "Correct." / "Incorrect," that agrees with `true` is dropped, so the page never reads
    "Correct Correct."; a verdict that disagrees stays, for an author to see."""
    match = _VERDICT_RE.match(explanation or "")
    if not match or (match.group(1).lower() == "correct") != true:
        return explanation
    return explanation[match.end() :] or explanation
