"""Custom study (issue 20): extra new cards today, review ahead, a topic's cards again."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes.models import CardState
from tests.factories import CardStateFactory, FlashcardFactory, TopicFactory

pytestmark = pytest.mark.django_db

CUSTOM = reverse("quizzes:cards-custom")
REVIEW = reverse("quizzes:review")
RATE = reverse("quizzes:review-rate")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "review-session"}


def shown(response) -> dict | None:
    html = response.content.decode()
    card = re.search(r'name="card" value="(\d+)"', html)
    custom = re.search(r'name="custom" value="([\w-]+)"', html)
    if not card:
        return None
    return {"card": int(card.group(1)), "custom": custom.group(1) if custom else ""}


def test_the_cards_page_links_to_custom_study(learner_client):
    FlashcardFactory()
    assert CUSTOM in learner_client.get(reverse("quizzes:cards")).content.decode()
    page = learner_client.get(CUSTOM)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Extra new cards today" in html and "Review ahead" in html


def test_extra_new_cards_raise_todays_limit_only_today(learner_client, learner, fixed_clock):
    Profile.objects.filter(user=learner).update(daily_new_cards=1)
    cards = [FlashcardFactory() for _ in range(4)]
    learner_client.post(RATE, {"card": cards[0].pk, "reps": 0, "rating": 4}, **HTMX)
    assert shown(learner_client.get(REVIEW)) is None  # the limit of 1 is met
    response = learner_client.post(CUSTOM, {"kind": "new", "new_cards": 2})
    assert response.status_code == 302 and response["Location"] == REVIEW
    page = learner_client.get(REVIEW)
    assert "Today&#x27;s limit of new cards is now 3." in page.content.decode()
    assert shown(page)["card"] == cards[1].pk
    for card in cards[1:3]:
        ok = learner_client.post(RATE, {"card": card.pk, "reps": 0, "rating": 4}, **HTMX)
        assert ok.status_code == 200
    refused = learner_client.post(RATE, {"card": cards[3].pk, "reps": 0, "rating": 4}, **HTMX)
    assert refused.status_code == 409
    # Tomorrow the limit is the daily one again.
    tz = Profile.objects.for_user(learner).tzinfo
    local = timezone.localtime(timezone.now(), tz)
    fixed_clock.move_to(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(9), tz))
    assert Profile.objects.get(user=learner).new_limit(timezone.now()) == 1


def test_review_ahead_shows_cards_due_within_the_days_and_rates_them_early(learner_client, learner):
    now = timezone.now()
    soon = CardStateFactory(learner=learner, due=now + dt.timedelta(days=2))
    CardStateFactory(learner=learner, due=now + dt.timedelta(days=9))
    FlashcardFactory()  # a new card: not part of review ahead
    assert shown(learner_client.get(REVIEW))["card"] != soon.card.pk
    response = learner_client.post(CUSTOM, {"kind": "ahead", "days": 3})
    assert response.status_code == 302
    page = learner_client.get(response["Location"])
    first = shown(page)
    assert first["card"] == soon.card.pk and first["custom"].startswith("ahead-3-")
    assert "Reviewing ahead" in page.content.decode()
    data = {"card": soon.card.pk, "reps": soon.reps, "rating": 3, "custom": first["custom"]}
    after = learner_client.post(RATE, data, **HTMX)
    assert after.status_code == 200
    assert CardState.objects.get(pk=soon.pk).reps == soon.reps + 1
    assert "Custom study finished" in after.content.decode()
    # Without the custom session the same early rating is refused.
    state = CardState.objects.get(pk=soon.pk)
    refused = learner_client.post(
        RATE, {"card": soon.card.pk, "reps": state.reps, "rating": 3}, **HTMX
    )
    assert refused.status_code == 409


def test_a_topics_cards_again_regardless_of_due(learner_client, learner):
    topic = TopicFactory(slug="history")
    now = timezone.now()
    states = [
        CardStateFactory(learner=learner, card=FlashcardFactory(topic=topic), due=now + delay)
        for delay in (dt.timedelta(days=40), dt.timedelta(days=3))
    ]
    CardStateFactory(learner=learner, due=now + dt.timedelta(days=1))  # another topic
    response = learner_client.post(CUSTOM, {"kind": "again", "topic": "history"})
    page = learner_client.get(response["Location"])
    seen = []
    while (card := shown(page)) is not None:
        state = CardState.objects.get(learner=learner, card_id=card["card"])
        seen.append(state.pk)
        data = {"card": card["card"], "reps": state.reps, "rating": 4, "topic": "history"}
        page = learner_client.post(RATE, data | {"custom": card["custom"]}, **HTMX)
        assert page.status_code == 200
    assert seen == [states[1].pk, states[0].pk]  # most due first, each once
    assert "You have been through every card you have started in" in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "new"},
        {"kind": "new", "new_cards": 0},
        {"kind": "new", "new_cards": 9999},
        {"kind": "ahead", "days": 31},
        {"kind": "ahead", "days": "x"},
        {"kind": "again"},
        {"kind": "again", "topic": "no-such-topic"},
        {"kind": "cram"},
    ],
)
def test_bad_custom_study_forms_are_400_with_a_message(learner_client, learner, data):
    response = learner_client.post(CUSTOM, data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert Profile.objects.get(user=learner).extra_new_cards == 0


@pytest.mark.parametrize(
    "custom", ["ahead-99-1", "again-0-1", "x", "ahead-3-99999999999999", "ahead-3-100"]
)
def test_bad_or_stale_custom_links_are_400(learner_client, custom):
    assert learner_client.get(REVIEW, {"custom": custom}).status_code == 400


@pytest.mark.parametrize("n", [3, 40])
def test_custom_pages_have_constant_queries(
    learner_client, learner, n, django_assert_max_num_queries
):
    now = timezone.now()
    for i in range(n):
        CardStateFactory(learner=learner, due=now + dt.timedelta(hours=i + 1))
    with django_assert_max_num_queries(8):
        assert learner_client.get(CUSTOM).status_code == 200
    location = learner_client.post(CUSTOM, {"kind": "ahead", "days": 5})["Location"]
    with django_assert_max_num_queries(20):
        assert shown(learner_client.get(location)) is not None
