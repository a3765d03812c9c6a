"""Values a card or question can test, found in one sentence by rules (no model).

Each value has a kind, so a question's distractors are of the same kind (dates with dates,
amounts with amounts, organisations with organisations). The order of `find_values` is the
order of preference when one sentence holds several values.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"  # noqa: E501
DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>\d{{4}})\b"
)
MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
)
MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>\d{{4}})\b")
YEAR = re.compile(
    r"(?<![\d$₹.,])\b(?P<y>1[89]\d{2}|20\d{2})(?:[-–](?:\d{2}|\d{4}))?\b(?!\s?(?:%|per cent|crore|million|billion|km|MW|GW|tonnes))"  # noqa: E501
)  # noqa: E501

_SCALE = r"(?:\s?(?:billion|million|trillion|crore|lakh|bn|mn|thousand)|(?:B|M|bn|mn|tn)\b)?"
CURRENCY = re.compile(
    rf"(?:(?:US|A|AU|S|C|NZ)\$|\$|₹|€|£|¥|Rs\.?\s?|INR\s?|USD\s?|AUD\s?|EUR\s?|AED\s?|Dh\s?|dirhams?\s)\s?\d[\d,]*(?:\.\d+)?{_SCALE}"
    rf"|\b\d[\d,]*(?:\.\d+)?{_SCALE}\s(?:dollars|euros|rupees|dirhams|yen)\b"
)
_UNIT_WORDS = (
    r"per ?cent|percent|%|km|kilometres|kilometers|miles|nautical miles|tonnes|tons|MW|GW|GWh|"
    r"megawatts?|gigawatts?|barrels(?: per day)?|hectares|square kilometres|sq km|metres|feet|"
    r"knots|kg|litres|years?|months?|days|hours"
)
NUMBER_WITH_UNIT = re.compile(
    rf"\b\d[\d,]*(?:\.\d+)?{_SCALE}\s?(?:{_UNIT_WORDS})\b|\b\d[\d,]*(?:\.\d+)?%"
)
# A figure counting something: "36 Rafale jets", "1,200 students", "3.5 million people".
COUNT = re.compile(
    rf"\b(?<![\d.,+])\d[\d,]*(?:\.\d+)?{_SCALE}\s(?:[A-Z][\w-]+\s)?(?!(?:and|or|of|to|in|on|by|the|a|an|per|from|with|at|for)\b)[a-z][\w-]{{2,}}"
)
_SPELLED = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "dozen",
]
SPELLED_NUMBER = re.compile(
    r"(?<![\w-])(?i:(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s)?(?:"
    + "|".join(_SPELLED)
    + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?)\s"
    r"(?!(?:of|and|or|to|in|the|a|an|years? ago)\b)[a-z][\w-]{2,}"
    r"|(?<![\w-])(?i:a|one)[-\s](?:third|quarter|fifth|tenth)|\b(?:two|three)-(?:thirds|quarters)\b"
    r"|\bhalf\b(?=\sof)",
)
# "two countries", "past five years": counts every article has, never worth a card.
GENERIC_COUNT = re.compile(
    r"^(?:two|both|three|four)\s(?:countries|sides|leaders|nations|governments|democracies|"
    r"partners|navies|armies|ministers|prime ministers|parties|states)$"
    r"|^(?:two|three|four|five|six|seven|eight|nine|ten)\s(?:years|decades|months|days|weeks)$",
    re.IGNORECASE,
)
RANK = re.compile(
    r"\b(?:(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
    r"[-\s])?(?:largest|biggest|highest|lowest|smallest|oldest|most\s(?:populous|visited))\b"
    r"|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
    r"\s(?!time\b|of\b|half\b|and\b|quarter\b)(?=[a-zA-Z])"
)
WORD_NUMBERS = {w: i for i, w in enumerate(["zero", "one", *_SPELLED[:19]])}
ACRONYM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w'’-]*\s(?:(?:of|and|for|the|on|in|&|de)\s)*){1,9})\((?P<short>[A-Z][A-Za-z0-9&+-]*[A-Z0-9])\)"
)  # noqa: E501
ACRONYM = re.compile(r"\b(?:[A-Z]{2,}[0-9]?(?:[-+&][A-Z0-9]+)*|[A-Z]\d[A-Z]\d|\d\+\d)\b")
NAME = re.compile(
    r"(?:[A-Z][\w'’.–-]*[\w’]|[A-Z])(?:\s(?:(?:of|and|for|the|on|de|du|la|&)\s)?(?:[A-Z][\w'’.–-]*[\w’]|\d+))*"
)  # noqa: E501

ORG_WORDS = re.compile(
    r"\b(?:Agreement|Partnership|Organisation|Organization|Council|Forum|Bank|Initiative|"
    r"Alliance|Dialogue|Exercise|Mission|Treaty|Pact|Framework|Corridor|Programme|Program|"
    r"Agency|Fund|Summit|Declaration|Roadmap|Vision|Strategy|Association|Company|Limited|"
    r"Institute|University|Group|Authority|Ministry|Commission|Committee|Corporation|Navy|Force|"
    r"Army|Command|Union|Board|Centre|Center|Festival|Accord|Arrangement|Compact|Charter|"
    r"Memorandum|Plan|Project|Quad|Zone|Park|Scheme|Network|Consortium|Conference|Facility|"
    r"Coalition|Grid)\b"
)
PERSON_TITLE = re.compile(
    r"(?:Prime Minister|President|Foreign Minister|External Affairs Minister|Defence Minister|"
    r"Trade Minister|Minister|Ambassador|High Commissioner|Crown Prince|Sheikh|Chancellor|King|"
    r"Emir|Premier|Secretary|Dr\.?|Mr\.?|Ms\.?)\s+(?P<name>(?:[A-Z][\w'’.-]+\s?){1,4})"
)
PLACE_HINT = re.compile(r"\b(?:in|at|from|to|near|off|across|via|of)\s$")
COUNTRIES = set(
    """Afghanistan Argentina Australia Austria Bahrain Bangladesh Belgium Bhutan Brazil Brunei
    Cambodia Canada Chile China Denmark Djibouti Egypt Ethiopia Fiji Finland France Germany
    Greece Indonesia Iran Iraq Israel Italy Japan Jordan Kazakhstan Kenya Kuwait Laos Malaysia
    Maldives Mauritius Mexico Mongolia Mozambique Myanmar Nepal Netherlands Nigeria Norway
    Oman Pakistan Philippines Poland Portugal Qatar Russia Rwanda Seychelles Singapore Spain
    Sweden Switzerland Tanzania Thailand Turkey Ukraine UAE UK US USA Vietnam Yemen Africa
    Asia Europe Antarctica Madagascar Somalia Sudan Tajikistan Uzbekistan Armenia Cyprus
    Morocco Algeria Tunisia Libya Korea Taiwan Timor Indo-Pacific""".split()  # noqa: SIM905
) | {
    "Saudi Arabia",
    "Sri Lanka",
    "New Zealand",
    "South Africa",
    "South Korea",
    "United States",
    "United Kingdom",
    "Papua New Guinea",
    "Indian Ocean",
    "Pacific Ocean",
    "South China Sea",
    "Red Sea",
    "Persian Gulf",
    "Gulf of Aden",
    "Strait of Hormuz",
    "Arabian Sea",
    "Bay of Bengal",
    "Middle East",
    "West Asia",
    "Central Asia",
    "Southeast Asia",
}
SENTENCE_WORDS = set(
    """The A An In On At By For With As But And Since Under After Before During This These That
    Its It Both While Over Through When Beyond Besides Yet Although Unlike From To Of If Today
    Now Such New""".split()  # noqa: SIM905
)


NOT_ACRONYMS = {"AD", "BC", "CE", "BCE", "AM", "PM", "FY", "OK", "TV", "UN"}


@dataclass(frozen=True)
class Value:
    text: str
    kind: str  # date | year | amount | number | acronym | org | place | person | name
    start: int
    end: int
    date: datetime.date | None = None
    precision: str = ""  # day | month | year

    def overlaps(self, other: Value) -> bool:
        return self.start < other.end and other.start < self.end


def month_number(name: str) -> int:
    key = name.rstrip(".")[:3].lower()
    return [m[:3].lower() for m in MONTHS].index(key) + 1


def _date_value(match: re.Match, precision: str) -> Value | None:
    year = int(match.group("y"))
    month = month_number(match.group("m"))
    day = int(match.group("d")) if precision == "day" else 1
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    return Value(match.group(0), "date", match.start(), match.end(), date, precision)


def _add(found: list[Value], value: Value | None) -> None:
    if value and value.text.strip() and not any(value.overlaps(v) for v in found):
        found.append(value)


def acronym_pairs(text: str) -> list[tuple[str, str]]:
    """(short, long) for every 'Long Name (LN)' whose initials fit the acronym."""
    pairs = []
    for match in ACRONYM_DEF.finditer(text):
        short, words = match.group("short"), match.group("long").split()
        letters = [c for c in short if c.isalpha()]
        # Keep the shortest tail of capitalised words whose initials cover the acronym.
        content = [i for i, w in enumerate(words) if w[0].isupper()]
        need = min(len(letters), len(content))
        if need == 0:
            continue
        first = content[-need]
        long = " ".join(words[first:])
        initials = "".join(w[0] for w in words[first:] if w[0].isupper()).upper()
        if initials[:1] == letters[0].upper() and len(set(initials) & set(short.upper())) >= max(
            2, len(letters) - 2
        ):
            pairs.append((short, long))
    return pairs


def find_values(text: str, *, subject: set[str] = frozenset()) -> list[Value]:
    """Every testable value in a sentence, most precise first, none overlapping another."""
    found: list[Value] = []
    for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for m in pattern.finditer(text):
            _add(found, _date_value(m, "day"))
    for m in MONTH_YEAR.finditer(text):
        _add(found, _date_value(m, "month"))
    for m in CURRENCY.finditer(text):
        _add(
            found,
            Value(m.group(0).strip(), "amount", m.start(), m.start() + len(m.group(0).strip())),
        )
    for m in NUMBER_WITH_UNIT.finditer(text):
        _add(found, Value(m.group(0), "amount", m.start(), m.end()))
    for m in YEAR.finditer(text):
        year = int(m.group("y"))
        _add(
            found, Value(m.group(0), "year", m.start(), m.end(), datetime.date(year, 1, 1), "year")
        )
    for m in COUNT.finditer(text):
        if not re.search(r"(?:past|last|next|over)\s$", text[: m.start()]):
            _add(found, Value(m.group(0), "number", m.start(), m.end()))
    for m in SPELLED_NUMBER.finditer(text):
        words = m.group(0).split()
        fraction = words[-1] in ("third", "quarter", "fifth", "tenth")
        single = words[0].lower() in ("one", "a") and len(words) == 2 and "-" not in m.group(0)
        if single and not fraction:
            continue
        if GENERIC_COUNT.match(m.group(0)) or re.search(
            r"(?:past|last|next|over)\s$", text[: m.start()]
        ):
            continue
        _add(found, Value(m.group(0), "number", m.start(), m.end()))
    for m in RANK.finditer(text):
        _add(
            found, Value(m.group(0).strip(), "rank", m.start(), m.start() + len(m.group(0).strip()))
        )
    for m in PERSON_TITLE.finditer(text):
        name = m.group("name").strip()
        start = m.start("name")
        _add(found, Value(name, "person", start, start + len(name)))
    for m in NAME.finditer(text):
        for piece in _split_pair(m, subject):
            _add(found, _name_value(text, piece, subject))
    return found


@dataclass(frozen=True)
class _Span:
    text: str
    begin: int

    def group(self, _=0) -> str:
        return self.text

    def start(self) -> int:
        return self.begin


def _split_pair(m: re.Match, subject: set[str]) -> list[_Span]:
    """'India and Australia' is two names, 'Trade and Technology Council' is one."""
    text, begin = m.group(0), m.start()
    parts = text.split(" and ")
    known = subject | COUNTRIES
    if len(parts) > 1 and any(p.strip() in known or p.strip() in SENTENCE_WORDS for p in parts):
        spans, offset = [], begin
        for part in parts:
            spans.append(_Span(part, offset))
            offset += len(part) + len(" and ")
        return spans
    return [_Span(text, begin)]


def _name_value(text: str, m, subject: set[str]) -> Value | None:
    name = m.group(0).strip(" .,’'")
    start = m.start()
    words = name.split()
    while words and (
        words[0] in SENTENCE_WORDS
        or words[0].lower() in ("of", "and", "the")
        or (start == 0 and re.search(r"(?:ing|ed|ly)$", words[0]))
    ):
        start = text.index(words[1], start) if len(words) > 1 else start
        words = words[1:]
    while words and words[-1].lower() in ("of", "and", "the", "for", "on", "&", "de"):
        words = words[:-1]
    name = " ".join(words)
    if not name or name in subject or name.rstrip("s’'") in subject or len(name) < 2:
        return None
    if all(w in subject or w in SENTENCE_WORDS for w in words):
        return None
    if name in NOT_ACRONYMS:
        return None
    if ACRONYM.fullmatch(name):
        kind = "acronym"
    elif ORG_WORDS.search(name):
        kind = "org"
    elif name in COUNTRIES or (
        PLACE_HINT.search(text[max(0, start - 6) : start])
        and not re.match(
            r"\s(?!(?:and|or|in|on|at|to|for|with|of|was|is|has|had|by)\b)[a-z]",
            text[start + len(name) :],
        )
    ):
        kind = "place"
    else:
        kind = "name"
        if start == 0 and len(words) == 1:
            return None  # a capitalised first word is usually not a name
    return Value(name, kind, start, start + len(name))


def year_of(value: Value) -> str:
    match = re.search(r"\d{4}", value.text)
    return match.group(0) if match else ""


def number_in(text: str) -> float | None:
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if match:
        return float(match.group(0).replace(",", ""))
    first = text.split()[0].lower() if text.split() else ""
    return WORD_NUMBERS.get(first)
