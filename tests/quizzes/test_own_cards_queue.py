"""A learner's own cards in the rest of the site: the review queue (same scheduler, same
new-card limit), the decks page, the data export, account deletion, and nowhere for anyone
else (their queue, search, topic counts, the admin, the search index)."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from content import search
from content.models import CardKind, Flashcard, SearchEntry, Topic
from profiles.models import Profile
from quizzes.models import CardState, ReviewLog
from quizzes.services import own_cards as service
from tests.conftest import PASSWORD
from tests.factories import FlashcardFactory, TopicFactory
from tests.quizzes.test_cards_views import build_history, rate, shown

pytestmark = pytest.mark.django_db

REVIEW = reverse("quizzes:review")
DECKS = reverse("quizzes:cards")


def own(learner, topic=None, **fields) -> Flashcard:
    fields = {"kind": CardKind.BASIC, "front": "Own Q?", "back": "Own A", "text": ""} | fields
    return service.own_card_create(learner=learner, topic=topic, **fields)


def test_an_own_card_is_reviewed_and_scheduled_like_any_card(learner_client, learner):
    card = own(learner, kind=CardKind.CLOZE, text="Tokyo is the capital of {{c1::Japan}}.")
    page = learner_client.get(REVIEW)
    body = page.content.decode()
    assert shown(page)["card"] == card.pk
    assert "Your card" in body and "[…]" in body and "Japan" in body  # revealed by CSS
    assert rate(learner_client, card.pk, 0, 3).status_code == 200
    state = CardState.objects.get(learner=learner, card=card)
    assert state.reps == 1 and state.due > timezone.now()
    assert ReviewLog.objects.filter(learner=learner, card=card, rating=3).count() == 1


def test_own_cards_count_against_the_daily_new_card_limit(learner_client, learner):
    Profile.objects.filter(user=learner).update(daily_new_cards=1)
    pack = FlashcardFactory()
    mine = own(learner)
    page = learner_client.get(REVIEW)
    assert page.context["session"].counts["new"] == 1
    first = shown(page)["card"]
    assert first in {pack.pk, mine.pk}
    rate(learner_client, first, 0, 4)
    after = learner_client.get(REVIEW)
    assert after.context["session"].card is None  # the limit is met: neither card is offered
    refused = rate(learner_client, ({pack.pk, mine.pk} - {first}).pop(), 0, 3)
    assert refused.status_code == 409


def test_own_cards_in_a_topic_join_its_deck_and_its_session(learner_client, learner):
    topic = TopicFactory(title="Act East")
    FlashcardFactory(topic=topic)
    mine = own(learner, topic=topic)
    own(learner, front="No topic?")
    decks = learner_client.get(DECKS).context["decks"]
    by_title = {d["topic"].title if d["topic"] else None: d for d in decks}
    assert by_title["Act East"]["total"] == 2 and by_title[None]["total"] == 1
    session = learner_client.get(REVIEW, {"topic": topic.slug}).context["session"]
    assert session.counts["new"] == 2
    assert learner_client.get(REVIEW, {"topic": topic.slug, "card": mine.pk}).status_code == 200
    assert "Your cards (no topic)" in learner_client.get(DECKS).content.decode()


def test_nobody_else_meets_an_own_card(client, learner, other_learner, staff_client):
    topic = TopicFactory()
    FlashcardFactory(topic=topic, front="Pack card?")
    secret = own(other_learner, topic=topic, front="Ravi's quokkafish secret?", back="quokkafish")
    search.rebuild_index()
    assert not SearchEntry.objects.filter(card=secret).exists()
    client.force_login(learner)
    session = client.get(REVIEW).context["session"]
    assert session.counts["new"] == 1 and session.card.front == "Pack card?"
    assert (
        client.get(reverse("quizzes:search"), {"q": "quokkafish"})
        .content.decode()
        .count("Ravi's quokkafish")
        == 0
    )
    assert Topic.objects.for_list().get(pk=topic.pk).card_count == 1
    assert list(Flashcard.objects.visible()) == list(Flashcard.objects.filter(owner=None))
    admin_list = staff_client.get(reverse("admin:content_flashcard_changelist"))
    assert "quokkafish" not in admin_list.content.decode()
    change = reverse("admin:content_flashcard_change", args=[secret.pk])
    assert staff_client.get(change).status_code == 302  # "doesn't exist": back to the list


def test_own_cards_are_exported_with_the_learners_data(learner_client, learner, other_learner):
    mine = own(learner, kind=CardKind.CLOZE, text="{{c1::Modi}} visited in 2014.")
    own(other_learner, front="Not in Asha's export?")
    rate(learner_client, **shown(learner_client.get(REVIEW)), rating=3)
    url = reverse("quizzes:export")
    data = json.loads(learner_client.get(url, {"format": "json"}).content)
    assert [c["text"] for c in data["own_cards"]] == [mine.text]
    assert data["own_cards"][0]["kind"] == "cloze" and data["own_cards"][0]["topic"] == ""
    assert data["reviews"][0]["card"] == mine.slug == data["card_states"][0]["card"]
    archive = zipfile.ZipFile(io.BytesIO(learner_client.get(url, {"format": "zip"}).content))
    name = next(n for n in archive.namelist() if n.endswith("own_cards.csv"))
    text = archive.read(name).decode("utf-8-sig")
    assert "{{c1::Modi}} visited in 2014." in text and "Not in Asha" not in text


def test_deleting_the_account_deletes_own_cards_and_their_history(
    learner_client, learner, other_learner
):
    own(learner)
    theirs = own(other_learner)
    rate(learner_client, **shown(learner_client.get(REVIEW)), rating=3)
    response = learner_client.post(reverse("delete-account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert list(Flashcard.objects.exclude(owner=None)) == [theirs]
    assert not ReviewLog.objects.filter(learner__username="asha").exists()


@pytest.mark.parametrize("n_own", [2, 60])
def test_review_and_decks_query_counts_stay_constant_with_own_cards(
    learner_client, learner, n_own, django_assert_max_num_queries
):
    build_history(learner, 200)
    topic = Topic.objects.first()
    for i in range(n_own):
        own(learner, topic=topic if i % 2 else None, front=f"Own {i}?")
    with django_assert_max_num_queries(10):
        assert learner_client.get(REVIEW).status_code == 200
    with django_assert_max_num_queries(10):
        assert learner_client.get(DECKS).status_code == 200
    page = learner_client.get(REVIEW)
    with django_assert_max_num_queries(19):  # + profile last_active
        assert rate(learner_client, **shown(page), rating=3).status_code == 200
