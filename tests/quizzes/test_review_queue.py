"""The review queue kept between ratings (quizzes.selectors.review_queue): the answer to every
rating — the next card, the counts, the buttons — is exactly what a full build of the session
shows, through learning steps, lapses, new cards, held cards, topics, time passing and a write
from another tab; and a rating answered from it costs fewer queries than a full build."""

import datetime as dt
import random
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from content.models import Status
from profiles.models import Profile
from quizzes.models import CardMark, CardState
from quizzes.selectors import review_queue
from quizzes.selectors.cards import review_session
from tests.factories import CardStateFactory, FactFactory, FlashcardFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
REVIEW = reverse("quizzes:review")
RATE = reverse("quizzes:review-rate")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "review-session"}


def deck(learner, *, cards=30, seed=3):
    """Two topics of cards in every condition: new, learning steps in and out of the
    learn-ahead window, reviews due and not yet due, one suspended, one buried."""
    rng = random.Random(seed)
    now = timezone.now()
    topics = [TopicFactory(status=Status.PUBLISHED) for _ in range(2)]
    made = []
    for n in range(cards):
        card = FlashcardFactory(topic=topics[n % 2], status=Status.PUBLISHED)
        if n % 5 == 0:
            card.facts.add(FactFactory(topic=card.topic, status=Status.PUBLISHED))
        kind = n % 6
        if kind == 0:
            made.append(card)  # new
            continue
        state = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3}[kind]  # learning, review, relearning
        due = now + dt.timedelta(minutes=rng.choice([-90, -5, 3, 15, 35, 60 * 30]))
        CardStateFactory(learner=learner, card=card, state=state, due=due, step=0)
        made.append(card)
    CardMark.objects.create(learner=learner, card=made[1], suspended=True)
    for card in made[4::3]:  # flagged, and brought back by a Prelims mistake
        CardMark.objects.create(
            learner=learner, card=card, flag=CardMark.Flag.ORANGE, missed_at=now, missed_in="Mock 2"
        )
    CardMark.objects.create(
        learner=learner, card=made[2], buried_until=now + dt.timedelta(hours=30)
    )
    return topics


def full_build(learner, topic) -> dict:
    """What a full build shows now (no kept queue read or written)."""
    with override_settings(PAGE_CACHE=False):
        profile = Profile.objects.get(user=learner)
        session = review_session(learner, profile, topic=topic, now=timezone.now())
    return {
        "card": session.card.pk if session.card else None,
        "reps": session.shown_reps,
        "counts": [session.counts[k] for k in ("new", "learning", "review")],
        "buttons": [b.interval for b in session.buttons],
        "flagged": bool(session.mark and session.mark.flag),
        "reason": session.reason,
        "fact": session.fact.slug if session.fact and session.card.topic else None,
    }


def seen(response) -> dict:
    """What the learner sees: the card, its showing, the three counts, the buttons."""
    html = response.content.decode()
    card = re.search(r'name="card" value="(\d+)"', html)
    reps = re.search(r'name="reps" value="(\d+)"', html)
    counts = [
        int(re.search(rf'count-{k}"[^>]*><strong>(\d+)</strong>', html).group(1))
        for k in ("new", "learning", "review")
    ]
    buttons = re.findall(
        r'<span class="rate-interval"><span class="visually-hidden">next in '
        r"</span>([^<]+)</span>",
        html,
    )
    reason = re.search(r'id="review-reason"><strong>([^<]+)</strong>', html)
    fact = re.search(r'#fact-([^"]+)"', html)
    return {
        "card": int(card.group(1)) if card else None,
        "reps": int(reps.group(1)) if reps else 0,
        "counts": counts,
        "buttons": buttons,
        "flagged": "Flagged orange" in html,
        "reason": reason.group(1) if reason else "",
        "fact": fact.group(1) if fact else None,
    }


def rate_shown(client, shown: dict, rating, topic=None):
    data = {"card": shown["card"], "reps": shown["reps"], "rating": rating}
    if topic is not None:
        data["topic"] = topic.slug
    return client.post(RATE, data, **HTMX)


