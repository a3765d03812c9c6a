# ruff: noqa: E501 - the article below keeps its paragraphs on one line, as pasted
"""The article → drafts generator (pure Python, no database)."""

import re

from content import formats
from content.drafts import generate
from content.drafts.article import parse
from content.drafts.values import find_values

ARTICLE = """India and Norway: A Northern Partnership

Background
India and Norway established diplomatic relations in 1947. The India–Norway Marine Pollution Initiative (MPI) was launched on 12 March 2019 in Oslo. It trains Indian officials to clean up coastal waters.
- Clean seas: the first pillar of the initiative
- Blue economy: the second pillar of the initiative
- Renewable energy: the third pillar of the initiative
Trade and investment
Bilateral trade reached US$ 2.1 billion in 2023, up 12 per cent. Norway's Government Pension Fund Global is one of the largest foreign investors in India, with about US$ 28 billion invested. The two countries signed a free trade agreement through EFTA in March 2024. Norway is among the world's largest exporters of seafood.
The Trade and Economic Partnership Agreement (TEPA) commits four EFTA countries to invest US$ 100 billion in India over 15 years. Norwegian investment in Indian ports remains slow because Norwegian firms find Indian regulations complex.
Challenges
Norway's concerns about human rights have at times strained ties. Indian exporters face strict European standards on fish and food.
Way forward
Cooperation on green hydrogen and offshore wind could define the next decade.
"""


def _drafts(kind=None, fmt=None):
    result = generate(ARTICLE, title="India and Norway: A Northern Partnership")
    return [d for d in result.drafts if (kind is None or d.kind == kind)
            and (fmt is None or d.format == fmt)], result  # fmt: skip


def test_sentences_keep_offsets_sections_and_lose_bullets():
    article = parse(ARTICLE, title="India and Norway")
    assert article.sections[1:3] == ["Background", "Trade and investment"]
    for s in article.sentences:
        assert ARTICLE[s.start : s.end] == s.raw
        assert not s.text.startswith("- ")
    bullet = next(s for s in article.sentences if s.raw.startswith("Clean seas"))
    assert bullet.bullet and bullet.section == "Background"


def test_values_full_dates_amounts_spelled_numbers_and_ranks():
    values = find_values(
        "On 12 March 2019 the fund put US$ 2.1 billion into 36 projects, up 12 per cent, and "
        "four EFTA countries joined; it is the world's second-largest fund.",
        subject={"India"},
    )
    found = {(v.text, v.kind) for v in values}
    assert ("12 March 2019", "date") in found  # the full date, not only its year
    assert ("US$ 2.1 billion", "amount") in found
    assert ("12 per cent", "amount") in found
    assert ("36 projects", "number") in found
    assert ("four EFTA", "number") not in found and ("second-largest", "rank") in found


def test_pronoun_first_sentence_is_merged_with_its_antecedent():
    facts, _ = _drafts("fact")
    texts = [f.text for f in facts]
    assert not any(re.match(r"(It|He|She|They)\b", t) for t in texts)
    assert any("MPI" in t and "trains Indian officials" in t for t in texts)


def test_one_card_per_value_never_the_subject_never_given_away():
    cards, result = _drafts("card")
    answers = [c.answer for c in cards if c.format == "cloze"]
    assert "12 March 2019" in answers  # a full date is blanked whole
    assert "2019" not in answers
    assert not set(answers) & result.article.subject
    assert len(answers) == len(set(answers))
    for card in cards:
        if card.format == "cloze":
            rest = re.sub(r"\{\{c1::.+?\}\}", "", card.text)
            assert card.answer.lower() not in rest.lower()
    acronyms = {c.text: c.answer for c in cards if c.format == "basic"}
    assert acronyms["What does TEPA stand for?"] == "Trade and Economic Partnership Agreement"


def test_a_fact_without_digits_is_found():
    facts, _ = _drafts("fact")
    assert any("largest exporters of seafood" in f.text for f in facts)


def test_every_prelims_format_with_derivable_options():
    questions, result = _drafts("question")
    by_format = {q.format for q in questions}
    assert {"single", "statements", "pairs", "assertion_reason"} <= by_format
    for q in questions:
        assert not result.problems(q), (q, result.problems(q))
        if q.format == "single":
            assert len(set(q.options)) == 4 and q.answer in q.options
            assert q.answer not in q.text
        else:
            truths = [s["true"] for s in q.statements] or [p["correct"] for p in q.pairs]
            formats.derive_options(q.format, ask=q.ask, truths=truths, explains=q.explains)
    single = next(q for q in questions if q.format == "single" and q.value_kind == "date")
    assert all(re.search(r"\d{4}", o) for o in single.options)  # distractors of the same kind
    statements = next(q for q in questions if q.format == "statements")
    assert not all(s["true"] for s in statements.statements)  # one falsified variant
    pairs = next(q for q in questions if q.format == "pairs")
    assert any(p["left"] == "Clean seas" for p in pairs.pairs)  # from "X: Y" lines
    ar = next(q for q in questions if q.format == "assertion_reason")
    assert "Norwegian firms find Indian regulations complex" in ar.statements[1]["text"]


def test_mains_stub_and_note_outline():
    (mains,), _ = _drafts("mains")
    assert mains.text.startswith("Critically examine") and "India–Norway" in mains.text
    assert any("human rights" in p for p in mains.points)
    assert any("green hydrogen" in p for p in mains.points)
    (outline,), _ = _drafts("outline")
    headings = [s["heading"] for s in outline.sections]
    assert "Background" in headings and "Trade and investment" in headings
    assert "## Background" in outline.text


def test_drafts_are_deterministic_with_stable_keys():
    first = [d.key for d in generate(ARTICLE, title="x").drafts]
    assert first == [d.key for d in generate(ARTICLE, title="x").drafts]
    assert len(first) == len(set(first))
