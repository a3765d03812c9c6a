"""The content-pack file format as pydantic models: the shape of every item an author writes.

Shape rules live here (required fields, allowed values, counts); rules that need more than one
item (references, duplicates) and the UPSC option derivation are checked by the loader.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from content.formats import FormatError, derive_options

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Status = Literal["draft", "published", "retired"]
CLOZE_ANY = re.compile(r"\{\{c(\d+)::(.+?)\}\}")


def parse_partial_date(value) -> tuple[dt.date, str] | None:
    """'2014', '2014-09', '2014-09-01' (or a YAML date/int) → (date, precision)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value).strip()
    for pattern, precision in (
        (r"^(\d{4})$", "year"),
        (r"^(\d{4})-(\d{2})$", "month"),
        (r"^(\d{4})-(\d{2})-(\d{2})$", "day"),
    ):
        match = re.match(pattern, text)
        if match:
            parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            try:
                return dt.date(*parts), precision
            except ValueError as exc:
                raise ValueError(f"{text!r} is not a real date ({exc})") from None
    raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")


PartialDate = str | int | dt.date | None


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceItem(Item):
    id: Slug
    title: Text
    publisher: str = ""
    author: str = ""
    date: PartialDate = None
    url: str = ""
    file: str = ""
    notes: str = ""

    @field_validator("date")
    @classmethod
    def _date(cls, v):
        parse_partial_date(v)
        return v


class PackFile(Item):
    slug: Slug
    title: Text
    description: str = ""
    sources: list[SourceItem] = Field(min_length=1)


class NoteFrontMatter(Item):
    topic: Slug
    title: Text
    order: int = Field(ge=0)
    summary: str = ""
    sources: list[Slug] = Field(default_factory=list)
    status: Status = "published"


class ClaimItem(Item):
    source: Slug
    value: Text
    agrees: bool = True


class FactItem(Item):
    id: Slug
    topic: Slug
    statement: Text
    value: Text
    kind: Literal["date", "number", "name", "event", "agreement", "other"] = "other"
    date: PartialDate = None
    claims: list[ClaimItem] = Field(min_length=1)
    resolution: str = ""
    status: Status = "published"

    @field_validator("date")
    @classmethod
    def _date(cls, v):
        parse_partial_date(v)
        return v

    @field_validator("value", mode="before")
    @classmethod
    def _value_as_text(cls, v):
        return str(v) if isinstance(v, int | float | dt.date) else v

    @model_validator(mode="after")
    def _disputes_explained(self):
        if any(not c.agrees for c in self.claims) and not self.resolution.strip():
            raise ValueError(
                "resolution: a claim has agrees: false, so say why the fact's value is correct"
            )
        sources = [c.source for c in self.claims]
        if len(sources) != len(set(sources)):
            raise ValueError("claims: one claim per source")
        return self


class CardItem(Item):
    id: Slug
    topic: Slug
    kind: Literal["basic", "cloze"] = "basic"
    front: str = ""
    back: str = ""
    text: str = ""
    facts: list[Slug] = Field(min_length=1)
    sources: list[Slug] = Field(default_factory=list)
    status: Status = "published"

    @field_validator("back", mode="before")
    @classmethod
    def _back_as_text(cls, v):
        return str(v) if isinstance(v, int | float) else v

    @model_validator(mode="after")
    def _sides(self):
        if self.kind == "basic":
            if not self.front or not self.back:
                raise ValueError("front/back: a basic card needs both a front and a back")
            if self.text:
                raise ValueError("text: only cloze cards have text; use front and back")
        else:
            deletions = CLOZE_ANY.findall(self.text)
            if len(deletions) != 1 or deletions[0][0] != "1":
                raise ValueError(
                    "text: a cloze card needs exactly one deletion written {{c1::answer}}, "
                    f"found {len(deletions)}"
                )
            if self.front or self.back:
                raise ValueError("front/back: a cloze card has only text")
        return self


class ChoiceItem(Item):
    text: Text
    correct: bool
    explanation: Text

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, v):
        return str(v) if isinstance(v, int | float) else v


class StatementItem(Item):
    text: Text
    true: bool
    explanation: Text


class PairItem(Item):
    left: Text
    right: Text
    correct: bool
    explanation: Text

    @field_validator("left", "right", mode="before")
    @classmethod
    def _text(cls, v):
        return str(v) if isinstance(v, int | float) else v


class QuestionBase(Item):
    id: Slug
    topic: Slug
    difficulty: Literal["easy", "medium", "hard"]
    explanation: Text
    facts: list[Slug] = Field(default_factory=list)
    sources: list[Slug] = Field(default_factory=list)
    status: Status = "published"


