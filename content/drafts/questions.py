"""Prelims questions of every UPSC format, a Mains stub and a note outline from the facts.

Distractors and falsified statements use values of the same kind: other dates, amounts,
places or organisations from the same article, else a nearby value (a year either side, a
figure scaled). The editor confirms each statement's truth; the app derives options and key.
"""

from __future__ import annotations

import hashlib
import re

from content.drafts.article import SECTION_CHALLENGE_RE, SECTION_FORWARD_RE, Article
from content.drafts.facts import FactDraft, clause_around
from content.drafts.items import Draft, contains, normalise
from content.drafts.values import COUNTRIES, WORD_NUMBERS, Value, number_in

FALSIFIABLE = ("date", "year", "amount", "number", "org", "place", "person")
SINGLE_KINDS = ("date", "year", "amount", "number", "org", "place", "person")
MAX_SINGLE, MAX_STATEMENTS, MAX_PAIRS, MAX_AR = 10, 5, 3, 4
BLANK = "______"
CAUSE_SPLIT = re.compile(r"^(?P<effect>.{20,}?),?\sbecause\s(?!of\b)(?P<cause>[A-Za-z].{15,})$")
AGREEMENT_WORDS = re.compile(
    r"Agreement|Treaty|Partnership|Arrangement|Pact|Declaration|Roadmap|Corridor|Initiative|"
    r"Dialogue|Alliance|Fund|Scheme|Programme|Exercise|Summit|Accord|Framework|Mission|Vision"
)
CONSEQUENCE_START = re.compile(r"^(?:As a result|Consequently|Therefore|Hence|Thus|As such),\s")
DIRECTIVES = ("Critically examine", "Discuss")


def _rank(seed: str, text: str) -> str:
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()


def _pool(facts: list[FactDraft]) -> dict[str, list[str]]:
    """Every value of each kind in the article, in order, without repeats."""
    pool: dict[str, list[str]] = {}
    for fact in facts:
        for value in fact.values:
            kind = "date" if value.kind == "year" else value.kind
            bucket = pool.setdefault(kind, [])
            if all(normalise(value.text) != normalise(t) for t in bucket):
                bucket.append(value.text)
    return pool


def _nearby(value: Value, n: int) -> list[str]:
    """Invented values of the same kind: years either side, figures scaled, words shifted."""
    text = value.text
    out = []
    year = re.search(r"(?:19|20)\d{2}", text)
    if value.kind in ("date", "year") and year:
        y = int(year.group(0))
        for delta in (-1, 1, -2, 2, -3, 3):
            out.append(text[: year.start()] + str(y + delta) + text[year.end() :])
    elif value.kind in ("amount", "number"):
        figure = re.search(r"\d[\d,]*(?:\.\d+)?", text)
        if figure:
            x = float(figure.group(0).replace(",", ""))
            for factor in (0.5, 2, 1.5, 3, 0.25):
                y = x * factor
                shown = f"{y:,.1f}".rstrip("0").rstrip(".") if y % 1 else f"{int(y):,}"
                if "," not in figure.group(0):
                    shown = shown.replace(",", "")
                out.append(text[: figure.start()] + shown + text[figure.end() :])
        else:
            first = text.split()[0]
            n_word = WORD_NUMBERS.get(first.lower())
            if n_word:
                words = {v: k for k, v in WORD_NUMBERS.items()}
                for delta in (1, -1, 2, 3):
                    if words.get(n_word + delta) and n_word + delta > 1:
                        out.append(words[n_word + delta] + text[len(first) :])
    return out[: n + 3]


ORG_CLASSES = (
    ("pact", r"Agreement|Treaty|Pact|Accord|Arrangement|Memorandum|Declaration|Charter|Compact"),
    ("plan", r"Roadmap|Vision|Strategy|Plan|Framework|Initiative|Programme|Program|Scheme|Mission"),
    ("exercise", r"Exercise"),
    (
        "body",
        r"Council|Group|Organisation|Organization|Alliance|Union|Forum|Commission|Agency|"
        r"Authority|Bank|Fund|Committee|Association|Quad|Dialogue|Summit|Conference",
    ),
    ("force", r"Navy|Force|Army|Command"),
    ("firm", r"Company|Limited|Corporation|Group|Shipbuilders|Aviation"),
    ("campus", r"University|Institute|Centre|Center"),
)


