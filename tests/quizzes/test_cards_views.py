"""The review session (/cards/review/, rate, undo) and the decks page (/cards/)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import CardKind, Status
from profiles.models import Profile
from quizzes.models import CardState, ReviewLog
from tests.factories import CardStateFactory, FlashcardFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

REVIEW = reverse("quizzes:review")
RATE = reverse("quizzes:review-rate")
UNDO = reverse("quizzes:review-undo")
DECKS = reverse("quizzes:cards")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "review-session"}


def shown(response) -> dict:
    """The hidden fields of the rating form on the page: which card, which showing."""
    html = response.content.decode()
    card = re.search(r'name="card" value="(\d+)"', html)
    reps = re.search(r'name="reps" value="(\d+)"', html)
    assert card and reps, "no card on the page"
    return {"card": int(card.group(1)), "reps": int(reps.group(1))}


def rate(client, card, reps, rating, **extra):
    data = {"card": card, "reps": reps, "rating": rating, **extra}
    return client.post(RATE, data, **HTMX)


def review_history(learner, card, n: int, *, now=None):
    """n old review-log rows of `card` (bulk) for query-count tests."""
    now = now or timezone.now()
    state = {"state": 2, "step": None, "stability": 5.0, "difficulty": 5.0, "due": now.isoformat()}
    ReviewLog.objects.bulk_create(
        ReviewLog(
            learner=learner,
            card=card,
            rating=1 + i % 4,
            reviewed_at=now - dt.timedelta(days=60) + dt.timedelta(days=59) * i / n,
            duration_ms=4000,
            state_before={**state, "last_review": None, "reps": i, "lapses": 0},
            state_after={**state, "last_review": None, "reps": i + 1, "lapses": 0},
            reps_before=i + 1000,  # old showings, below none of the live ones
        )
        for i in range(n)
    )


# --- the session --------------------------------------------------------------------------


def test_review_requires_login(client):
    response = client.get(REVIEW)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_new_card_shows_front_and_the_four_buttons_with_intervals(learner_client):
    card = FlashcardFactory(front="In which year did India and Japan establish relations?")
    response = learner_client.get(REVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "In which year did India and Japan establish relations?" in html
    assert shown(response) == {"card": card.pk, "reps": 0}
    for label, interval in [("Again", "1m"), ("Hard", "6m"), ("Good", "10m")]:
        assert re.search(rf"{label}</span>\s*<span class=\"rate-interval\">.*?{interval}<", html)
    assert re.search(r"Easy</span>\s*<span class=\"rate-interval\">.*?\d+d<", html)
    assert 'class="flashcard-reveal"' in html  # Space reveals; <details> works without JS
    assert "<strong>1</strong> new" in html


def test_cloze_card_shows_the_blank_and_the_answer_in_place(learner_client):
    FlashcardFactory(
        kind=CardKind.CLOZE,
        front="",
        back="",
        text="Japan's first yen loan to India came in {{c1::1958::year}}.",
    )
    html = learner_client.get(REVIEW).content.decode()
    assert "Japan&#x27;s first yen loan to India came in " in html or "first yen loan" in html
    assert '<span class="cloze-blank" aria-label="blank">[year…]</span>' in html
    assert '<mark class="cloze-answer">1958</mark>' in html
    assert "{{c1::" not in html


def test_rating_a_new_card_writes_state_and_log_and_returns_the_next_card(learner_client, learner):
    topic = TopicFactory()
    first = FlashcardFactory(topic=topic, front="First?")
    second = FlashcardFactory(topic=topic, front="Second?")
    page = learner_client.get(REVIEW)
    assert shown(page)["card"] == first.pk

    response = rate(learner_client, first.pk, 0, 3, duration_ms=5400)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the htmx partial only
    assert 'id="review-session"' in html
    assert shown(response) == {"card": second.pk, "reps": 0}
    assert "<strong>1</strong> new" in html  # the counter went down

    state = CardState.objects.get(learner=learner, card=first)
    assert state.state == CardState.State.LEARNING
    assert state.step == 1
    assert state.reps == 1
    assert state.due > timezone.now() + dt.timedelta(minutes=9)
    log = ReviewLog.objects.get(learner=learner, card=first)
    assert log.rating == 3
    assert log.duration_ms == 5400
    assert log.state_before is None
    assert log.state_after["state"] == 1
    assert log.reps_before == 0
    assert log.reviewed_at.tzinfo is not None
    assert "Undo last rating" in html


def test_rating_without_htmx_redirects_back_to_the_session(learner_client):
    topic = TopicFactory(slug="history")
    card = FlashcardFactory(topic=topic)
    response = learner_client.post(
        RATE, {"card": card.pk, "reps": 0, "rating": 4, "topic": "history"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}?topic=history"
    assert ReviewLog.objects.count() == 1


def test_duration_falls_back_to_the_time_since_the_card_was_shown(learner_client, learner):
    card = FlashcardFactory()
    shown_at = int((timezone.now() - dt.timedelta(seconds=7)).timestamp() * 1000)
    learner_client.post(RATE, {"card": card.pk, "reps": 0, "rating": 3, "shown_at": shown_at})
    assert 6500 <= ReviewLog.objects.get().duration_ms <= 20000


def test_absurd_durations_are_clamped(learner_client):
    card = FlashcardFactory()
    learner_client.post(RATE, {"card": card.pk, "reps": 0, "rating": 3, "duration_ms": 10**9})
    assert ReviewLog.objects.get().duration_ms == 10 * 60 * 1000


def test_rating_the_same_showing_twice_is_refused_without_a_second_log(learner_client, learner):
    card = FlashcardFactory()
    FlashcardFactory()
    assert rate(learner_client, card.pk, 0, 3).status_code == 200
    state_after_first = CardState.objects.values().get(learner=learner, card=card)

    replay = rate(learner_client, card.pk, 0, 1)  # double click / resent form
    assert replay.status_code == 409
    assert "already rated" in replay.content.decode()
    assert ReviewLog.objects.filter(card=card).count() == 1
    assert CardState.objects.values().get(learner=learner, card=card) == state_after_first


def test_non_htmx_replay_gets_a_409_page_with_the_message(learner_client):
    card = FlashcardFactory()
    data = {"card": card.pk, "reps": 0, "rating": 3}
    assert learner_client.post(RATE, data).status_code == 302
    replay = learner_client.post(RATE, data)
    assert replay.status_code == 409
    assert "<html" in replay.content.decode()
    assert "already rated" in replay.content.decode()
    assert ReviewLog.objects.count() == 1


def test_rating_a_card_that_is_not_due_is_refused(learner_client, learner):
    state = CardStateFactory(learner=learner, due=timezone.now() + dt.timedelta(days=3))
    before = CardState.objects.values().get(pk=state.pk)
    response = rate(learner_client, state.card.pk, state.reps, 3)
    assert response.status_code == 409
    assert "not due" in response.content.decode()
    assert not ReviewLog.objects.exists()
    assert CardState.objects.values().get(pk=state.pk) == before


def test_a_learners_rating_never_touches_another_learners_state(learner_client, learner):
    other = UserFactory()
    theirs = CardStateFactory(learner=other, due=timezone.now() - dt.timedelta(hours=1))
    before = CardState.objects.values().get(pk=theirs.pk)
    # The same card is new for our learner: rating it creates our own state only.
    assert rate(learner_client, theirs.card.pk, 0, 3).status_code == 200
    assert CardState.objects.values().get(pk=theirs.pk) == before
    assert CardState.objects.filter(learner=learner, card=theirs.card).exists()
    # Posting their showing (reps=3) does not match ours (reps=1): refused.
    assert rate(learner_client, theirs.card.pk, theirs.reps, 3).status_code == 409


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"card": "1", "reps": "0", "rating": "5"}, "rating"),
        ({"card": "1", "reps": "0", "rating": "good"}, "rating"),
        ({"card": "1", "rating": "3"}, "reps"),
        ({"card": "x", "reps": "0", "rating": "3"}, "card"),
        ({"card": "1", "reps": "-1", "rating": "3"}, "reps"),
    ],
)
def test_bad_rating_forms_are_400_and_write_nothing(learner_client, data, message):
    FlashcardFactory()
    response = learner_client.post(RATE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReviewLog.objects.exists()
    assert not CardState.objects.exists()


def test_unknown_or_retired_cards_are_404(learner_client):
    retired = FlashcardFactory(status=Status.RETIRED)
    assert rate(learner_client, retired.pk, 0, 3).status_code == 404
    assert rate(learner_client, 999999, 0, 3).status_code == 404
    assert not ReviewLog.objects.exists()


def test_unknown_topic_filter_is_404(learner_client):
    assert learner_client.get(REVIEW, {"topic": "no-such-topic"}).status_code == 404


def test_rate_needs_post(learner_client):
    assert learner_client.get(RATE).status_code == 405
    assert learner_client.get(UNDO).status_code == 405


def test_due_cards_come_before_new_ones(learner_client, learner):
    FlashcardFactory(front="A new card")
    due = CardStateFactory(learner=learner, due=timezone.now() - dt.timedelta(days=1))
    response = learner_client.get(REVIEW)
    assert shown(response) == {"card": due.card.pk, "reps": due.reps}
    assert "<strong>1</strong> to review" in response.content.decode()


def test_topic_filter_limits_the_session(learner_client, learner):
    history = TopicFactory(slug="history")
    other = TopicFactory(slug="trade")
    CardStateFactory(learner=learner, card=FlashcardFactory(topic=other))
    mine = FlashcardFactory(topic=history, front="History card")
    response = learner_client.get(REVIEW, {"topic": "history"})
    assert shown(response)["card"] == mine.pk
    assert 'name="topic" value="history"' in response.content.decode()


def test_daily_new_card_limit_then_done_for_today(learner_client, learner):
    Profile.objects.filter(user=learner).update(daily_new_cards=2)
    cards = [FlashcardFactory() for _ in range(3)]
    for card in cards[:2]:
        page = learner_client.get(REVIEW)
        assert shown(page)["card"] == card.pk
        assert rate(learner_client, card.pk, 0, 4).status_code == 200  # Easy: graduates
    page = learner_client.get(REVIEW)
    html = page.content.decode()
    assert "Done for today" in html
    assert "New cards resume at midnight" in html
    assert "1 new card waiting" in html
    assert re.search(r"Next card due <strong><time [^>]*>(tomorrow|on) ", html)
    assert "🎉" not in html
    # A tampered POST cannot start a third new card today.
    refused = rate(learner_client, cards[2].pk, 0, 3)
    assert refused.status_code == 409
    assert "limit of new cards" in refused.content.decode()
    assert not CardState.objects.filter(card=cards[2]).exists()


SESSION_END_NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)  # 20:30 in Asia/Kolkata


def test_session_end_with_a_learning_card_due_later_today_is_not_done_for_today(
    client, learner, fixed_clock
):
    fixed_clock.move_to(SESSION_END_NOW)
    client.force_login(learner)
    learner_client = client
    Profile.objects.filter(user=learner).update(timezone="Asia/Kolkata")
    CardStateFactory(
        learner=learner,
        state=CardState.State.LEARNING,
        step=1,
        due=timezone.now() + dt.timedelta(minutes=41),
    )
    html = learner_client.get(REVIEW).content.decode()
    assert 'name="card"' not in html
    assert "Done for today" not in html
    assert "Nothing to review right now" in html
    assert "Next card due <strong>in 41 minutes</strong>" in html
    assert "🎉" not in html


def test_session_end_says_tomorrow_with_the_time_in_the_learners_zone(client, learner, fixed_clock):
    fixed_clock.move_to(SESSION_END_NOW)
    client.force_login(learner)
    learner_client = client
    Profile.objects.filter(user=learner).update(timezone="Asia/Kolkata")
    # 02:00 UTC on 3 Dec is 07:30 in Kolkata: tomorrow there.
    CardStateFactory(learner=learner, due=dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC))
    html = learner_client.get(REVIEW).content.decode()
    assert "Done for today" in html
    assert "Next card due <strong><time" in html
    assert "tomorrow at 07:30</time>" in html
    Profile.objects.filter(user=learner).update(timezone="America/New_York")
    # 21:00 on 2 Dec in New York: still today there, in 11 hours.
    html = learner_client.get(REVIEW).content.decode()
    assert "Nothing to review right now" in html
    assert "in 11 hours (at 21:00)" in html


def test_profile_is_created_for_old_accounts(client, learner):
    Profile.objects.filter(user=learner).delete()
    client.force_login(learner)
    FlashcardFactory()
    assert client.get(REVIEW).status_code == 200
    assert Profile.objects.filter(user=learner).exists()


def test_learning_cards_due_soon_are_shown_when_nothing_else_is_left(learner_client, learner):
    state = CardStateFactory(
        learner=learner,
        state=CardState.State.LEARNING,
        step=1,
        due=timezone.now() + dt.timedelta(minutes=8),
    )
    response = learner_client.get(REVIEW)
    assert shown(response)["card"] == state.card.pk
    assert rate(learner_client, state.card.pk, state.reps, 3).status_code == 200


def test_again_on_a_review_card_is_a_lapse_and_the_card_returns_in_ten_minutes(
    learner_client, learner
):
    state = CardStateFactory(learner=learner, due=timezone.now() - dt.timedelta(hours=2))
    rate(learner_client, state.card.pk, state.reps, 1)
    state.refresh_from_db()
    assert state.state == CardState.State.RELEARNING
    assert state.lapses == 1
    assert dt.timedelta(minutes=9) < state.due - timezone.now() <= dt.timedelta(minutes=10)
    log = ReviewLog.objects.get()
    assert log.state_before["state"] == CardState.State.REVIEW
    assert log.state_after["state"] == CardState.State.RELEARNING


# --- undo ---------------------------------------------------------------------------------


def test_undo_of_a_new_card_makes_it_new_again_and_shows_it(learner_client, learner):
    card = FlashcardFactory(front="Undo me?")
    FlashcardFactory(front="Next one?")
    rate(learner_client, card.pk, 0, 1)
    log = ReviewLog.objects.get()
    response = learner_client.post(UNDO, {"log": log.pk}, **HTMX)
    assert response.status_code == 200
    assert shown(response) == {"card": card.pk, "reps": 0}
    assert "Rating undone" in response.content.decode()
    assert not ReviewLog.objects.exists()
    assert not CardState.objects.exists()
    # The card can be rated again, for real this time.
    assert rate(learner_client, card.pk, 0, 3).status_code == 200


def test_undo_restores_the_previous_state_exactly(learner_client, learner):
    state = CardStateFactory(learner=learner, due=timezone.now() - dt.timedelta(hours=1))
    before = CardState.objects.values().get(pk=state.pk)
    rate(learner_client, state.card.pk, state.reps, 1)
    response = learner_client.post(UNDO, {"log": ReviewLog.objects.get().pk})
    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}?card={state.card.pk}"
    after = CardState.objects.values().get(pk=state.pk)
    for name in [
        "state",
        "step",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "reps",
        "lapses",
    ]:
        assert after[name] == before[name], name


def test_undo_twice_is_refused(learner_client):
    card = FlashcardFactory()
    rate(learner_client, card.pk, 0, 3)
    log = ReviewLog.objects.get()
    assert learner_client.post(UNDO, {"log": log.pk}, **HTMX).status_code == 200
    assert learner_client.post(UNDO, {"log": log.pk}, **HTMX).status_code == 404
    assert not CardState.objects.exists()


def test_only_the_latest_rating_can_be_undone(learner_client):
    a, b = FlashcardFactory(), FlashcardFactory()
    rate(learner_client, a.pk, 0, 3)
    rate(learner_client, b.pk, 0, 3)
    older = ReviewLog.objects.get(card=a)
    response = learner_client.post(UNDO, {"log": older.pk}, **HTMX)
    assert response.status_code == 409
    assert "most recent" in response.content.decode()
    assert ReviewLog.objects.count() == 2


def test_old_ratings_cannot_be_undone(learner_client, learner):
    card = FlashcardFactory()
    rate(learner_client, card.pk, 0, 3)
    ReviewLog.objects.update(reviewed_at=timezone.now() - dt.timedelta(days=2))
    response = learner_client.post(UNDO, {"log": ReviewLog.objects.get().pk}, **HTMX)
    assert response.status_code == 409
    assert ReviewLog.objects.count() == 1


def test_another_learners_rating_cannot_be_undone(client, learner):
    other = UserFactory()
    card = FlashcardFactory()
    client.force_login(other)
    rate(client, card.pk, 0, 3)
    client.force_login(learner)
    response = client.post(UNDO, {"log": ReviewLog.objects.get().pk})
    assert response.status_code == 404
    assert ReviewLog.objects.count() == 1
    assert CardState.objects.filter(learner=other).exists()


def test_bad_undo_form_is_400(learner_client):
    assert learner_client.post(UNDO, {"log": "abc"}).status_code == 400


# --- the decks page -----------------------------------------------------------------------


def test_decks_show_new_learning_and_due_counts_by_topic(learner_client, learner):
    now = timezone.now()
    history = TopicFactory(title="History and milestones")
    trade = TopicFactory(title="Trade")
    FlashcardFactory(topic=history)
    FlashcardFactory(topic=history)
    CardStateFactory(learner=learner, card=FlashcardFactory(topic=history), due=now)
    CardStateFactory(
        learner=learner,
        card=FlashcardFactory(topic=trade),
        state=CardState.State.LEARNING,
        due=now + dt.timedelta(minutes=5),
    )
    FlashcardFactory(topic=TopicFactory(title="Draft topic"), status=Status.DRAFT)
    response = learner_client.get(DECKS)
    assert response.status_code == 200
    decks = {d["topic"].title: d for d in response.context["decks"]}
    assert set(decks) == {"History and milestones", "Trade"}
    assert decks["History and milestones"] | {"topic": None} == {
        "topic": None,
        "total": 3,
        "new": 2,
        "learning": 0,
        "learned": 1,
        "due": 1,
    }
    assert decks["Trade"]["learning"] == 1
    assert decks["Trade"]["new"] == 0
    html = response.content.decode()
    assert f"{REVIEW}?topic={history.slug}" in html


def test_forecast_counts_cards_by_local_day_with_overdue_today(learner_client, learner):
    now = timezone.now()
    CardStateFactory(learner=learner, due=now - dt.timedelta(days=3))  # overdue
    CardStateFactory(learner=learner, due=now + dt.timedelta(days=2))
    CardStateFactory(learner=learner, due=now + dt.timedelta(days=2, minutes=1))
    CardStateFactory(learner=learner, due=now + dt.timedelta(days=40))  # beyond the chart
    response = learner_client.get(DECKS)
    bars = response.context["forecast_bars"]
    assert len(bars) == 30
    assert bars[0].value >= 1 and "overdue" in bars[0].extra
    assert sum(b.value for b in bars) == 3
    assert response.context["forecast_total"] == 3
    html = response.content.decode()
    assert 'role="img"' in html and "Show as a table" in html


def test_true_retention_counts_only_review_state_ratings(learner_client, learner):
    now = timezone.now()
    card = FlashcardFactory()

    def log(rating, state_before, days_ago, reps):
        ReviewLog.objects.create(
            learner=learner,
            card=card,
            rating=rating,
            reviewed_at=now - dt.timedelta(days=days_ago),
            state_before=None if state_before is None else {"state": state_before},
            state_after={"state": 2},
            reps_before=reps,
        )

    log(3, 2, 1, 10)  # pass, this week
    log(1, 2, 2, 11)  # fail, this week
    log(4, 2, 20, 12)  # pass, this month
    log(3, 2, 25, 13)  # pass, this month
    log(1, 1, 1, 14)  # a learning step: not counted
    log(3, None, 1, 0)  # a new card: not counted
    log(1, 2, 45, 15)  # too old
    retention = learner_client.get(DECKS).context["retention"]
    assert retention["week"] == 50 and retention["week_n"] == 2
    assert retention["month"] == 75 and retention["month_n"] == 4


def test_reviews_per_day_for_thirty_days(learner_client, learner):
    card = FlashcardFactory()
    now = timezone.now()
    for i in range(3):
        ReviewLog.objects.create(
            learner=learner,
            card=card,
            rating=1 if i == 0 else 3,
            reviewed_at=now - dt.timedelta(minutes=i),
            state_after={},
            reps_before=i,
        )
    response = learner_client.get(DECKS)
    bars = response.context["history_bars"]
    assert len(bars) == 30
    assert bars[-1].value == 3 and bars[-1].extra == "1 Again"
    assert response.context["history_total"] == 3


def test_decks_page_shows_only_own_history(client, learner):
    other = UserFactory()
    CardStateFactory(learner=other, due=timezone.now())
    client.force_login(learner)
    response = client.get(DECKS)
    assert response.context["totals"]["review"] == 0
    assert response.context["decks"][0]["due"] == 0


# --- query counts -------------------------------------------------------------------------


def build_history(learner, n_logs: int):
    """Three topics of cards, some seen, and `n_logs` old review-log rows."""
    now = timezone.now()
    topics = [TopicFactory() for _ in range(3)]
    cards = [FlashcardFactory(topic=topics[i % 3]) for i in range(12)]
    for i, card in enumerate(cards[:8]):
        CardStateFactory(
            learner=learner,
            card=card,
            due=now + dt.timedelta(days=i - 3),
            state=CardState.State.REVIEW if i % 3 else CardState.State.LEARNING,
        )
    review_history(learner, cards[0], n_logs, now=now)
    return cards


@pytest.mark.parametrize("n_logs", [20, 2000])
def test_review_page_query_count_is_constant(
    learner_client, learner, n_logs, django_assert_max_num_queries
):
    build_history(learner, n_logs)
    with django_assert_max_num_queries(10):
        response = learner_client.get(REVIEW)
    assert response.status_code == 200


@pytest.mark.parametrize("n_logs", [20, 2000])
def test_rating_post_query_count_is_constant(
    learner_client, learner, n_logs, django_assert_max_num_queries
):
    build_history(learner, n_logs)
    page = learner_client.get(REVIEW)
    with django_assert_max_num_queries(19):  # + the profile's last_active (staff list)
        response = rate(learner_client, **shown(page), rating=3)
    assert response.status_code == 200


@pytest.mark.parametrize("n_logs", [20, 2000])
def test_decks_page_query_count_is_constant(
    learner_client, learner, n_logs, django_assert_max_num_queries
):
    build_history(learner, n_logs)
    with django_assert_max_num_queries(10):
        response = learner_client.get(DECKS)
    assert response.status_code == 200
    assert response.context["history_total"] >= 1


# --- the service directly -----------------------------------------------------------------


def test_the_unique_constraint_backs_up_the_showing_check(learner):
    """A log row for showing 0 already exists (e.g. a concurrent first rating that won):
    the second rating is refused and its CardState insert is rolled back."""
    from quizzes.services.cards import ReviewRefused, card_review

    card = FlashcardFactory()
    now = timezone.now()
    ReviewLog.objects.create(
        learner=learner, card=card, rating=3, reviewed_at=now, state_after={}, reps_before=0
    )
    with pytest.raises(ReviewRefused) as refused:
        card_review(
            learner=learner,
            profile=Profile.objects.get(user=learner),
            card=card,
            rating=3,
            shown_reps=0,
            now=now,
        )
    assert refused.value.code == "duplicate"
    assert ReviewLog.objects.count() == 1
    assert not CardState.objects.exists()


def test_service_refuses_an_unknown_rating(learner):
    from quizzes.services.cards import ReviewRefused, card_review

    with pytest.raises(ReviewRefused):
        card_review(
            learner=learner,
            profile=Profile.objects.get(user=learner),
            card=FlashcardFactory(),
            rating=7,
            shown_reps=0,
            now=timezone.now(),
        )
    assert not ReviewLog.objects.exists()


def test_every_rating_is_logged_with_replayable_states(learner_client, learner):
    """Replaying the log through the scheduler gives back the stored state."""
    from quizzes import scheduling

    card = FlashcardFactory()
    for rating in [3, 3]:
        page = learner_client.get(REVIEW)
        rate(learner_client, **shown(page), rating=rating)
        CardState.objects.update(due=timezone.now() - dt.timedelta(minutes=1))
    logs = list(ReviewLog.objects.filter(card=card).order_by("pk"))
    assert [log.reps_before for log in logs] == [0, 1]
    assert logs[1].state_before["reps"] == logs[0].state_after["reps"] == 1
    for log in logs:
        before = scheduling.Memory.from_json(log.state_before) if log.state_before else None
        replayed = scheduling.review(
            before, log.rating, now=log.reviewed_at, seed=f"{card.pk}:{log.reps_before}"
        )
        assert replayed.as_json() == log.state_after


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_the_interval_on_a_button_is_the_interval_the_rating_applies(
    learner_client, learner, rating
):
    from quizzes import scheduling

    now = timezone.now()
    for i, (stability, days_ago) in enumerate([(2.0, 2), (12.0, 15), (40.0, 38), (0.5, 1)]):
        state = CardStateFactory(
            learner=learner,
            stability=stability,
            difficulty=4.0 + i,
            last_review=now - dt.timedelta(days=days_ago),
            due=now - dt.timedelta(hours=i),
        )
        page = learner_client.get(REVIEW)
        assert shown(page)["card"] == state.card.pk
        hidden = '<span class="visually-hidden">next in </span>'
        labels = re.findall(
            rf'<span class="rate-interval">{hidden}([^<]+)</span>', page.content.decode()
        )
        assert len(set(labels)) == 4, labels  # four different intervals
        rate(learner_client, state.card.pk, state.reps, rating)
        state.refresh_from_db()
        # The interval from the rating itself (its own clock reading, not a later one: a
        # later reading would put a 30-day interval a few microseconds short of "1mo").
        applied = scheduling.interval_label(state.due - state.last_review)
        assert applied == labels[rating - 1], (labels, applied)
        CardState.objects.filter(pk=state.pk).update(due=now + dt.timedelta(days=400))
