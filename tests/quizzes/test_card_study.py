"""Mistakes come back, and suspend / bury / flag (issue 20): services, the review page and
the list of marked cards."""

import datetime as dt
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes.models import Attempt, AttemptItem, CardMark, CardState
from quizzes.services import prelims as prelims_svc
from quizzes.services.prelims import PrelimsAction
from tests.factories import (
    CardStateFactory,
    FactFactory,
    FlashcardFactory,
    QuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REVIEW = reverse("quizzes:review")
MARKED = reverse("quizzes:cards-marked")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "review-session"}


def shown_card(response) -> int | None:
    match = re.search(r'name="card" value="(\d+)"', response.content.decode())
    return int(match.group(1)) if match else None


@pytest.fixture
def tested():
    """A topic with a question testing one fact, a card on that fact and two other cards
    that come earlier in the new-card order."""
    topic = TopicFactory(order=2)
    early = TopicFactory(order=1)
    fact = FactFactory(topic=topic)
    others = [FlashcardFactory(topic=early) for _ in range(2)]
    card = FlashcardFactory(topic=topic, front="When did X happen?")
    card.facts.add(fact)
    question = QuestionFactory(topic=topic)
    question.facts.add(fact)
    return {"topic": topic, "card": card, "question": question, "others": others}


def practice(learner, question, *, right: bool, now=None):
    now = now or timezone.now()
    attempt = prelims_svc.attempt_start(
        learner=learner,
        mode=Attempt.Mode.PRACTICE,
        count=1,
        topics=[question.topic.slug],
        now=now,
        rng=random.Random(1),
    )
    item = AttemptItem.objects.get(attempt=attempt)
    chosen = item.key if right else (item.key + 1) % 4
    prelims_svc.attempt_answer(
        attempt_id=attempt.pk,
        learner=learner,
        order=1,
        action=PrelimsAction.CHECK,
        chosen=chosen,
        now=now,
    )
    return attempt


def mock(learner, question, *, chosen=None, now=None):
    now = now or timezone.now()
    attempt = prelims_svc.attempt_start(
        learner=learner,
        mode=Attempt.Mode.MOCK,
        count=1,
        topics=[question.topic.slug],
        now=now,
        rng=random.Random(1),
    )
    if chosen is not None:
        item = AttemptItem.objects.get(attempt=attempt)
        prelims_svc.attempt_answer(
            attempt_id=attempt.pk,
            learner=learner,
            order=1,
            action=PrelimsAction.SAVE,
            chosen=chosen(item.key),
            now=now,
        )
    prelims_svc.attempt_submit(attempt_id=attempt.pk, learner=learner, now=now)
    return attempt


# --- mistakes come back -------------------------------------------------------------------


def test_a_wrong_practice_answer_makes_a_learned_card_due_now(learner, tested):
    state = CardStateFactory(
        learner=learner, card=tested["card"], due=timezone.now() + dt.timedelta(days=20)
    )
    practice(learner, tested["question"], right=False)
    state.refresh_from_db()
    assert state.due <= timezone.now()
    mark = CardMark.objects.get(learner=learner, card=tested["card"])
    assert mark.missed_at is not None
    assert mark.missed_in == ""


def test_a_right_practice_answer_changes_nothing(learner, tested):
    due = timezone.now() + dt.timedelta(days=20)
    CardStateFactory(learner=learner, card=tested["card"], due=due)
    practice(learner, tested["question"], right=True)
    assert CardState.objects.get(learner=learner).due == due
    assert not CardMark.objects.exists()


def test_an_unseen_card_of_a_mistake_comes_before_the_new_card_order(
    learner_client, learner, tested
):
    assert shown_card(learner_client.get(REVIEW)) == tested["others"][0].pk
    practice(learner, tested["question"], right=False)
    response = learner_client.get(REVIEW)
    assert shown_card(response) == tested["card"].pk
    tz = Profile.objects.for_user(learner).tzinfo
    day = timezone.localtime(timezone.now(), tz)
    assert f"You missed this in practice on {day.day} {day:%b}." in response.content.decode()


def test_blank_and_wrong_mock_answers_bring_cards_back_named_by_the_mock(
    learner_client, learner, tested
):
    mock(learner, tested["question"], chosen=lambda key: key)  # right: nothing
    assert not CardMark.objects.exists()
    mock(learner, tested["question"])  # blank
    mark = CardMark.objects.get(learner=learner, card=tested["card"])
    assert mark.missed_in == "Mock 2"
    mock(learner, tested["question"], chosen=lambda key: (key + 2) % 4)  # wrong
    mark.refresh_from_db()
    assert mark.missed_in == "Mock 3"
    html = learner_client.get(REVIEW).content.decode()
    assert "You missed this in Mock 3." in html