@pytest.mark.parametrize("with_topic", [False, True])
def test_every_answer_from_the_kept_queue_is_the_full_builds(
    learner_client, learner, fixed_clock, monkeypatch, with_topic
):
    fixed_clock.move_to(timezone.now(), tick=False)
    Profile.objects.filter(user=learner).update(daily_new_cards=4)
    topics = deck(learner)
    topic = topics[1] if with_topic else None
    url = REVIEW + (f"?topic={topic.slug}" if topic else "")
    shown = seen(learner_client.get(url, **HTMX))
    assert shown == full_build(learner, topic)
    calls = []
    with_queue = review_queue.after_rating

    def spy(*args, **kwargs):
        pick = with_queue(*args, **kwargs)
        calls.append(pick is not None)
        return pick

    monkeypatch.setattr(review_queue, "after_rating", spy)
    ratings = [3, 1, 3, 2, 4, 1, 3, 3, 2, 3, 1, 4, 3, 3, 2, 3, 3, 1, 3, 4]
    shows = []
    for step, rating in enumerate(ratings):
        if shown["card"] is None:
            break
        fixed_clock.shift(dt.timedelta(seconds=40 + 37 * (step % 3)))
        response = rate_shown(learner_client, shown, rating, topic)
        assert response.status_code == 200
        shown = seen(response)
        assert shown == full_build(learner, topic), f"after rating {step + 1}"
        shows.append(shown)
    # The answers compared include a flagged card, a mistake's reason and a note's fact.
    assert any(s["flagged"] for s in shows) and any(s["reason"] for s in shows)
    assert any(s["fact"] for s in shows)
    # Answers came from the queue, and from a rebuild where time moved a card across a line.
    assert sum(calls) >= 5 and not all(calls)


def test_a_write_from_another_tab_is_never_answered_from_a_stale_queue(
    learner_client, learner, fixed_clock
):
    fixed_clock.move_to(timezone.now(), tick=False)
    deck(learner)
    shown = seen(learner_client.get(REVIEW, **HTMX))
    nxt = seen(rate_shown(learner_client, shown, 3))["card"]
    # Another tab suspends the card about to be shown (a write: the learner's version moves).
    learner_client.post(reverse("quizzes:card-mark", args=[nxt]), {"action": "suspend"}, **HTMX)
    assert CardMark.objects.get(learner=learner, card_id=nxt).suspended
    shown = seen(learner_client.get(REVIEW, **HTMX))
    assert shown["card"] != nxt
    fixed_clock.shift(dt.timedelta(seconds=30))
    after = seen(rate_shown(learner_client, shown, 3))
    assert after["card"] != nxt
    assert after == full_build(learner, None)


def test_a_card_coming_due_is_shown_when_the_full_build_would(learner_client, learner, fixed_clock):
    fixed_clock.move_to(timezone.now(), tick=False)
    now = timezone.now()
    early = CardStateFactory(learner=learner, due=now - dt.timedelta(minutes=5))
    later = CardStateFactory(learner=learner, due=now + dt.timedelta(minutes=3))
    shown = seen(learner_client.get(REVIEW, **HTMX))
    assert (shown["card"], shown["counts"]) == (early.card_id, [0, 0, 1])
    fixed_clock.shift(dt.timedelta(minutes=4))  # the second review falls due meanwhile
    shown = seen(rate_shown(learner_client, shown, 3))
    assert (shown["card"], shown["counts"]) == (later.card_id, [0, 0, 1])


def test_a_rating_from_the_queue_costs_fewer_queries_than_a_full_build(
    learner_client, learner, fixed_clock, django_assert_max_num_queries
):
    fixed_clock.move_to(timezone.now(), tick=False)
    deck(learner, cards=24)
    shown = seen(learner_client.get(REVIEW, **HTMX))
    fixed_clock.shift(dt.timedelta(seconds=5))
    # auth (2), the card, the locked state, its update, the log, the activity, the next card
    # with its state, its fact, its marks, and the test transaction's savepoint and release
    # around the rating: 12 (a full build makes 8 more).
    with django_assert_max_num_queries(12):
        after = seen(rate_shown(learner_client, shown, 3))
    assert after == full_build(learner, None)
    assert CardState.objects.get(learner=learner, card_id=shown["card"]).reps == shown["reps"] + 1
