"""quizzes/coverage.py: cleaning, word counts, key-point matching and structure hints (no DB)."""

from pathlib import Path

import yaml

from quizzes import coverage as c


def covered(text, *keywords):
    return c.match_points(text, [(1, list(keywords))])[0]


# ---- text -----------------------------------------------------------------------------------


def test_clean_text_strips_control_characters_but_keeps_newlines_and_tabs():
    dirty = "India\x00 and\x07 Japan\x1b[31m\x7f\x85\r\n\tsince 1952\rend"
    assert c.clean_text(dirty) == "India and Japan[31m\n\tsince 1952\nend"


def test_clean_text_keeps_unicode_letters_and_punctuation():
    text = "भारत–Japan “ties” — 1952 (ODA ₹)"
    assert c.clean_text(text) == text


def test_words_are_whitespace_chunks_with_a_letter_or_digit():
    assert c.count_words("") == 0
    assert c.count_words("   \n\t ") == 0
    assert c.count_words("India–Japan ties — since 1952.") == 4
    assert c.count_words("- Trade\n- Investment\n\n• 2014") == 3
    assert c.count_words("US$17.7 bn, i.e. ~23%") == 4


# ---- matching -------------------------------------------------------------------------------


def test_stemming_matches_other_forms_of_a_keyword():
    assert covered("Japanese yen loans began in 1958", "loan").covered
    assert covered("projects that connected the Northeast", "connectivity").covered
    assert covered("India's strategic partnerships", "strategic partnership").covered


def test_matching_ignores_case_and_punctuation():
    assert covered("the ACT-EAST policy", "act east").covered
    assert covered("Act East.", "act east").covered


def test_phrase_keyword_must_appear_as_a_sequence():
    assert covered("India's Act East policy", "act east").covered
    assert not covered("East Asian states act together", "act east").matched
    assert not covered("act now, look east", "act east").matched


def test_synonyms_and_abbreviations_match():
    assert covered("Japan's ODA to India", "official development assistance").covered
    assert covered("official development assistance from Japan", "oda").covered
    assert covered("defense cooperation", "defence").covered
    assert covered("the United States–China rivalry", "US-China").covered
    assert covered("joint research and development", "r&d").covered
    assert covered("the Delhi–Mumbai Industrial Corridor", "DMIC").covered


def test_numbers_match_with_or_without_thousands_separators_and_per_cent():
    assert covered("about 51000 Indians live in Japan", "51,000").covered
    assert covered("about 51,000 Indians", "51000").covered
    assert covered("visitors rose 40 per cent", "40%").covered
    assert covered("visitors rose 40%", "40 percent").covered
    assert not covered("visitors rose 41%", "40%").matched


def test_short_common_words_as_keywords_match_only_in_capitals():
    assert not covered("it is important for us", "it").matched
    assert covered("Indian IT talent", "it").covered
    assert not covered("this helps us", "us").matched
    assert covered("the US alliance", "us").covered


def test_one_match_covers_a_point_with_one_or_two_keywords():
    assert covered("Japan's ODA", "oda", "northeast").status == c.COVERED


def test_points_with_more_keywords_need_two_separate_matches():
    point = ["trade deficit", "imbalance", "market access", "22.85"]
    assert covered("a wide trade deficit", *point).status == c.PARTIAL
    assert covered("a trade deficit and poor market access", *point).status == c.COVERED
    assert covered("nothing relevant here", *point).status == c.MISSING


def test_one_phrase_is_not_counted_twice_for_overlapping_keywords():
    point = ["oda", "official development assistance", "yen loan"]
    match = covered("Japan's ODA", *point)
    assert match.matched == ("oda",)
    assert match.status == c.PARTIAL
    assert covered("Japan's ODA, mostly yen loans", *point).status == c.COVERED
    assert covered("ODA here, and more ODA there", *point).status == c.PARTIAL
    nested = ["special strategic", "strategic", "2014"]
    assert covered("a special strategic partnership", *nested).status == c.PARTIAL


def test_match_points_keeps_the_points_order_and_suggests_the_covered_ones():
    text = "Japan is the largest ODA partner. Northeast roads support Act East."
    matches = c.match_points(
        text,
        [
            (7, ["oda", "official development assistance"]),
            (3, ["northeast", "act east"]),
            (9, ["quad", "malabar", "indo-pacific"]),
        ],
    )
    assert [m.point_id for m in matches] == [7, 3, 9]
    assert matches[1].matched == ("northeast", "act east")
    assert c.suggested_ids(matches) == [7, 3]


def test_empty_answer_and_empty_keywords_match_nothing():
    assert c.match_points("", [(1, ["oda"])])[0].status == c.MISSING
    assert covered("some text", "", "!!").status == c.MISSING


def test_word_forms_match_japan_finds_japanese_and_china_finds_chinese():
    assert covered("Japanese investment in India", "japan").covered
    assert covered("Chinese assertiveness at sea", "china").covered
    assert covered("the Asian balance", "asia").covered
    assert covered("Indian talent in Tokyo", "oda", "india").matched == ("india",)


def test_short_stems_and_numbers_do_not_match_longer_words():
    assert not covered("a distant planet", "plan").matched
    assert not covered("in 20145 years", "2014").matched
    assert not covered("a data centre", "dat").matched


def test_a_key_points_own_synonyms_count_as_evidence():
    point = (1, ["2+2", "ministerial dialogue"], ["foreign and defence ministers"])
    match = c.match_points("The foreign and defence ministers met in 2019.", [point])[0]
    assert match.matched == ("foreign and defence ministers",)
    assert match.covered


