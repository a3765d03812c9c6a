"""The search page, and the card and question pages its hits open."""

import pytest
from django.urls import reverse

from content import search
from content.models import CardKind, Status
from tests.factories import (
    FactFactory,
    FlashcardFactory,
    MainsQuestionFactory,
    NoteFactory,
    QuestionFactory,
    StatementsQuestionFactory,
    TopicFactory,
)
from tests.quizzes.test_study_views import history_of

pytestmark = pytest.mark.django_db

SEARCH = reverse("quizzes:search")


@pytest.fixture
def bank(db):
    topic = TopicFactory(title="History and milestones", slug="history")
    NoteFactory(
        topic=topic,
        body="## Context\n\nJapan began **yen loans** to India in 1958 [iasgyan-2025].\n",
    )
    FactFactory(topic=topic, slug="yen-1958", statement="Japan began yen loans to India in 1958.")
    FlashcardFactory(topic=topic, front="When did yen loans to India begin?", back="1958")
    FlashcardFactory(
        topic=topic,
        kind=CardKind.CLOZE,
        front="",
        back="",
        text="The first yen loan went to {{c1::India}}.",
    )
    QuestionFactory(topic=topic, stem="In which year did Japan extend its first yen loan?")
    StatementsQuestionFactory(topic=topic, stem="Consider the following statements on yen loans:")
    MainsQuestionFactory(topic=topic, text="Discuss the role of yen loans in India's growth.")
    FactFactory(topic=topic, statement="Yen loans draft.", status=Status.DRAFT)
    search.rebuild_index()
    return topic


def test_search_needs_login(client):
    assert client.get(SEARCH, {"q": "yen"}).status_code == 302


def test_search_lists_every_type_with_counts_and_links_to_each_item(learner_client, bank):
    response = learner_client.get(SEARCH, {"q": "YEN LOAN"})
    assert response.status_code == 200
    results = response.context["results"]
    assert results.counts == {"note": 1, "fact": 1, "card": 2, "question": 2, "mains": 1}
    html = response.content.decode()
    assert "7 results for “YEN LOAN”" in html
    assert "<strong>2</strong> cards" in html and "<strong>2</strong> prelims questions" in html
    assert "draft" not in html.lower().split("search-results")[-1]
    assert '<a href="/topics/history/#fact-yen-1958">' in html
    assert '<a href="/topics/history/#context">' in html
    card_urls = [h.url for h in results.hits if h.kind == "card"]
    assert all(url.startswith("/cards/") for url in card_urls)
    assert "The first <mark>yen</mark> <mark>loan</mark> went to […]." in html  # cloze: no answer


def test_choosing_a_type_and_paging(learner_client, bank):
    response = learner_client.get(SEARCH, {"q": "yen", "type": "card"})
    assert [h.kind for h in response.context["results"].hits] == ["card", "card"]
    assert 'aria-current="true"><strong>2</strong> cards' in response.content.decode()
    response = learner_client.get(SEARCH, {"q": "yen", "page": "5"})
    assert response.context["results"].page == 1


