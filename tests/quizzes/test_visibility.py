"""Nothing unpublished reaches a learner by any path (issue 15).

A DRAFT topic holds PUBLISHED items (note, fact, card, single and statements questions, a
Mains question) beside a published topic. A learner walks every learner URL the resolver
knows; the draft topic's items never appear: direct URLs are 404, lists and search leave them
out, practice and mocks never draw them, the review queue never offers them. A learner's own
history on them (results read from snapshots, Mains answers) stays theirs to see. Staff can
preview any of them under a banner; learners cannot.
"""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from content import search
from content.models import Flashcard, Paper, PaperQuestion, Status, Topic
from quizzes.models import Attempt, AttemptItem, CardState, MainsAnswer
from quizzes.services import prelims as prelims_service
from tests.factories import (
    CardStateFactory,
    FactFactory,
    FlashcardFactory,
    MainsAnswerFactory,
    MainsQuestionFactory,
    NoteFactory,
    QuestionFactory,
    StatementsQuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORD = "zanzibarite"  # only in the draft topic's items
# What a learner must never read: each draft item's own text (the search box may echo WORD).
SECRETS = [
    "Zanzibarite Accord Topic",
    "zanzibarite note sentence",
    "zanzibarite fact statement",
    "zanzibarite card front",
    "zanzibarite single stem",
    "zanzibarite statements stem",
    "zanzibarite mains text",
]


@pytest.fixture
def world(db):
    open_topic = TopicFactory(title="Open Topic", slug="open-topic")
    NoteFactory(topic=open_topic)
    open_items = {
        "fact": FactFactory(topic=open_topic),
        "card": FlashcardFactory(topic=open_topic, front="Open card front?"),
        "question": QuestionFactory(topic=open_topic, stem="Open single stem?"),
        "mains": MainsQuestionFactory(topic=open_topic, text="Discuss the open mains text."),
    }
    hidden = TopicFactory(title="Zanzibarite Accord Topic", slug="hidden-topic")
    NoteFactory(topic=hidden, body="## Context\n\nThe zanzibarite note sentence is secret.\n")
    items = {
        "fact": FactFactory(topic=hidden, statement="A zanzibarite fact statement."),
        "card": FlashcardFactory(topic=hidden, front="The zanzibarite card front?"),
        "single": QuestionFactory(topic=hidden, stem="The zanzibarite single stem?"),
        "statements": StatementsQuestionFactory(
            topic=hidden, stem="Consider the zanzibarite statements stem:"
        ),
        "mains": MainsQuestionFactory(topic=hidden, text="Discuss the zanzibarite mains text."),
    }
    assert all(item.status == Status.PUBLISHED for item in items.values())
    paper = Paper.objects.create(
        slug="paper-1", title="Paper 1", family="sectional", minutes=5, status=Status.PUBLISHED
    )
    for order, question in enumerate(
        [open_items["question"], items["single"], items["statements"]], start=1
    ):
        PaperQuestion.objects.create(paper=paper, question=question, order=order)
    search.rebuild_index()
    return {
        "hidden": hidden,
        "items": items,
        "open": open_topic,
        "open_items": open_items,
        "paper": paper,
    }


def unpublish(topic: Topic) -> None:
    Topic.objects.filter(pk=topic.pk).update(status=Status.DRAFT)


def leaks(response) -> list[str]:
    """The draft topic's texts and URLs a response shows."""
    body = response.content.decode(errors="replace")
    return [s for s in SECRETS if s in body] + [u for u in ("/topics/hidden-topic/",) if u in body]


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.pattern.converters


# Every learner URL with an argument: how the walk reaches the draft topic's items through it.
# `None` marks a route whose argument is not content (the learner's own attempt or answer,
# staff pages): those are checked by owner tests, and below for the learner's own history.
CONTENT_ROUTES = {
    "quizzes:topic-detail": ("GET", lambda w: [w["hidden"].slug]),
    "quizzes:topic-studied": ("POST", lambda w: [w["hidden"].slug]),
    "quizzes:card-detail": ("GET", lambda w: [w["items"]["card"].pk]),
    "quizzes:card-mark": ("POST", lambda w: [w["items"]["card"].pk]),
    "quizzes:question-detail": ("GET", lambda w: [w["items"]["single"].pk]),
    "quizzes:bookmark": ("POST", lambda w: [w["items"]["statements"].pk]),
    "quizzes:mains-write": ("GET", lambda w: [w["items"]["mains"].pk]),
    "quizzes:mains-autosave": ("POST", lambda w: [w["items"]["mains"].pk]),
}
# Published pages with an argument that list content: shown (200) without the draft topic's items.
PAGE_ROUTES = {
    "quizzes:paper": lambda w: [w["paper"].slug],
}
OWNER_ROUTES = {
    "quizzes:paper-start",  # a POST that starts the learner's attempt: checked below
    "quizzes:attempt",
    "quizzes:attempt-answer",
    "quizzes:attempt-submit",
    "quizzes:attempt-result",
    "quizzes:mains-answer",
    "quizzes:mains-assess",
    "quizzes:mains-feedback",
    "quizzes:mains-page",
    "quizzes:staff-learner",
    "quizzes:mentor-evaluate",
    "quizzes:own-card-edit",  # a learner's own card: tests/quizzes/test_own_cards.py
    "quizzes:own-card-delete",
}
# Pages without arguments, with the query strings that ask for the draft topic.
QUERIES = {
    "quizzes:search": [f"?q={WORD}", f"?q={WORD}&type=card", f"?q={WORD}&type=question"],
    "quizzes:review": ["", "?topic=hidden-topic"],
    "quizzes:mains": ["", "?topic=hidden-topic"],
    "quizzes:prelims": ["", "?topic=hidden-topic"],
    "quizzes:export": ["", "?format=json", "?format=csv"],
}


def test_every_learner_url_is_walked(world):
    """A new learner URL must be classified here, so the walk below cannot miss it."""
    names = {name for name, _ in _patterns(get_resolver())}
    quizzes = {n for n in names if n.startswith("quizzes:")}
    with_args = {n for n, conv in _patterns(get_resolver()) if conv and n in quizzes}
    unclassified = with_args - set(CONTENT_ROUTES) - set(PAGE_ROUTES) - OWNER_ROUTES
    assert not unclassified, f"classify these URLs in {__name__}: {sorted(unclassified)}"


def test_no_learner_url_shows_a_draft_topics_published_items(world, client):
    unpublish(world["hidden"])
    learner = UserFactory()
    client.force_login(learner)
    walked = 0
    for name, converters in _patterns(get_resolver()):
        if not (name == "home" or name.startswith("quizzes:")):
            continue
        if converters:
            if name in OWNER_ROUTES:
                continue
            if name in PAGE_ROUTES:
                response = client.get(reverse(name, args=PAGE_ROUTES[name](world)))
                assert response.status_code == 200 and not leaks(response), name
                walked += 1
                continue
            method, args = CONTENT_ROUTES[name]
            url = reverse(name, args=args(world))
            for query in ("", "?preview=1"):  # a learner asking for a preview gets nothing
                response = getattr(client, method.lower())(url + query)
                assert response.status_code == 404, (name, query, response.status_code)
                walked += 1
            continue
        for query in QUERIES.get(name, [""]):
            response = client.get(reverse(name) + query)
            assert response.status_code < 500, (name, query)
            assert not leaks(response), (name, query, leaks(response))
            walked += 1
    assert walked >= 30
    # The direct URLs of every draft-topic item, and the topic asked for by query.
    items = world["items"]
    for url in [
        reverse("quizzes:question-detail", args=[items["statements"].pk]),
        reverse("quizzes:question-detail", args=[items["single"].pk]) + "?reveal=1",
        reverse("quizzes:review") + "?topic=hidden-topic",
    ]:
        assert client.get(url).status_code == 404, url


def test_search_finds_nothing_in_a_draft_topic(world, learner_client):
    unpublish(world["hidden"])
    page = learner_client.get(reverse("quizzes:search"), {"q": WORD})
    assert page.status_code == 200
    assert not leaks(page)
    for kind in ["note", "fact", "card", "question", "mains"]:
        response = learner_client.get(reverse("quizzes:search"), {"q": WORD, "type": kind})
        assert not leaks(response), kind
    # The published topic is still found (the index is not simply empty).
    open_card = world["open_items"]["card"]
    found = learner_client.get(reverse("quizzes:search"), {"q": "open card front"})
    assert reverse("quizzes:card-detail", args=[open_card.pk]) in found.content.decode()


def test_practice_and_mocks_of_all_topics_never_draw_a_draft_topics_questions(
    world, learner_client, learner
):
    unpublish(world["hidden"])
    start = reverse("quizzes:prelims-start")
    learner_client.post(start, {"mode": "practice", "pool": "all", "count": 50})
    learner_client.post(start, {"mode": "mock", "pool": "all", "size": "custom", "custom": 50})
    attempts = Attempt.objects.filter(learner=learner)
    assert attempts.count() == 2
    drawn = set(AttemptItem.objects.filter(attempt__learner=learner).values_list("question_id"))
    assert drawn == {(world["open_items"]["question"].pk,)}
    for attempt in attempts:
        assert not leaks(learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])))
    # Asking for the draft topic by name is a refused form, and draws nothing.
    response = learner_client.post(
        start, {"mode": "practice", "pool": "all", "count": 5, "topics": ["hidden-topic"]}
    )
    assert response.status_code == 400
    assert Attempt.objects.filter(learner=learner).count() == 2
    # A test-series paper holding draft-topic questions sets only the visible ones.
    learner_client.post(reverse("quizzes:paper-start", args=["paper-1"]), {"agree": "1"})
    paper_attempt = Attempt.objects.get(learner=learner, paper__slug="paper-1")
    drawn = set(AttemptItem.objects.filter(attempt=paper_attempt).values_list("question_id"))
    assert drawn == {(world["open_items"]["question"].pk,)}
    assert not leaks(learner_client.get(reverse("quizzes:attempt", args=[paper_attempt.pk])))


