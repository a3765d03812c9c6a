"""content.search on the database in use (SQLite or PostgreSQL: the same rules on both)."""

import html

import pytest

from content import search
from content.models import SearchEntry, Status
from tests.factories import (
    FactFactory,
    FlashcardFactory,
    MainsQuestionFactory,
    NoteFactory,
    QuestionFactory,
    StatementsQuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def found(q: str, **kwargs) -> list[str]:
    """The titles of the hits on the first page, as plain text."""
    return [
        html.unescape(str(h.title).replace("<mark>", "").replace("</mark>", ""))
        for h in search.search(q, **kwargs).hits
    ]


@pytest.fixture
def topic(db):
    return TopicFactory(title="Institutions and dialogues", slug="institutions")


def test_forum_names_match_whole_not_their_digits(topic):
    FactFactory(topic=topic, statement="The first 2+2 meeting was held in 2019.")
    FactFactory(topic=topic, statement="Japan attended the G20 summit in 2023.")
    FactFactory(topic=topic, statement="India may buy the US-2 amphibian aircraft.")
    FactFactory(topic=topic, statement="About 2,33,000 students; 2 countries; 20 years.")
    search.rebuild_index()
    assert found("2+2") == ["The first 2+2 meeting was held in 2019."]
    assert found("2 + 2") == ["The first 2+2 meeting was held in 2019."]
    assert found("G20") == ["Japan attended the G20 summit in 2023."]
    assert found("us-2") == ["India may buy the US-2 amphibian aircraft."]
    assert found("20") == ["About 2,33,000 students; 2 countries; 20 years."]


def test_a_phrase_ranks_first_and_quotes_require_it(topic):
    FactFactory(topic=topic, statement="East Asia summits act as a forum for the region.")
    FactFactory(topic=topic, statement="Japanese ODA serves India's Act East Policy.")
    search.rebuild_index()
    assert found("act east") == [
        "Japanese ODA serves India's Act East Policy.",
        "East Asia summits act as a forum for the region.",
    ]
    assert found('"act east"') == ["Japanese ODA serves India's Act East Policy."]


def test_title_matches_rank_above_text_matches(topic):
    FactFactory(topic=topic, statement="Loans began in 1958.", value="Yen loans")
    FactFactory(topic=topic, statement="Yen loans began in 1958.")
    search.rebuild_index()
    assert found("yen") == ["Yen loans began in 1958.", "Loans began in 1958."]


def test_a_typo_is_corrected_to_the_closest_indexed_word(topic, monkeypatch):
    FactFactory(topic=topic, statement="UNICORN is a mast for Indian Navy ships.")
    FactFactory(topic=topic, statement="The Soviet Union and Japan restored ties.")
    search.rebuild_index()
    results = search.search("unicron")
    assert results.corrected == "unicorn"
    assert found("unicron") == ["UNICORN is a mast for Indian Navy ships."]
    # Without pg_trgm (or on SQLite) difflib proposes the candidates.
    monkeypatch.setattr(search, "_has_trigrams", lambda alias: False)
    assert search.search("unicron").corrected == "unicorn"


def test_a_correction_that_finds_nothing_is_only_suggested(topic):
    FactFactory(topic=topic, statement="UNICORN is a mast for Indian Navy ships.")
    search.rebuild_index()
    results = search.search("unicron 1958")
    assert (results.hits, results.corrected, results.suggestion) == ([], "", "unicorn 1958")
    assert search.search("zzzqqq").suggestion == ""


def test_nothing_unpublished_is_found_and_status_changes_apply_at_once(topic):
    fact = FactFactory(topic=topic, statement="Bodhisena reached Japan in 736.")
    FactFactory(topic=topic, statement="Bodhisena draft.", status=Status.DRAFT)
    hidden = TopicFactory(status=Status.DRAFT)
    FactFactory(topic=hidden, statement="Bodhisena in a draft topic.")
    FlashcardFactory(topic=hidden, front="Who was Bodhisena?")
    NoteFactory(topic=hidden, body="## Bodhisena\n\nA monk.")
    search.rebuild_index()
    assert found("bodhisena") == ["Bodhisena reached Japan in 736."]
    type(fact).objects.filter(pk=fact.pk).update(status=Status.RETIRED)  # as the admin action
    assert found("bodhisena") == []
    topic.status = Status.DRAFT
    topic.save()
    fact.status = Status.PUBLISHED
    fact.save()
    assert found("bodhisena") == []


def test_question_hits_show_no_key_or_explanation(topic):
    question = StatementsQuestionFactory(topic=topic, stem="Consider the Shinkansen statements:")
    question.explanation = "Statement 2 is wrong: the secret is Ahmedabad."
    question.save()
    QuestionFactory(
        topic=topic, stem="Where is the Shinkansen line?", choices=["Mumbai", "Pune", "Goa", "Agra"]
    )
    search.rebuild_index()
    hits = search.search("shinkansen").hits
    assert {h.kind for h in hits} == {"question"}
    text = " ".join(f"{h.title} {h.snippet}" for h in hits)
    assert "Statement 1." in text and "Mumbai" in text
    assert "secret" not in text and "is true" not in text and "right" not in text
    assert search.search("secret").hits == []  # explanations are not even searchable


def test_card_hits_show_the_front_only_but_are_found_by_the_answer(topic):
    FlashcardFactory(topic=topic, front="Which monk reached Japan in 736?", back="Bodhisena")
    search.rebuild_index()
    (hit,) = search.search("bodhisena").hits
    assert hit.title == "Which monk reached Japan in 736?" and hit.snippet == ""
    assert hit.url.startswith("/cards/")


def test_every_hit_links_to_its_own_item(topic):
    note = NoteFactory(
        topic=topic, body="## Context\n\nThe Yen loan story.\n\n## Way forward\n\nMore yen."
    )
    fact = FactFactory(topic=topic, statement="Yen loans began in 1958.")
    card = FlashcardFactory(topic=topic, front="When did yen loans begin?")
    question = QuestionFactory(topic=topic, stem="The first yen loan came in:")
    mains = MainsQuestionFactory(topic=topic, text="Discuss yen loans.")
    search.rebuild_index()
    urls = {h.url for h in search.search("yen").hits}
    assert urls == {
        f"/topics/{note.topic.slug}/#context",
        f"/topics/{note.topic.slug}/#way-forward",
        f"/topics/institutions/#fact-{fact.slug}",
        f"/cards/{card.pk}/",
        f"/prelims/questions/{question.pk}/",
        f"/mains/{mains.pk}/write/",
    }


def test_counts_per_type_and_pages_instead_of_a_cap(topic):
    for i in range(search.PER_PAGE + 5):
        FactFactory(topic=topic, statement=f"Semiconductor fact {i}.")
    for i in range(3):
        FlashcardFactory(topic=topic, front=f"Semiconductor card {i}?")
    search.rebuild_index()
    first = search.search("semiconductor")
    assert first.counts == {"fact": 25, "card": 3}
    assert (first.total, first.pages, len(first.hits)) == (28, 2, 20)
    second = search.search("semiconductor", page=2)
    assert len(second.hits) == 8 and second.first == 21
    assert {h.title for h in first.hits}.isdisjoint({h.title for h in second.hits})
    cards = search.search("semiconductor", kind="card", page=9)  # clamped to the last page
    assert (cards.page, cards.pages, [h.kind for h in cards.hits]) == (1, 1, ["card"] * 3)


def test_reindex_refreshes_one_item_and_a_topic(topic):
    fact = FactFactory(topic=topic, statement="Old wording.")
    search.rebuild_index()
    fact.statement = "New wording about Kyoto."
    fact.save()
    search.reindex(fact)
    assert found("kyoto") == ["New wording about Kyoto."] and found("old") == []
    topic.title = "Culture and people"
    topic.save()
    search.reindex(topic)
    assert search.search("kyoto").hits[0].topic == "Culture and people"
    assert SearchEntry.objects.filter(fact=fact).count() == 1


def test_note_sections_are_hits_of_their_own(topic):
    NoteFactory(
        topic=topic,
        body="## Context\n\nAnnual summits [iasgyan-2025].\n\n## Timeline\n\n2006: summits begin.",
    )
    search.rebuild_index()
    hits = search.search("summits").hits
    assert [(str(h.title), h.url.split("#")[1]) for h in hits] == [
        ("Context", "context"),
        ("Timeline", "timeline"),
    ]
    assert "iasgyan" not in hits[0].snippet


def test_admin_status_actions_update_counts_and_hits(topic, rf):
    from types import SimpleNamespace

    from content.admin.base import publish, unpublish
    from content.models import Fact

    fact = FactFactory(topic=topic, statement="Bodhisena reached Japan in 736.")
    search.rebuild_index()
    admin = SimpleNamespace(message_user=lambda *args, **kwargs: None)
    # Filtered on status, as the changelist would be: the queryset is empty after the update.
    unpublish(admin, rf.get("/"), Fact.objects.filter(status=Status.PUBLISHED, pk=fact.pk))
    assert search.search("bodhisena").total == 0
    publish(admin, rf.get("/"), Fact.objects.filter(status=Status.DRAFT, pk=fact.pk))
    assert search.search("bodhisena").total == 1


def test_an_item_unpublished_outside_admin_is_never_shown(topic):
    fact = FactFactory(topic=topic, statement="Bodhisena reached Japan in 736.")
    search.rebuild_index()
    type(fact).objects.filter(pk=fact.pk).update(status=Status.DRAFT)  # index not told
    assert search.search("bodhisena").hits == []
