"""Search terms: the one tokenizer behind the index and the query (no database)."""

from content import terms


def lexemes(text: str) -> list[str]:
    return [t.lexeme for t in terms.tokens(text)]


def test_forum_names_and_numbers_stay_whole():
    assert lexemes("The 2+2 met after the G20; the US-2 flew.") == [
        "the", "2+2", "met", "after", "the", "g20", "the", "us-2", "flew",
    ]  # fmt: skip
    assert lexemes("2 + 2 dialogue") == ["2+2", "dialogu"]
    assert lexemes("₹1,50,000 crore and 3.5 per cent") == [
        "1,50,000",
        "crore",
        "and",
        "3.5",
        "per",
        "cent",
    ]


def test_english_words_are_stemmed_and_accents_and_possessives_dropped():
    assert lexemes("Treaties signed at Tōdai-ji") == ["treati", "sign", "at", "todai-ji"]
    assert lexemes("India's") == ["india"]


def test_a_hyphenated_name_is_indexed_whole_and_by_its_word_parts():
    doc = terms.Analysed()
    doc.add("Indo-Pacific US-2", "A")
    assert doc.positions["indo-pacific"] == ["1A"]
    assert doc.positions["indo"] == ["1A"] and doc.positions["pacif"] == ["2A"]
    assert doc.positions["us"] == ["3A"]
    assert "2" not in doc.positions  # "2" alone would match every year
    assert doc.terms() == " indo pacif us ~ || indo-pacific us-2 "


def test_fields_are_weighted_and_never_joined_into_one_phrase():
    doc = terms.Analysed()
    doc.add("Act", "A")
    doc.add("East", "B")
    assert doc.tsvector() == "'act':1A 'east':3B"
    assert " act east " not in doc.terms()


def test_a_query_needs_every_term_and_ranks_the_phrase():
    query = terms.parse("Act East policy")
    assert [g.alternatives for g in query.groups] == [[["act"]], [["east"]], [["polici"]]]
    assert query.tsquery() == "'act' & 'east' & 'polici'"
    assert query.phrase_tsquery() == "'act' <-> 'east' <-> 'polici'"


def test_quoted_phrases_compounds_and_stopwords():
    query = terms.parse('"act east" of the 2+2')
    assert query.tsquery() == "'act' <-> 'east' & '2+2'"
    # A hyphenated word also matches the words written apart.
    assert terms.parse("Act-East").tsquery() == "('act-east' | 'act' <-> 'east')"
    assert terms.parse("US-2").tsquery() == "'us-2'"
    assert terms.parse("the").tsquery() == "'the'"  # only stopwords: keep them
    assert not terms.parse("  ?! ")


def test_weighted_query_for_the_title():
    group = terms.parse("Act-East").groups[0]
    assert group.tsquery("A") == "('act-east':A | 'act':A <-> 'east':A)"
    assert group.patterns() == [" act-east ", " act east "]


def test_highlight_escapes_then_marks_whole_terms():
    html = terms.highlight("<b>2+2</b> in 2023 & G20", terms.parse("2+2").highlight)
    assert html == "&lt;b&gt;<mark>2+2</mark>&lt;/b&gt; in 2023 &amp; G20"
    marked = terms.highlight("India's treaty with Japan", terms.parse("treaties").highlight)
    assert marked == "India&#x27;s <mark>treaty</mark> with Japan"


def test_highlight_windows_a_long_text_around_the_first_match():
    text = "word " * 100 + "Bodhisena reached Japan " + "word " * 100
    html = terms.highlight(text, terms.parse("bodhisena").highlight, limit=120)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>Bodhisena</mark>" in html


def test_edit_distance_counts_a_swap_as_one():
    assert terms.edit_distance("unicron", "unicorn") == 1
    assert terms.edit_distance("unicron", "union") == 2
    assert terms.edit_distance("", "abc") == 3
