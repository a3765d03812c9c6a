"""A learner's own cards (/cards/mine/): the cloze rules, the form, and the pages (list, add,
edit, delete), each a 404 for another learner's card."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import CardKind, Flashcard, Status
from quizzes.forms import OwnCardForm
from quizzes.models import CardState, ReviewLog
from quizzes.services import own_cards as service
from tests.factories import CardStateFactory, FlashcardFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = reverse("quizzes:own-cards")
ADD = reverse("quizzes:own-card-add")


def edit_url(card):
    return reverse("quizzes:own-card-edit", args=[card.pk])


def delete_url(card):
    return reverse("quizzes:own-card-delete", args=[card.pk])


def own(learner, **fields) -> Flashcard:
    fields = {"kind": CardKind.BASIC, "topic": None, "front": "Q?", "back": "A", "text": ""} | (
        fields
    )
    return service.own_card_create(learner=learner, **fields)


# --- cloze text and the form ----------------------------------------------------------------


def test_every_deletion_of_a_cloze_note_is_hidden_on_its_one_card():
    card = Flashcard(
        kind=CardKind.CLOZE, text="{{c1::Tokyo}} hosted the {{c2::2014::year}} summit."
    )
    assert card.prompt == "[…] hosted the [year…] summit."
    assert card.answer == "Tokyo · 2014"
    assert card.cloze_segments() == [
        {"blank": "[…]", "answer": "Tokyo"},
        {"text": " hosted the "},
        {"blank": "[year…]", "answer": "2014"},
        {"text": " summit."},
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "basic", "front": "Q?", "back": " "}, "back", "A basic card needs a back."),
        ({"kind": "basic", "front": "", "back": "A"}, "front", "A basic card needs a front."),
        ({"kind": "cloze", "text": "No deletion here."}, "text", "at least one deletion"),
        ({"kind": "cloze", "text": "Broken {{c1::Tokyo} deletion."}, "text", "not complete"),
        ({"kind": "cloze", "text": "Empty {{c1:: }} deletion."}, "text", "not complete"),
        ({"kind": "cloze", "text": "{{c1::only}}"}, "text", "Add some text around"),
        ({"kind": "cloze", "text": "x" * 2001}, "text", "at most 2000 characters"),
        ({"kind": "flip", "front": "Q", "back": "A"}, "kind", "Select a valid choice"),
    ],
)
def test_the_form_says_what_is_wrong(data, field, message):
    form = OwnCardForm(data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_form_offers_only_published_topics():
    open_topic = TopicFactory()
    draft = TopicFactory(status=Status.DRAFT)
    assert OwnCardForm(
        {"kind": "basic", "front": "Q", "back": "A", "topic": open_topic.pk}
    ).is_valid()
    form = OwnCardForm({"kind": "basic", "front": "Q", "back": "A", "topic": draft.pk})
    assert not form.is_valid() and "topic" in form.errors


# --- the pages ------------------------------------------------------------------------------


def test_pages_need_a_login(client, learner):
    card = own(learner)
    for url in (LIST, ADD, edit_url(card), delete_url(card)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_empty_list_invites_the_first_card(learner_client):
    response = learner_client.get(LIST)
    assert response.status_code == 200
    assert "No cards of your own yet" in response.content.decode()


def test_adding_a_cloze_card_makes_a_private_published_card_new_in_the_queue(
    learner_client, learner
):
    topic = TopicFactory(title="India–Japan")
    text = "The partnership became {{c1::Special Strategic and Global}} in {{c2::2014}}."
    response = learner_client.post(ADD, {"kind": "cloze", "text": text, "topic": topic.pk})
    card = Flashcard.objects.get(owner=learner)
    assert response.status_code == 302 and response["Location"] == f"/cards/{card.pk}/"
    assert (card.kind, card.text, card.topic, card.status, card.pack) == (
        CardKind.CLOZE, text, topic, Status.PUBLISHED, None,
    )  # fmt: skip
    page = learner_client.get(response["Location"]).content.decode()
    assert "Card added" in page and "[…]" in page and "Special Strategic and Global" in page
    assert "India–Japan" in learner_client.get(LIST).content.decode()


def test_add_and_write_another_comes_back_to_an_empty_form(learner_client):
    response = learner_client.post(ADD, {"kind": "basic", "front": "Q", "back": "A", "another": 1})
    assert response.status_code == 302 and response["Location"] == ADD


def test_an_invalid_card_is_shown_again_with_its_message_and_nothing_is_saved(
    learner_client, learner
):
    response = learner_client.post(ADD, {"kind": "cloze", "text": "Nothing hidden"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved" in body and "at least one deletion" in body
    assert not Flashcard.objects.filter(owner=learner).exists()


def test_a_learner_cannot_store_more_than_the_cap(learner_client, learner, monkeypatch):
    monkeypatch.setattr(service, "MAX_OWN_CARDS", 1)
    own(learner)
    response = learner_client.post(ADD, {"kind": "basic", "front": "Q2", "back": "A2"})
    assert response.status_code == 400
    assert "the most one account can hold" in response.content.decode()
    assert Flashcard.objects.filter(owner=learner).count() == 1


def test_editing_keeps_the_schedule(learner_client, learner):
    card = own(learner)
    CardStateFactory(learner=learner, card=card)
    page = learner_client.get(edit_url(card)).content.decode()
    assert "Q?</textarea>" in page
    response = learner_client.post(
        edit_url(card), {"kind": "cloze", "text": "Capital: {{c1::Tokyo}}", "front": "stale"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.kind, card.text, card.front, card.back) == (
        CardKind.CLOZE, "Capital: {{c1::Tokyo}}", "", "",
    )  # fmt: skip
    assert CardState.objects.filter(learner=learner, card=card).exists()


def test_deleting_asks_first_then_removes_the_card_with_its_history(learner_client, learner):
    card = own(learner, front="Forget me?")
    keep = own(learner, front="Keep me?")
    now = timezone.now()
    CardStateFactory(learner=learner, card=card)
    ReviewLog.objects.create(
        learner=learner, card=card, rating=3, reviewed_at=now, state_after={}, reps_before=0
    )
    confirm = learner_client.get(delete_url(card))
    assert confirm.status_code == 200 and "Forget me?" in confirm.content.decode()
    assert Flashcard.objects.filter(pk=card.pk).exists()  # a GET changes nothing
    response = learner_client.post(delete_url(card))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Flashcard.objects.filter(pk=card.pk).exists()
    assert not CardState.objects.filter(card_id=card.pk).exists()
    assert not ReviewLog.objects.filter(card_id=card.pk).exists()
    assert Flashcard.objects.filter(pk=keep.pk).exists()


def test_another_learners_card_is_a_404_everywhere(learner_client, other_learner):
    theirs = own(other_learner, front="Ravi's private card?")
    CardStateFactory(learner=other_learner, card=theirs, due=timezone.now())
    basic = {"kind": "basic", "front": "Hijack", "back": "x"}
    detail = reverse("quizzes:card-detail", args=[theirs.pk])
    review = f"{reverse('quizzes:review')}?card={theirs.pk}"
    for url in (detail, edit_url(theirs), delete_url(theirs), review):
        assert learner_client.get(url).status_code == 404, url
    assert learner_client.post(edit_url(theirs), basic).status_code == 404
    assert learner_client.post(delete_url(theirs)).status_code == 404
    rate = {"card": theirs.pk, "reps": 0, "rating": 3}
    assert learner_client.post(reverse("quizzes:review-rate"), rate).status_code == 404
    mark = reverse("quizzes:card-mark", args=[theirs.pk])
    assert learner_client.post(mark, {"action": "suspend"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.front == "Ravi's private card?"
    assert not CardState.objects.filter(card=theirs).exclude(learner=other_learner).exists()
    assert "Ravi's private card" not in learner_client.get(LIST).content.decode()


def test_pack_cards_are_not_editable_here(learner_client):
    card = FlashcardFactory()
    assert learner_client.get(edit_url(card)).status_code == 404
    assert learner_client.post(delete_url(card)).status_code == 404


def test_text_is_rendered_as_sanitised_markdown(learner_client, learner):
    card = own(learner, front="Is **this** <script>alert(1)</script> safe?", back="*Yes*")
    body = learner_client.get(reverse("quizzes:card-detail", args=[card.pk])).content.decode()
    assert "<strong>this</strong>" in body and "<em>Yes</em>" in body
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize("n", [3, 60])
def test_list_query_count_is_constant(learner_client, learner, n, django_assert_max_num_queries):
    topic = TopicFactory()
    now = timezone.now()
    for i in range(n):
        card = own(learner, front=f"Card {i}?", topic=topic if i % 2 else None)
        if i % 3:
            CardStateFactory(learner=learner, card=card, due=now + dt.timedelta(days=i))
    with django_assert_max_num_queries(8):
        response = learner_client.get(LIST)
    assert response.status_code == 200
    assert f"{n} card" in response.content.decode()


@pytest.mark.parametrize("n", [3, 60])
def test_add_and_edit_query_counts_are_constant(
    learner_client, learner, n, django_assert_max_num_queries
):
    for i in range(n):
        own(learner, front=f"Card {i}?")
    TopicFactory()
    with django_assert_max_num_queries(10):
        assert learner_client.get(ADD).status_code == 200
    with django_assert_max_num_queries(14):
        response = learner_client.post(ADD, {"kind": "basic", "front": "New?", "back": "A"})
    assert response.status_code == 302
    card = Flashcard.objects.filter(owner=learner).latest("pk")
    with django_assert_max_num_queries(10):
        assert learner_client.get(edit_url(card)).status_code == 200


def test_cloze_markdown_spans_deletions_and_nothing_unsafe_gets_through():
    from content.markdown import render_cloze

    card = Flashcard(
        kind=CardKind.CLOZE,
        text="A **{{c1::bold <script>x</script>}} claim** \ue000 in {{c2::*2014*}}",
    )
    front = str(render_cloze(card.cloze_segments(), side="front"))
    back = str(render_cloze(card.cloze_segments(), side="back"))
    assert front.startswith('A <strong><span class="cloze-blank">[…]</span> claim</strong>')
    assert "bold" not in front and "2014" not in front
    assert '<mark class="cloze-answer-inline"><em>2014</em></mark>' in back
    assert "<script>" not in back and "&lt;script&gt;" in back


def test_a_learner_may_suspend_their_own_card(learner_client, learner):
    card = own(learner)
    mark = reverse("quizzes:card-mark", args=[card.pk])
    assert learner_client.post(mark, {"action": "suspend"}).status_code == 302
    assert learner_client.get(reverse("quizzes:review")).context["session"].card is None
    marked = learner_client.get(reverse("quizzes:cards-marked")).content.decode()
    assert "Your card" in marked and "Q?" in marked