def test_review_of_all_topics_never_offers_a_draft_topics_cards(world, learner_client, learner):
    card = world["items"]["card"]
    # The learner met the card while its topic was published: it is due now.
    CardStateFactory(learner=learner, card=card)
    unpublish(world["hidden"])
    review = learner_client.get(reverse("quizzes:review"))
    assert not leaks(review)
    session = review.context["session"]
    assert session.counts == {"new": 1, "learning": 0, "review": 0}
    assert session.card == world["open_items"]["card"]
    # A rating posted for the hidden card by hand is refused.
    response = learner_client.post(
        reverse("quizzes:review-rate"), {"card": card.pk, "rating": 3, "reps": 3}
    )
    assert response.status_code == 404
    assert CardState.objects.get(learner=learner, card=card).reps == 3
    # Neither the decks page nor the home page counts it as due.
    assert not leaks(learner_client.get(reverse("quizzes:cards")))
    home = learner_client.get(reverse("home"))
    assert home.context["today"]["cards_due"] == 0


def test_a_learners_own_history_on_a_later_unpublished_topic_stays_theirs(
    world, learner_client, learner
):
    attempt = prelims_service.attempt_start(
        learner=learner, mode=Attempt.Mode.PRACTICE, count=2, topics=["hidden-topic"]
    )
    prelims_service.attempt_submit(attempt_id=attempt.pk, learner=learner)
    answer = MainsAnswerFactory(learner=learner, question=world["items"]["mains"])
    unpublish(world["hidden"])

    result = learner_client.get(reverse("quizzes:attempt-result", args=[attempt.pk]))
    assert result.status_code == 200
    body = result.content.decode()
    assert "zanzibarite single stem" in body and "zanzibarite statements stem" in body
    mains = learner_client.get(reverse("quizzes:mains-answer", args=[answer.pk]))
    assert mains.status_code == 200
    assert "zanzibarite mains text" in mains.content.decode()
    exported = json.loads(learner_client.get(reverse("quizzes:export"), {"format": "json"}).content)
    assert exported  # the export still holds the learner's own rows