def test_the_reason_goes_once_the_card_is_reviewed(learner_client, learner, tested):
    CardStateFactory(learner=learner, card=tested["card"], due=timezone.now() + dt.timedelta(9))
    practice(learner, tested["question"], right=False)
    response = learner_client.get(REVIEW)
    assert shown_card(response) == tested["card"].pk
    assert "You missed this" in response.content.decode()
    reps = CardState.objects.get(learner=learner).reps
    data = {"card": tested["card"].pk, "reps": reps, "rating": 3}
    after = learner_client.post(reverse("quizzes:review-rate"), data, **HTMX)
    assert after.status_code == 200
    assert "You missed this" not in after.content.decode()


def test_mistakes_touch_only_the_learners_own_cards(learner, other_learner, tested):
    due = timezone.now() + dt.timedelta(days=20)
    CardStateFactory(learner=other_learner, card=tested["card"], due=due)
    practice(learner, tested["question"], right=False)
    assert CardState.objects.get(learner=other_learner).due == due
    assert not CardMark.objects.filter(learner=other_learner).exists()


# --- suspend, bury, flag -------------------------------------------------------------------


def mark(client, card, action, **extra):
    url = reverse("quizzes:card-mark", args=[card.pk])
    return client.post(url, {"action": action, **extra}, **HTMX)


def test_suspend_takes_a_due_card_out_of_the_queue_until_unsuspended(learner_client, learner):
    state = CardStateFactory(learner=learner)
    assert shown_card(learner_client.get(REVIEW)) == state.card.pk
    response = mark(learner_client, state.card, "suspend")
    assert response.status_code == 200
    assert "Card suspended" in response.content.decode()
    assert shown_card(response) is None
    assert "0</strong> to review" in response.content.decode()
    listed = learner_client.get(MARKED).content.decode()
    assert "Suspended" in listed and str(state.card) in listed
    back = learner_client.post(
        reverse("quizzes:card-mark", args=[state.card.pk]), {"action": "unsuspend", "back": "list"}
    )
    assert back.status_code == 302 and back["Location"] == MARKED
    assert shown_card(learner_client.get(REVIEW)) == state.card.pk


def test_bury_hides_a_new_card_until_the_learners_midnight(learner_client, learner, fixed_clock):
    card = FlashcardFactory()
    mark(learner_client, card, "bury")
    assert shown_card(learner_client.get(REVIEW)) is None
    tz = Profile.objects.for_user(learner).tzinfo
    midnight = CardMark.objects.get().buried_until
    assert timezone.localtime(midnight, tz).time() == dt.time(0)
    assert midnight > timezone.now()
    fixed_clock.move_to(midnight + dt.timedelta(minutes=1))
    learner_client.force_login(learner)
    assert shown_card(learner_client.get(REVIEW)) == card.pk


def test_unbury_brings_it_back_today(learner_client, learner):
    state = CardStateFactory(learner=learner)
    mark(learner_client, state.card, "bury")
    assert "Buried until tomorrow" in learner_client.get(MARKED).content.decode()
    mark(learner_client, state.card, "unbury")
    assert shown_card(learner_client.get(REVIEW)) == state.card.pk


def test_flag_keeps_the_card_on_screen_and_can_be_removed(learner_client, learner):
    state = CardStateFactory(learner=learner)
    response = mark(learner_client, state.card, "flag", flag=1)
    assert shown_card(response) == state.card.pk
    assert "Flagged red" in response.content.decode()
    assert "Flagged" in learner_client.get(MARKED).content.decode()
    response = mark(learner_client, state.card, "unflag")
    assert "Flagged red" not in response.content.decode()
    assert CardMark.objects.get().flag == 0
    assert "No suspended, buried or flagged cards" in learner_client.get(MARKED).content.decode()


@pytest.mark.parametrize(
    "data", [{"action": "explode"}, {"action": "flag"}, {"action": "flag", "flag": "9"}, {}]
)
def test_bad_mark_forms_are_400_and_write_nothing(learner_client, data):
    card = FlashcardFactory()
    response = learner_client.post(reverse("quizzes:card-mark", args=[card.pk]), data)
    assert response.status_code == 400
    assert not CardMark.objects.exists()


def test_marking_an_unpublished_card_is_404(learner_client):
    card = FlashcardFactory(status="draft")
    assert mark(learner_client, card, "suspend").status_code == 404


def test_marks_are_per_learner(client, learner, other_learner):
    state = CardStateFactory(learner=other_learner)
    client.force_login(learner)
    mark(client, state.card, "suspend")
    client.force_login(other_learner)
    assert shown_card(client.get(REVIEW)) == state.card.pk
    assert "No suspended" in client.get(MARKED).content.decode()