def test_synonyms_do_not_raise_the_evidence_a_point_needs():
    point = (1, ["bodhisena", "todai-ji"], ["eye-opening", "great buddha", "nara"])
    assert c.match_points("Bodhisena came to Japan.", [point])[0].covered


def test_common_words_alone_make_a_point_at_most_partly_covered():
    point = ["cold war", "economic", "aid", "low-key", "limited"]
    match = covered("Economic ties were limited and aid was the main link.", *point)
    assert match.matched == ("economic", "aid", "limited")
    assert match.status == c.PARTIAL
    assert covered("In the Cold War ties were low-key.", *point).status == c.COVERED


def test_words_of_the_question_are_not_evidence():
    points = [(1, ["convergence", "special strategic", "quad", "shared values"])]
    question = "Despite deep strategic convergence, the partnership under-delivered."
    text = "There is convergence, and both are in the Quad."
    assert c.match_points(text, points, question=question)[0].status == c.PARTIAL
    assert c.match_points(text, points)[0].status == c.COVERED


def test_a_keyword_two_points_share_is_not_distinctive_for_either():
    points = [
        (1, ["china", "quad", "special strategic"]),
        (2, ["china", "trade deficit", "imbalance"]),
    ]
    matches = c.match_points("China looms; the trade deficit grows.", points)
    assert [m.status for m in matches] == [c.PARTIAL, c.PARTIAL]
    matches = c.match_points("China looms; the trade deficit and imbalance grow.", points)
    assert matches[1].status == c.COVERED


# Measured on tests/quizzes/data/coverage_answers.yaml with the matcher before issue 18
# (keywords only, any two matches, no word forms, no synonyms): 7 false "covered" marks and
# 3 missed points out of 16 answers to 3 questions.
FALSE_COVERED_BEFORE = 7
MISSED_BEFORE = 3


def test_real_answers_get_fewer_false_covered_marks_than_before():
    data = yaml.safe_load((Path(__file__).parent / "data" / "coverage_answers.yaml").read_text())
    false_covered = missed = answers = 0
    for q in data:
        points = [(i, [str(k) for k in kws]) for i, kws in enumerate(q["points"], start=1)]
        for answer in q["answers"]:
            answers += 1
            got = set(
                c.suggested_ids(c.match_points(answer["text"], points, question=q["question"]))
            )
            truth = set(answer["covered"])
            false_covered += len(got - truth)
            missed += len(truth - got)
    assert answers == 16
    assert false_covered <= 3 < FALSE_COVERED_BEFORE
    assert missed <= MISSED_BEFORE


# ---- structure ------------------------------------------------------------------------------

GOOD = """India and Japan upgraded their ties to a Special Strategic and Global Partnership in 2014.

- Economic: Japan is the largest ODA partner, funding metro and rail projects.
- Strategic: both are Quad members and hold 2+2 dialogues.

Way forward: faster project delivery and deeper supply-chain cooperation should anchor ties."""


def hint(hints, key):
    return next(h for h in hints if h.key == key)


def test_a_well_structured_answer_has_intro_and_conclusion():
    hints = c.structure_hints(GOOD, word_limit=150)
    assert hint(hints, "intro").ok
    assert hint(hints, "conclusion").ok
    assert "way forward" in hint(hints, "conclusion").detail


def test_one_block_has_neither_intro_nor_conclusion():
    text = "Japan funds projects in India and the two cooperate in defence. " * 5
    hints = c.structure_hints(text, word_limit=150)
    assert not hint(hints, "intro").ok
    assert not hint(hints, "conclusion").ok


def test_an_answer_opening_with_bullets_has_no_intro():
    text = (
        "1. Japan funds metro projects across India.\n2. Defence ties: Malabar.\nHence ties grow."
    )
    assert not c.intro_hint(text, word_limit=150).ok
    assert "points" in c.intro_hint(text, word_limit=150).title


def test_an_introduction_heading_line_is_skipped():
    text = "Introduction:\n" + GOOD
    assert c.intro_hint(text, word_limit=150).ok


def test_a_long_first_paragraph_is_not_an_introduction():
    text = ("word " * 90).strip() + ".\nThe body follows here with points.\nWay forward: more."
    result = c.intro_hint(text, word_limit=150)
    assert not result.ok
    assert "90 words" in result.detail


def test_a_way_forward_heading_followed_by_points_counts_as_a_conclusion():
    text = (
        "India and Japan share a Special Strategic and Global Partnership since 2014.\n"
        "Trade remains small and projects are delayed by land acquisition.\n"
        "Way forward:\n- Faster approvals\n- Expand CEPA\n- Skilled mobility"
    )
    assert c.conclusion_hint(text).ok


def test_an_answer_that_stops_mid_body_has_no_conclusion():
    text = (
        "India and Japan share a Special Strategic and Global Partnership since 2014.\n"
        "Trade with Japan is about 23 billion dollars, far less than with China.\n"
        "Japanese firms invest in manufacturing and infrastructure corridors."
    )
    assert not c.conclusion_hint(text).ok


def test_length_hints_over_slightly_over_under_and_within():
    assert not c.length_hint(180, word_limit=150).ok
    assert "30 words over" in c.length_hint(180, word_limit=150).title
    assert c.length_hint(160, word_limit=150).ok
    assert "Slightly" in c.length_hint(160, word_limit=150).title
    assert not c.length_hint(90, word_limit=150).ok
    assert c.length_hint(150, word_limit=150).ok
    assert c.length_hint(120, word_limit=150).ok