def name_class(text: str) -> str:
    """What sort of name: a pact, a body, a country, a city … (distractors share it)."""
    for cls, words in ORG_CLASSES:
        if re.search(rf"\b(?:{words})\b", text):
            return cls
    if text in COUNTRIES:
        return "country"
    return "other"


def _shape(text: str) -> str:
    return re.sub(r"[A-Z][a-z]+\.?", "M", re.sub(r"\d", "9", text))


def distractors(value: Value, pool: dict[str, list[str]], context: str, n: int = 3) -> list[str]:
    kind = "date" if value.kind == "year" else value.kind
    picked: list[str] = []
    unit = re.sub(r"[\d,.\s]+", " ", value.text).split()
    candidates = pool.get(kind, [])
    if kind == "date":
        candidates = [c for c in candidates if _shape(c) == _shape(value.text)]
    if kind in ("number", "rank"):
        candidates = []  # a count of something else is no distractor: vary the figure instead
    if kind in ("org", "place"):
        candidates = [c for c in candidates if name_class(c) == name_class(value.text)]
    for text in candidates + _nearby(value, n):
        if len(picked) == n:
            break
        if normalise(text) == normalise(value.text) or contains(context, text):
            continue
        if any(contains(text, p) or contains(p, text) for p in [*picked, value.text]):
            continue  # 'Réunion' beside 'Réunion and Mayotte' gives one of them away
        if kind == "amount" and unit and re.sub(r"[\d,.\s]+", " ", text).split() != unit:
            continue  # same unit only: a percentage is no distractor for dollars
        if value.text[:1].isupper() and text[:1].islower():
            text = text[0].upper() + text[1:]
        picked.append(text)
    return picked


def _sort_key(text: str):
    year = re.search(r"(?:19|20)\d{2}", text)
    figure = number_in(text)
    return (int(year.group(0)) if year else 0, figure or 0, text)


def single_questions(facts: list[FactDraft], pool: dict[str, list[str]]) -> list[Draft]:
    out = []
    for fact in facts:
        value = fact.value
        if len(out) == MAX_SINGLE or not value or value.kind not in SINGLE_KINDS:
            continue
        text, shift = clause_around(fact.draft.text, value.start, value.end)
        at = value.start - shift
        if text[at : at + len(value.text)] != value.text:
            text, at = fact.draft.text, value.start
        stem_line = text[:at] + BLANK + text[at + len(value.text) :]
        wrong = distractors(value, pool, stem_line)
        if len(wrong) < 3:
            continue
        options = [value.text, *wrong]
        if value.kind in ("date", "year", "amount", "number"):
            options.sort(key=_sort_key)
        else:
            options.sort(key=lambda o: _rank(fact.draft.key, o))
        stem = f"{stem_line}\nWhich one of the following correctly fills the blank?"
        out.append(
            Draft(
                kind="question", format="single", text=stem, answer=value.text, options=options,
                value_kind=value.kind, source_sentence=fact.sentence.raw,
                section=fact.sentence.section, start=fact.sentence.start, end=fact.sentence.end,
                explanation=f"The article says: “{fact.sentence.raw}”", fact_key=fact.draft.key,
            )
        )  # fmt: skip
    return out


def _falsify(fact: FactDraft, pool: dict[str, list[str]]) -> str:
    value = fact.value
    if value is None:
        return ""
    wrong = distractors(value, pool, fact.draft.text, n=1)
    if not wrong:
        return ""
    after = fact.draft.text[value.end :]
    if value.kind == "org":
        after = re.sub(r"^\s\([A-Z][\w&-]+\)", "", after)
    text = fact.draft.text[: value.start] + wrong[0] + after
    return text[0].upper() + text[1:]


