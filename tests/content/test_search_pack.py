"""Real queries on the shipped India–Japan pack: what an aspirant types, what comes first."""

import re

import pytest

from content import models as m
from content.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(shipped_pack):
    """The shipped pack; the loader rebuilds the search index."""
    return shipped_pack


def plain(hit) -> str:
    return re.sub(r"</?mark>", "", f"{hit.title} {hit.snippet}").lower()


@pytest.mark.parametrize(
    ("q", "term", "top"),
    [
        ("2+2", "2+2", "/topics/institutions/#fact-institutions-2plus2-"),
        ("G20", "g20", "#fact-"),  # one of several G20 facts (the pack grows)
        ("Act East", "act east", "/topics/oda-infrastructure/#the-northeast-and-act-east"),
        ("semiconductor", "semiconductor", "/topics/technology-energy/#fact-technology-energy-"),
        ("Bodhisena", "bodhisena", "/topics/history/#fact-history-bodhisena-"),
    ],
)
def test_top_results_for_real_queries(pack, q, term, top):
    """The first hit is the fact (or note section) about the term."""
    results = search(q)
    assert top in results.hits[0].url, [h.url for h in results.hits[:5]]
    # The first hits show the term itself (never just a "2" of "2023" or a lone "east").
    assert all(term in plain(h) for h in results.hits[:5])


def test_two_plus_two_finds_the_dialogue_not_every_two(pack):
    results = search("2+2")
    assert 10 <= results.total <= 60
    facts = search("2+2", kind="fact").hits
    assert all("2+2" in plain(h) for h in facts)


def test_us_2_finds_only_the_aircraft(pack):
    expected = m.Fact.objects.filter(statement__icontains="US-2").exists()
    results = search("US-2")
    assert bool(results.total) == expected
    assert all("us-2" in plain(h) for h in results.hits if h.kind != "card")


def test_a_typo_finds_unicorn(pack):
    results = search("unicron")
    assert results.corrected == "unicorn"
    assert "unicorn" in plain(results.hits[0])
    assert (
        results.hits[0].url == "/topics/defence-security/#fact-defence-security-unicorn-expansion"
    )


def test_japan_counts_every_type_and_pages(pack):
    results = search("japan")
    assert set(results.counts) == {"note", "fact", "card", "question", "mains"}
    assert results.total > 400 and results.pages == -(-results.total // 20)
    assert len(search("japan", page=results.pages).hits) == (results.total % 20 or 20)


def test_no_question_snippet_gives_the_answer_away(pack):
    explanations = m.Question.objects.values_list("explanation", flat=True)
    for q in ("japan", "treaty", "2+2", "yen"):
        for hit in search(q, kind="question").hits:
            snippet = plain(hit)
            assert not any(e.lower()[:60] in snippet for e in explanations if len(e) > 60)