def test_marked_list_query_count_is_constant(
    learner_client, learner, django_assert_max_num_queries
):
    for i in range(30):
        m = CardMark.objects.create(learner=learner, card=FlashcardFactory(), flag=1 + i % 4)
        m.suspended = i % 2 == 0
        m.save()
    with django_assert_max_num_queries(8):
        response = learner_client.get(MARKED)
    assert response.content.decode().count("Remove flag") == 30


@pytest.mark.parametrize("n", [5, 60])
def test_review_page_with_mistakes_and_marks_has_constant_queries(
    learner_client, learner, tested, n, django_assert_max_num_queries
):
    for i in range(n):
        card = FlashcardFactory()
        CardStateFactory(learner=learner, card=card, due=timezone.now() + dt.timedelta(days=i + 1))
        CardMark.objects.create(learner=learner, card=card, suspended=i % 3 == 0, flag=i % 5)
    for _ in range(3):
        practice(learner, tested["question"], right=False)
    with django_assert_max_num_queries(22):
        response = learner_client.get(REVIEW)
    assert "You missed this" in response.content.decode()


def test_home_says_how_many_cards_from_mistakes_are_due(learner_client, learner, tested):
    learned = FlashcardFactory(topic=tested["topic"])
    learned.facts.add(*tested["card"].facts.all())
    CardStateFactory(learner=learner, card=learned, due=timezone.now() + dt.timedelta(days=9))
    assert "from your mistakes" not in learner_client.get("/").content.decode()
    practice(learner, tested["question"], right=False)
    html = learner_client.get("/").content.decode()
    assert "2 cards from your mistakes are due" in html
    assert f'href="{REVIEW}"' in html
    # Reviewing one (the learned card is due now) leaves one; suspending the other, none.
    data = {"card": learned.pk, "reps": 3, "rating": 3}
    assert learner_client.post(reverse("quizzes:review-rate"), data, **HTMX).status_code == 200
    assert "1 card from your mistakes is due" in learner_client.get("/").content.decode()
    mark(learner_client, tested["card"], "suspend")
    assert "from your mistakes" not in learner_client.get("/").content.decode()


def test_decks_do_not_count_suspended_cards_as_due(learner_client, learner):
    states = [CardStateFactory(learner=learner, card=FlashcardFactory()) for _ in range(2)]
    topic = states[0].card.topic
    mark(learner_client, states[0].card, "suspend")
    decks = learner_client.get(reverse("quizzes:cards")).context["decks"]
    assert next(d for d in decks if d["topic"] == topic)["due"] == 0


def test_bringing_cards_back_costs_the_same_queries_for_one_question_or_fifty(
    learner, django_assert_num_queries
):
    from quizzes.services.mistakes import mistakes_bring_back

    questions = []
    for _ in range(50):
        fact = FactFactory()
        question = QuestionFactory(topic=fact.topic)
        question.facts.add(fact)
        card = FlashcardFactory(topic=fact.topic)
        card.facts.add(fact)
        CardStateFactory(learner=learner, card=card, due=timezone.now() + dt.timedelta(days=5))
        questions.append(question.pk)
    for ids in (questions[:1], questions):
        with django_assert_num_queries(6):  # savepoint, version, cards, states, marks, release
            n = mistakes_bring_back(learner=learner, question_ids=ids, now=timezone.now())
        assert n == len(ids)
    assert CardState.objects.filter(learner=learner, due__gt=timezone.now()).count() == 0


def test_a_test_series_paper_names_the_mistake_by_its_title(learner):
    from tests.quizzes.test_series import make_paper, sit

    paper = make_paper(2, slug="full-1")
    question = paper.questions.order_by("paper_items__order").first()
    fact = FactFactory(topic=question.topic)
    question.facts.add(fact)
    card = FlashcardFactory(topic=question.topic)
    card.facts.add(fact)
    sit(learner, paper, [None, 1])  # the first blank, the second right
    assert CardMark.objects.get(learner=learner, card=card).missed_in == "Paper full-1"


def test_marks_and_mistakes_are_in_the_learners_data_export(learner_client, learner, tested):
    import json

    practice(learner, tested["question"], right=False)
    mark(learner_client, tested["card"], "flag", flag=3)
    CardMark.objects.create(learner=UserFactory(), card=tested["card"], suspended=True)
    response = learner_client.get(reverse("quizzes:export"), {"format": "json"})
    rows = json.loads(response.content)["card_marks"]
    assert len(rows) == 1
    assert rows[0]["card"] == tested["card"].slug
    assert rows[0]["flag"] == "Green" and rows[0]["suspended"] is False
    assert rows[0]["missed_at"] and rows[0]["missed_in"] == ""