# ---- staff preview ----------------------------------------------------------------------


def preview_urls(world) -> dict[str, str]:
    items = world["items"]
    return {
        "topic": reverse("quizzes:topic-detail", args=[world["hidden"].slug]),
        "card": reverse("quizzes:card-detail", args=[items["card"].pk]),
        "single": reverse("quizzes:question-detail", args=[items["single"].pk]),
        "statements": reverse("quizzes:question-detail", args=[items["statements"].pk]),
        "mains": reverse("quizzes:mains-write", args=[items["mains"].pk]),
    }


def test_staff_preview_shows_draft_topics_and_items_under_a_banner(world, staff_client):
    unpublish(world["hidden"])
    draft_fact = FactFactory(
        topic=world["hidden"], statement="A draft-only zanzibarite finding.", status=Status.DRAFT
    )
    for kind, url in preview_urls(world).items():
        assert staff_client.get(url).status_code == 404, kind  # no banner: the learner's view
        response = staff_client.get(url, {"preview": "1"})
        assert response.status_code == 200, kind
        body = response.content.decode()
        assert "Preview as learner" in body and "data-preview" in body, kind
        assert "Learners cannot see it" in body, kind
    topic_page = staff_client.get(preview_urls(world)["topic"], {"preview": "1"}).content.decode()
    assert "zanzibarite note sentence" in topic_page
    assert "zanzibarite fact statement" in topic_page
    assert draft_fact.statement in topic_page
    # A draft item in a published topic can be previewed too.
    draft_card = FlashcardFactory(topic=world["open"], status=Status.DRAFT, front="Draft front?")
    url = reverse("quizzes:card-detail", args=[draft_card.pk])
    page = staff_client.get(url, {"preview": "1"}).content.decode()
    assert "Draft front?" in page and "Preview as learner" in page