def statement_questions(facts: list[FactDraft], pool: dict[str, list[str]]) -> list[Draft]:
    """Three facts of one section; one of them falsified (a changed date, figure or name)."""
    out = []
    by_section: dict[str, list[FactDraft]] = {}
    for fact in facts:
        ok = fact.value and fact.value.kind in FALSIFIABLE and not fact.draft.flags
        if ok and len(fact.draft.text.split()) <= 40:
            by_section.setdefault(fact.sentence.section, []).append(fact)
    groups = []
    for section_facts in by_section.values():
        for i in range(0, len(section_facts) - 1, 3):
            group = section_facts[i : i + 3]
            if len(group) >= 2:
                groups.append(group)
    for group in groups[:MAX_STATEMENTS]:
        seed = "|".join(f.draft.key for f in group)
        hard = {i for i, f in enumerate(group) if f.value.kind in ("date", "year", "amount")}
        order = sorted(range(len(group)), key=lambda i: (i not in hard, _rank(seed, str(i))))
        target, falsified = -1, ""
        for i in order:  # the first statement that can be falsified with a value of its kind
            falsified = _falsify(group[i], pool)
            if falsified:
                target = i
                break
        statements = []
        for i, fact in enumerate(group):
            false_text = falsified if i == target else ""
            if false_text:
                statements.append({
                    "text": false_text, "true": False,
                    "explanation": f"Not correct: the article gives {fact.value.text}. "
                    f"“{fact.sentence.raw}”",
                })  # fmt: skip
            else:
                statements.append({"text": fact.draft.text, "true": True,
                                   "explanation": f"Correct: “{fact.sentence.raw}”"})  # fmt: skip
        ask = (
            "correct" if any(s["true"] for s in statements) and len(statements) > 2 else "how_many"
        )
        if len(statements) == 2:
            ask = "correct"
        first = group[0].sentence
        out.append(Draft(
            kind="question", format="statements", text="Consider the following statements:",
            statements=statements, ask=ask,
            source_sentence=" … ".join(f.sentence.raw for f in group),
            section=first.section, start=first.start, end=group[-1].sentence.end,
            explanation="Each statement is checked against the article.",
            fact_key=group[0].draft.key,
        ))  # fmt: skip
    return out


def _colon_pairs(article: Article) -> list[tuple[str, str, object]]:
    out = []
    for s in article.sentences:
        m = re.match(r"^(?P<left>[A-Z][^:.]{1,50}):\s(?P<right>[^:]{3,120})$", s.text)
        if m and len(m.group("left").split()) <= 6:
            right = m.group("right").rstrip(".")
            right = re.split(r"[;.]\s|,\s(?:which|who|and)\s", right)[0]
            if len(right.split()) <= 14:
                out.append((m.group("left").strip(), right.strip(), s))
    return out


def _pairs_draft(rows: list[tuple[str, str, object]], columns: list[str], seed: str) -> Draft:
    """Up to four pairs; two rights swapped so the editor has a wrong pair to confirm."""
    rows = rows[:4]
    rights = [r[1] for r in rows]
    i, j = sorted(sorted(range(len(rows)), key=lambda k: _rank(seed, str(k)))[:2])
    if len(rows) >= 3:
        rights[i], rights[j] = rights[j], rights[i]
    pairs = []
    for k, (left, right, _s) in enumerate(rows):
        correct = normalise(rights[k]) == normalise(right)
        why = "Correctly matched." if correct else f"Not matched: {left} — {right}."
        pairs.append({"left": left, "right": rights[k], "correct": correct, "explanation": why})
    first = rows[0][2]
    return Draft(
        kind="question", format="pairs", text="Consider the following pairs:", pairs=pairs,
        columns=columns, ask="how_many" if len(pairs) >= 3 else "correct",
        source_sentence=" … ".join(dict.fromkeys(r[2].raw for r in rows)),
        section=first.section, start=first.start, end=rows[-1][2].end,
        explanation="Each pair is checked against the article.",
    )  # fmt: skip


def pairs_questions(article: Article, facts: list[FactDraft]) -> list[Draft]:
    sets = []
    colon = _colon_pairs(article)
    if len(colon) >= 3:
        sets.append((colon, ["Item", "Description"]))
    dated = []
    for fact in facts:
        names = [v for v in fact.values if v.kind == "org" and AGREEMENT_WORDS.search(v.text)]
        when = [v for v in fact.values if v.kind in ("date", "year")]
        if when and any(normalise(when[0].text) == normalise(d[1]) for d in dated):
            continue
        if names and when and all(normalise(names[0].text) != normalise(d[0]) for d in dated):
            dated.append((names[0].text, when[0].text, fact.sentence))
    if len(dated) >= 3:
        sets.append((dated, ["Agreement / initiative", "When"]))
    acronyms = []
    for fact in facts:
        if fact.draft.text.endswith(".") and " stands for " in fact.draft.text:
            short, long = fact.draft.text[:-1].split(" stands for ", 1)
            acronyms.append((short, long, fact.sentence))
    if len(acronyms) >= 3:
        sets.append((acronyms, ["Abbreviation", "Expansion"]))
    out = []
    for rows, columns in sets:
        for i in range(0, len(rows) - 2, 4):
            if len(out) < MAX_PAIRS:
                out.append(_pairs_draft(rows[i : i + 4], columns, seed=columns[0] + str(i)))
    return out


