"""Topic list, topic note page and "mark as studied" (search: test_search_views.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Status
from quizzes.models import AttemptItem, CardState, NoteProgress
from tests.factories import (
    AttemptFactory,
    CardStateFactory,
    ClaimFactory,
    FactFactory,
    FlashcardFactory,
    NoteFactory,
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from tests.quizzes.test_cards_views import review_history

pytestmark = pytest.mark.django_db

TOPICS = reverse("quizzes:topic-list")
HTMX = {"HTTP_HX_REQUEST": "true"}


def answer(learner, question, correct: bool | None, order: int, attempt=None):
    attempt = attempt or AttemptFactory(learner=learner)
    return AttemptItem.objects.create(
        attempt=attempt,
        question=question,
        order=order,
        snapshot={},
        key=1,
        chosen=None if correct is None else (1 if correct else 0),
        is_correct=correct,
    )


# --- /topics/ -----------------------------------------------------------------------------


def test_topics_need_login(client):
    assert client.get(TOPICS).status_code == 302


def test_topic_list_shows_published_topics_with_the_learners_progress(learner_client, learner):
    history = TopicFactory(title="History and milestones", order=1)
    trade = TopicFactory(title="Trade and investment", order=2)
    TopicFactory(title="Secret draft", status=Status.DRAFT)
    NoteFactory(topic=history)
    NoteProgress.objects.create(learner=learner, topic=history, studied_at=timezone.now())
    cards = [FlashcardFactory(topic=history) for _ in range(4)]
    CardStateFactory(learner=learner, card=cards[0], due=timezone.now() - dt.timedelta(hours=1))
    CardStateFactory(
        learner=learner, card=cards[1], state=CardState.State.LEARNING, due=timezone.now()
    )
    question = QuestionFactory(topic=history)
    attempt = AttemptFactory(learner=learner)
    answer(learner, question, True, 1, attempt)
    answer(learner, QuestionFactory(topic=history), False, 2, attempt)
    answer(learner, QuestionFactory(topic=history), True, 3, attempt)
    answer(learner, QuestionFactory(topic=history), None, 4, attempt)  # blank: not counted
    # Another learner's work does not count.
    other = UserFactory()
    NoteProgress.objects.create(learner=other, topic=trade, studied_at=timezone.now())
    answer(other, QuestionFactory(topic=trade), False, 1)

    response = learner_client.get(TOPICS)
    assert response.status_code == 200
    rows = {r["topic"].title: r for r in response.context["rows"]}
    assert list(rows) == ["History and milestones", "Trade and investment"]
    h = rows["History and milestones"]
    assert h["studied_at"] is not None
    assert (h["cards_total"], h["cards_learned"], h["cards_learning"], h["cards_due"]) == (
        4,
        1,
        1,
        2,
    )
    assert h["cards_new"] == 2
    assert (h["answered"], h["correct"], h["accuracy"]) == (3, 2, 67)
    t = rows["Trade and investment"]
    assert t["studied_at"] is None and t["accuracy"] is None
    html = response.content.decode()
    assert "Secret draft" not in html
    assert "67% correct" in html
    assert "✓ Studied" in html
    assert "No attempts yet" in html
    assert history.get_absolute_url() in html


# --- /topics/<slug>/ ----------------------------------------------------------------------


@pytest.fixture
def topic_page(db):
    """A topic with a note citing two sources, dated facts and one disputed fact."""
    topic = TopicFactory(slug="history", title="History and milestones")
    iasgyan = SourceFactory(
        slug="iasgyan-2025",
        title="India-Japan Special Strategic and Global Partnership",
        publisher="IASGyan (based on The Hindu)",
        date=dt.date(2025, 8, 1),
    )
    neo = SourceFactory(
        slug="rostami-neo-2025",
        title="India and Japan: A Strategic Partnership",
        publisher="New Eastern Outlook",
        author="Samyar Rostami",
        date=dt.date(2025, 6, 4),
    )
    note = NoteFactory(
        topic=topic,
        body=(
            "## Context\n\nRelations began in **1952** [iasgyan-2025].\n\n"
            "### The peace treaty\n\nSigned separately [rostami-neo-2025].\n\n"
            "<script>alert('x')</script>\n\n## Key dates\n\nYen loans from 1958.\n"
        ),
    )
    note.sources.set([iasgyan, neo])
    relations = FactFactory(
        topic=topic,
        slug="diplomatic-relations-1952",
        statement="India and Japan established diplomatic relations in 1952.",
        value="1952",
        date=dt.date(1952, 4, 28),
    )
    ClaimFactory(fact=relations, source=iasgyan, value="1952")
    yen = FactFactory(
        topic=topic,
        slug="yen-loans-1958",
        statement="Japan began yen loans to India in 1958.",
        value="1958",
        date=dt.date(1958, 1, 1),
        date_precision="year",
    )
    ClaimFactory(fact=yen, source=iasgyan, value="1958")
    quad = FactFactory(
        topic=topic,
        slug="quad-summit-2024",
        statement="The Quad summit at Wilmington was held on 21 September 2024.",
        value="21 September 2024",
        date=dt.date(2024, 9, 21),
        resolution="The article's *October* is a slip.",
    )
    ClaimFactory(fact=quad, source=neo, value="October 2024", agrees=False)
    ClaimFactory(fact=quad, source=iasgyan, value="September 2024")
    undated = FactFactory(topic=topic, statement="No date here.", value="x", date=None)
    ClaimFactory(fact=undated, source=iasgyan, value="x")
    FactFactory(topic=topic, statement="Draft fact hidden.", status=Status.DRAFT)
    return topic


def test_topic_page_renders_the_note_safely_with_contents_and_citations(learner_client, topic_page):
    response = learner_client.get(topic_page.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="context">Context</h2>' in html
    assert '<a href="#context">Context</a>' in html
    assert '<li class="toc-level-3"><a href="#the-peace-treaty">' in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert '<sup><a href="#source-iasgyan-2025" title="IASGyan"' in html
    assert ">[IASGyan]</a></sup>" in html
    assert '<li id="source-iasgyan-2025">' in html
    assert "New Eastern Outlook · Samyar Rostami · 4 June 2025" in html


def test_topic_page_shows_key_facts_timeline_and_sources_differ(learner_client, topic_page):
    response = learner_client.get(topic_page.get_absolute_url())
    html = response.content.decode()
    assert "Draft fact hidden" not in html
    timeline = [f.slug for f in response.context["timeline"]]
    assert timeline == ["diplomatic-relations-1952", "yen-loans-1958", "quad-summit-2024"]
    assert '<time datetime="1958-01-01">1958</time>' in html
    assert response.context["disputed_count"] == 1
    callouts = html.count('class="sources-differ"')
    assert callouts == 1
    callout = html[html.index('class="sources-differ"') :]
    callout = callout[: callout.index("</aside>")]
    assert "Correct: <strong>21 September 2024</strong>" in callout
    assert "New Eastern Outlook</a>: “October 2024”" in callout
    assert '<span class="badge danger">wrong</span>' in callout
    assert "IASGyan</a>: “September 2024”" in callout
    assert "<em>October</em> is a slip" in callout
    assert 'id="fact-quad-summit-2024"' in html


def test_topic_page_links_to_practise_this_topic(learner_client, topic_page):
    html = learner_client.get(topic_page.get_absolute_url()).content.decode()
    for name in ["review", "prelims", "mains"]:
        assert f'href="{reverse(f"quizzes:{name}")}?topic=history"' in html


def test_draft_or_unknown_topic_is_404(learner_client):
    draft = TopicFactory(status=Status.DRAFT)
    assert learner_client.get(draft.get_absolute_url()).status_code == 404
    assert learner_client.get("/topics/no-such-topic/").status_code == 404


def test_topic_without_a_note_still_shows_its_facts(learner_client):
    topic = TopicFactory()
    FactFactory(topic=topic, statement="A lone fact.")
    response = learner_client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert "A lone fact." in response.content.decode()
    assert "still being written" in response.content.decode()


# --- mark as studied ----------------------------------------------------------------------


def test_mark_studied_with_htmx_returns_the_partial(learner_client, learner, topic_page):
    url = reverse("quizzes:topic-studied", args=[topic_page.slug])
    response = learner_client.post(url, {"studied": "1"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="studied"')
    assert "Studied</strong> on" in html
    assert "Mark as not studied" in html
    assert NoteProgress.objects.filter(learner=learner, topic=topic_page).count() == 1


def test_mark_studied_without_js_redirects_and_is_idempotent(learner_client, learner, topic_page):
    url = reverse("quizzes:topic-studied", args=[topic_page.slug])
    response = learner_client.post(url, {"studied": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{topic_page.get_absolute_url()}#studied"
    first = NoteProgress.objects.get(learner=learner).studied_at
    learner_client.post(url, {"studied": "1"})
    assert NoteProgress.objects.get(learner=learner).studied_at == first
    page = learner_client.get(topic_page.get_absolute_url()).content.decode()
    assert "✓ Studied" in page


def test_mark_not_studied(learner_client, learner, topic_page):
    NoteProgress.objects.create(learner=learner, topic=topic_page, studied_at=timezone.now())
    other = UserFactory()
    NoteProgress.objects.create(learner=other, topic=topic_page, studied_at=timezone.now())
    url = reverse("quizzes:topic-studied", args=[topic_page.slug])
    response = learner_client.post(url, {"studied": "0"}, **HTMX)
    assert "Mark as studied" in response.content.decode()
    assert not NoteProgress.objects.filter(learner=learner).exists()
    assert NoteProgress.objects.filter(learner=other).exists()


def test_bad_studied_post_is_400_and_changes_nothing(learner_client, learner, topic_page):
    url = reverse("quizzes:topic-studied", args=[topic_page.slug])
    response = learner_client.post(url, {"studied": "yes"})
    assert response.status_code == 400
    assert "studied" in response.content.decode()
    assert not NoteProgress.objects.exists()
    assert learner_client.get(url).status_code == 405
    missing = reverse("quizzes:topic-studied", args=["nope"])
    assert learner_client.post(missing, {"studied": "1"}).status_code == 404


# --- query counts -------------------------------------------------------------------------


def history_of(learner, n_logs: int):
    topics = [TopicFactory() for _ in range(4)]
    for topic in topics:
        NoteFactory(topic=topic)
        fact = FactFactory(topic=topic)
        ClaimFactory(fact=fact, agrees=False)
        ClaimFactory(fact=fact)
    cards = [FlashcardFactory(topic=topics[i % 4]) for i in range(8)]
    for card in cards[:5]:
        CardStateFactory(learner=learner, card=card)
    review_history(learner, cards[0], n_logs)
    attempt = AttemptFactory(learner=learner)
    for i in range(min(n_logs, 200)):
        answer(learner, QuestionFactory(topic=topics[i % 4]), i % 3 != 0, i + 1, attempt)
    NoteProgress.objects.create(learner=learner, topic=topics[0], studied_at=timezone.now())
    return topics


@pytest.mark.parametrize("n_logs", [20, 2000])
def test_topic_list_query_count_is_constant(
    learner_client, learner, n_logs, django_assert_max_num_queries
):
    history_of(learner, n_logs)
    with django_assert_max_num_queries(6):
        response = learner_client.get(TOPICS)
    assert len(response.context["rows"]) == 4


@pytest.mark.parametrize("n_logs", [20, 2000])
def test_topic_page_query_count_is_constant(
    learner_client, learner, n_logs, django_assert_max_num_queries
):
    topics = history_of(learner, n_logs)
    with django_assert_max_num_queries(8):
        response = learner_client.get(topics[0].get_absolute_url())
    assert response.status_code == 200


def test_marking_studied_with_htmx_also_updates_the_header_badge(learner_client):
    from tests.factories import NoteFactory

    note = NoteFactory()
    response = learner_client.post(
        f"/topics/{note.topic.slug}/studied/", {"studied": "1"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="studied-badge" hx-swap-oob="true"' in body
    assert "✓ Studied" in body