@pytest.mark.parametrize(
    "params", [{"q": "yen", "type": "secret"}, {"q": "yen", "page": "x"}, {"q": "y" * 201}]
)
def test_bad_parameters_are_refused_with_a_message(learner_client, bank, params):
    response = learner_client.get(SEARCH, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_typo_shows_the_corrected_results(learner_client, bank):
    html = learner_client.get(SEARCH, {"q": "yen lonas"}).content.decode()
    assert "No results for “yen lonas”. Showing results for <strong>“yen loans”</strong>." in html


def test_no_results_suggests_fewer_words(learner_client, bank):
    html = learner_client.get(SEARCH, {"q": "1958 zzzqqq"}).content.decode()
    assert "No results for “1958 zzzqqq”" in html
    assert 'href="?q=1958"' in html


def test_empty_query_shows_the_hint(learner_client, bank):
    response = learner_client.get(SEARCH)
    assert response.status_code == 200
    assert "Type a word or two" in response.content.decode()


def test_htmx_gets_only_the_results_and_the_response_varies(learner_client, bank):
    headers = {"HX-Request": "true", "HX-Target": "search-results"}
    response = learner_client.get(SEARCH, {"q": "yen"}, headers=headers)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"') and "<html" not in html
    assert "HX-Request" in response["Vary"]
    restore = learner_client.get(
        SEARCH, {"q": "yen"}, headers={**headers, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


@pytest.mark.parametrize("n_logs", [20, 2000])
def test_search_query_count_is_constant(
    learner_client, learner, n_logs, django_assert_max_num_queries
):
    history_of(learner, n_logs)
    FactFactory.create_batch(30, statement="Japan and India")
    search.rebuild_index()
    with django_assert_max_num_queries(5):  # session, user, counts per type, the page
        response = learner_client.get(SEARCH, {"q": "japan"})
    assert len(response.context["results"].hits) == 20


# --- the card page ------------------------------------------------------------------------


def test_card_page_shows_the_front_then_the_answer_behind_a_reveal(learner_client, bank):
    card = FlashcardFactory(topic=bank, front="Who consecrated the Great Buddha?", back="Bodhisena")
    html = learner_client.get(card.get_absolute_url()).content.decode()
    front, reveal = html.split("<details", 1)
    assert "Who consecrated the Great Buddha?" in front and "Bodhisena" not in front
    assert "Show answer" in reveal and "Bodhisena" in reveal
    assert "/cards/review/?topic=history" in html


def test_cloze_card_page_hides_the_answer_until_revealed(learner_client, bank):
    card = FlashcardFactory(
        topic=bank, kind=CardKind.CLOZE, front="", back="", text="Monk {{c1::Bodhisena}} came."
    )
    html = learner_client.get(card.get_absolute_url()).content.decode()
    front, reveal = html.split("<details", 1)
    assert "[…]" in front and "Bodhisena" not in front and "Bodhisena" in reveal


def test_unpublished_cards_and_questions_are_not_found(learner_client, bank):
    hidden = TopicFactory(status=Status.DRAFT)
    for item in (
        FlashcardFactory(topic=bank, status=Status.DRAFT),
        FlashcardFactory(topic=hidden),
        QuestionFactory(topic=bank, status=Status.RETIRED),
        QuestionFactory(topic=hidden),
    ):
        assert learner_client.get(item.get_absolute_url()).status_code == 404


# --- the question page --------------------------------------------------------------------


@pytest.fixture
def question(bank):
    q = StatementsQuestionFactory(
        topic=bank, stem="Consider the following statements:", truths=[True, False]
    )
    q.explanation = "Only statement 1 is correct: the loans began in 1958."
    q.save()
    return q


def test_question_page_gives_nothing_away_until_asked(learner_client, question):
    html = learner_client.get(question.get_absolute_url()).content.decode()
    assert "Statement 1." in html and "(a)" in html
    for secret in ("loans began in 1958", "is true", "is false", "Key", "is-key", "Correct"):
        assert secret not in html
    assert 'name="choice"' in html and 'name="reveal"' in html


def test_checking_an_option_says_right_or_wrong_and_explains(learner_client, question):
    key = question.snapshot()["key"]
    right = learner_client.get(question.get_absolute_url(), {"choice": key}).content.decode()
    assert "Right:" in right and "loans began in 1958" in right
    wrong = learner_client.get(
        question.get_absolute_url(), {"choice": (key + 1) % 4}
    ).content.decode()
    assert "Not quite" in wrong and "the answer is" in wrong
    shown = learner_client.get(question.get_absolute_url(), {"reveal": "1"}).content.decode()
    assert "The answer is (" in shown and "loans began in 1958" in shown


def test_question_page_refuses_a_bad_choice(learner_client, question):
    response = learner_client.get(question.get_absolute_url(), {"choice": "9"})
    assert response.status_code == 400
    assert "loans began in 1958" not in response.content.decode()