def _sentence_case(text: str) -> str:
    text = text.strip(" ,;")
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def assertion_reason_questions(article: Article) -> list[Draft]:
    """Statement-I the effect, Statement-II the cause ('because …', 'As a result, …')."""
    out = []
    previous = None
    for s in article.sentences:
        pair = None
        m = CAUSE_SPLIT.match(s.text.rstrip("."))
        if m and not s.flags:
            pair = (_sentence_case(m.group("effect")), _sentence_case(m.group("cause")))
        elif CONSEQUENCE_START.match(s.text) and previous is not None and not previous.flags:
            effect = CONSEQUENCE_START.sub("", s.text)
            if len(previous.text.split()) <= 40:
                pair = (_sentence_case(effect), previous.text)
        previous = s
        if pair and len(out) < MAX_AR:
            out.append(Draft(
                kind="question", format="assertion_reason", text="", explains=True,
                statements=[
                    {"text": pair[0], "true": True, "explanation": f"Correct: “{s.raw}”"},
                    {"text": pair[1], "true": True, "explanation": "Correct: the article gives "
                     "this as the reason."},
                ],
                source_sentence=s.raw, section=s.section, start=s.start, end=s.end,
                explanation="Statement-II is the reason the article gives for Statement-I.",
            ))  # fmt: skip
    return out


def _relation(article: Article) -> str:
    names = [w for w in re.findall(r"[A-Z][\w]+", article.title) if w in article.subject]
    names = list(dict.fromkeys(["India", *names]))
    return "–".join(names[:2]) + " relations" if len(names) >= 2 else article.title


DANGLING = re.compile(r"\b(?:its|it|their|they|this|these|that|those)\b", re.IGNORECASE)


def _usable_point(text: str) -> bool:
    """A key point stands alone: no pronoun in its first words, not a bare generality."""
    return not DANGLING.search(" ".join(text.split()[:5])) and len(text.split()) >= 8


def _point(text: str) -> str:
    words = text.split()
    return " ".join(words[:30]).rstrip(",;") + ("…" if len(words) > 30 else "")


def mains_stub(article: Article, facts: list[FactDraft]) -> Draft | None:
    challenges = article.in_section(SECTION_CHALLENGE_RE)
    forward = article.in_section(SECTION_FORWARD_RE)
    directive = DIRECTIVES[0] if challenges else DIRECTIVES[1]
    relation = _relation(article)
    text = (
        f"{directive} the progress of {relation} in recent years and the challenges that remain."
        if challenges
        else f"{directive} the main drivers of {relation} in recent years."
    )
    achievements = [
        f.draft.text for f in facts
        if f.draft.value_kind == "agreement" and _usable_point(f.draft.text)
    ][:3]  # fmt: skip
    challenges = [s for s in challenges if _usable_point(s.text)]
    forward = [s for s in forward if _usable_point(s.text)]
    points = [_point(s.text) for s in challenges[:4]] + [_point(s.text) for s in forward[:3]]
    points = [_point(t) for t in achievements] + points
    if len(points) < 3:
        points += [_point(f.draft.text) for f in facts[: 3 - len(points)]]
    if not points:
        return None
    first = (challenges or forward or article.sentences)[0]
    return Draft(
        kind="mains", text=text, directive=directive.lower().replace(" ", "-"), points=points,
        source_sentence=first.raw, section=first.section, start=first.start, end=first.end,
    )  # fmt: skip


def note_outline(article: Article, facts: list[FactDraft]) -> Draft | None:
    sections: dict[str, list[str]] = {}
    for fact in facts:
        if not fact.draft.flags:
            sections.setdefault(fact.sentence.section or "Overview", []).append(fact.draft.text)
    if not sections:
        return None
    rows = [{"heading": h, "points": p} for h, p in sections.items()]
    text = "\n\n".join(
        f"## {r['heading']}\n" + "\n".join(f"- {p}" for p in r["points"]) for r in rows
    )
    first = article.sentences[0]
    return Draft(
        kind="outline", text=text, sections=rows, source_sentence=first.raw,
        section=first.section, start=first.start, end=first.end,
    )  # fmt: skip