class SingleQuestion(QuestionBase):
    kind: Literal["single"]
    stem: Text
    choices: list[ChoiceItem]

    @model_validator(mode="after")
    def _one_key(self):
        if len(self.choices) != 4:
            raise ValueError(
                f"choices: a single question has four choices, not {len(self.choices)}"
            )
        correct = sum(c.correct for c in self.choices)
        if correct != 1:
            raise ValueError(f"choices: exactly one choice must be correct, found {correct}")
        texts = [c.text.casefold() for c in self.choices]
        if len(set(texts)) != 4:
            raise ValueError("choices: two choices have the same text")
        return self


class StatementsQuestion(QuestionBase):
    kind: Literal["statements"]
    ask: Literal["correct", "incorrect", "how_many"]
    stem: str = "Consider the following statements:"
    statements: list[StatementItem]

    @model_validator(mode="after")
    def _derivable(self):
        _derive(self.kind, self.ask, [s.true for s in self.statements], None, self.id)
        return self


class PairsQuestion(QuestionBase):
    kind: Literal["pairs"]
    ask: Literal["how_many", "correct"] = "how_many"
    stem: str = "Consider the following pairs:"
    columns: list[Text] = Field(min_length=2, max_length=2)
    pairs: list[PairItem]

    @model_validator(mode="after")
    def _derivable(self):
        _derive(self.kind, self.ask, [p.correct for p in self.pairs], None, self.id)
        return self


class AssertionReasonQuestion(QuestionBase):
    kind: Literal["assertion_reason"]
    stem: str = "Consider the following statements:"
    statement_1: StatementItem
    statement_2: StatementItem
    explains: bool | None = None

    @model_validator(mode="after")
    def _derivable(self):
        truths = [self.statement_1.true, self.statement_2.true]
        if not all(truths) and self.explains:
            raise ValueError("explains: only meaningful when both statements are true")
        _derive(self.kind, "", truths, self.explains, self.id)
        return self


def _derive(kind, ask, truths, explains, seed) -> None:
    try:
        derive_options(kind, ask=ask, truths=truths, explains=explains, seed=seed)
    except FormatError as exc:
        raise ValueError(f"{exc.field}: {exc.message}") from None


QuestionItem = Annotated[
    SingleQuestion | StatementsQuestion | PairsQuestion | AssertionReasonQuestion,
    Field(discriminator="kind"),
]


class KeyPointItem(Item):
    text: Text
    keywords: list[Text] = Field(min_length=1)
    synonyms: list[Text] = Field(default_factory=list)

    @field_validator("keywords", "synonyms", mode="before")
    @classmethod
    def _keywords_as_text(cls, v):
        # An unquoted year in a YAML list is read as a number; the author meant the word.
        return (
            [str(k) if isinstance(k, int | float) else k for k in v] if isinstance(v, list) else v
        )


class OutlineItem(Item):
    intro: str = ""
    body: list[Text] = Field(default_factory=list)
    conclusion: str = ""


DIRECTIVES = Literal[
    "discuss", "examine", "analyse", "critically-analyse", "critically-examine", "comment",
    "elaborate", "explain", "evaluate", "assess", "elucidate", "justify", "describe", "highlight",
]  # fmt: skip
MAINS_FORMAT = {10: (150, 7), 15: (250, 11)}


class MainsItem(Item):
    id: Slug
    topic: Slug
    directive: DIRECTIVES
    marks: Literal[10, 15]
    words: int | None = None
    minutes: int | None = None
    question: Text
    key_points: list[KeyPointItem] = Field(min_length=1, max_length=10)
    outline: OutlineItem = Field(default_factory=OutlineItem)
    model_answer: str = ""
    facts: list[Slug] = Field(default_factory=list)
    sources: list[Slug] = Field(default_factory=list)
    status: Status = "published"

    @model_validator(mode="after")
    def _format(self):
        words, minutes = MAINS_FORMAT[self.marks]
        if self.words not in (None, words):
            raise ValueError(f"words: a {self.marks}-mark answer is {words} words")
        if self.minutes not in (None, minutes):
            raise ValueError(f"minutes: a {self.marks}-mark answer takes {minutes} minutes")
        written = model_answer_words(self.model_answer)
        if written > words:
            raise ValueError(
                f"model_answer: {written} words is over the {words}-word limit of a "
                f"{self.marks}-mark answer; a model answer must be writable in the exam"
            )
        return self


# A citation in a model answer: [source-or-fact-id], not a Markdown link [text](url).
CITATION_RE = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\](?!\()")


def model_answer_words(text: str) -> int:
    """Words of a model answer as an examiner counts a written one.

    Whitespace-separated runs containing a letter or digit (the rule quizzes.coverage uses for
    the learner's answer, so the two are compared alike); citation markers like [iasgyan-2025]
    are not written in the exam and do not count, nor do Markdown marks (#, -, **) alone.
    """
    text = CITATION_RE.sub(" ", text)
    return sum(1 for chunk in text.split() if any(c.isalnum() for c in chunk))