def test_a_preview_never_writes_a_draft_mains_answer(world, staff_client, staff_user):
    unpublish(world["hidden"])
    url = reverse("quizzes:mains-write", args=[world["items"]["mains"].pk])
    response = staff_client.post(url + "?preview=1", {"action": "save", "text": "x"})
    assert response.status_code == 404
    assert not MainsAnswer.objects.filter(learner=staff_user).exists()


def test_learners_never_get_a_preview(world, learner_client):
    unpublish(world["hidden"])
    for kind, url in preview_urls(world).items():
        assert learner_client.get(url, {"preview": "1"}).status_code == 404, kind
    # On a published page the parameter changes nothing for a learner: no banner.
    open_card = world["open_items"]["card"]
    page = learner_client.get(reverse("quizzes:card-detail", args=[open_card.pk]), {"preview": 1})
    assert page.status_code == 200
    assert "data-preview" not in page.content.decode()


def test_admin_preview_links_open_the_staff_preview(world, staff_client):
    unpublish(world["hidden"])
    for model in ["topic", "flashcard", "question", "mainsquestion", "fact"]:
        page = staff_client.get(reverse(f"admin:content_{model}_changelist")).content.decode()
        assert "?preview=1" in page, model
    card = world["items"]["card"]
    view_on_site = staff_client.get(reverse("admin:content_flashcard_change", args=[card.pk]))
    assert f"/cards/{card.pk}/?preview=1" in view_on_site.content.decode()


def test_new_items_default_to_draft_in_the_model_and_the_admin_add_form(staff_client):
    topic = TopicFactory()
    card = Flashcard.objects.create(slug="new-card", topic=topic, front="F?", back="B")
    assert card.status == Status.DRAFT
    assert Topic.objects.create(slug="new-topic", title="New").status == Status.DRAFT
    for model in ["topic", "fact", "flashcard", "question", "mainsquestion"]:
        page = staff_client.get(reverse(f"admin:content_{model}_add")).content.decode()
        assert '<option value="draft" selected>Draft</option>' in page, model
