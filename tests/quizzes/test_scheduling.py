"""The pure FSRS wrapper, with a fixed `now` and no database."""

import datetime as dt
import itertools
import random
from dataclasses import replace as dt_replace
from zoneinfo import ZoneInfo

import pytest

from quizzes import scheduling
from quizzes.scheduling import LEARN_AHEAD, Memory, Rating, State

NOW = dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC)


def graduated(now=NOW, seed="c1:0") -> Memory:
    """A card rated Easy when new: in Review state."""
    return scheduling.review(None, Rating.Easy, now=now, seed=seed)


def test_good_on_a_new_card_moves_it_to_the_second_learning_step():
    after = scheduling.review(None, Rating.Good, now=NOW)
    assert after.state == State.Learning
    assert after.step == 1
    assert after.due == NOW + dt.timedelta(minutes=10)
    assert after.last_review == NOW
    assert after.reps == 1
    assert after.lapses == 0
    assert after.stability and after.difficulty


def test_again_on_a_new_card_repeats_the_first_step_in_a_minute():
    after = scheduling.review(None, Rating.Again, now=NOW)
    assert after.state == State.Learning
    assert after.due == NOW + dt.timedelta(minutes=1)


def test_good_twice_graduates_a_new_card_to_review_in_days():
    first = scheduling.review(None, Rating.Good, now=NOW)
    later = NOW + dt.timedelta(minutes=10)
    second = scheduling.review(first, Rating.Good, now=later)
    assert second.state == State.Review
    assert second.step is None
    assert second.due - later >= dt.timedelta(days=1)
    assert second.reps == 2


def test_again_on_a_review_card_lapses_into_relearning():
    card = graduated()
    assert card.state == State.Review
    when = card.due
    after = scheduling.review(card, Rating.Again, now=when)
    assert after.state == State.Relearning
    assert after.step == 0
    assert after.due == when + dt.timedelta(minutes=10)
    assert after.lapses == 1
    assert after.stability < card.stability


def test_again_in_learning_is_not_a_lapse():
    first = scheduling.review(None, Rating.Good, now=NOW)
    again = scheduling.review(first, Rating.Again, now=NOW + dt.timedelta(minutes=10))
    assert again.lapses == 0


def test_preview_shows_the_intervals_the_ratings_give():
    preview = scheduling.preview(None, now=NOW, seed="7:0")
    labels = {r: scheduling.interval_label(m.due - NOW) for r, m in preview.items()}
    assert labels[Rating.Again] == "1m"
    assert labels[Rating.Hard] == "6m"
    assert labels[Rating.Good] == "10m"
    assert labels[Rating.Easy].endswith("d")
    assert list(preview) == [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]


def test_preview_and_review_agree_even_with_fuzz():
    card = graduated()
    when = card.due + dt.timedelta(days=3)
    preview = scheduling.preview(card, now=when, seed="42:1")
    for rating in Rating:
        real = scheduling.review(card, rating, now=when, seed="42:1")
        assert real == preview[rating]


def test_fuzz_spreads_long_intervals_within_fsrs_range():
    card = graduated()
    when = card.due
    dues = {scheduling.review(card, Rating.Easy, now=when, seed=f"{i}:1").due for i in range(30)}
    assert len(dues) > 1  # different cards learned together drift apart
    base = scheduling.review(card, Rating.Easy, now=when, seed="0:1").due - when
    for due in dues:
        assert abs((due - when) - base) <= dt.timedelta(days=max(3, base.days // 4))


def test_review_requires_an_aware_now():
    with pytest.raises(ValueError):
        scheduling.review(None, Rating.Good, now=dt.datetime(2025, 6, 1, 10))


def test_aware_non_utc_now_is_converted():
    ist = NOW.astimezone(ZoneInfo("Asia/Kolkata"))
    assert scheduling.review(None, Rating.Good, now=ist) == scheduling.review(
        None, Rating.Good, now=NOW
    )


def test_desired_retention_changes_the_interval():
    card = graduated()
    when = card.due
    strict = scheduling.review(card, Rating.Good, now=when, desired_retention=0.95)
    relaxed = scheduling.review(card, Rating.Good, now=when, desired_retention=0.8)
    assert strict.due < relaxed.due


def test_memory_round_trips_through_json():
    card = graduated()
    assert Memory.from_json(card.as_json()) == card


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (dt.timedelta(seconds=20), "1m"),
        (dt.timedelta(minutes=1), "1m"),
        (dt.timedelta(minutes=10), "10m"),
        (dt.timedelta(minutes=90), "2h"),
        (dt.timedelta(hours=5), "5h"),
        (dt.timedelta(days=1), "1d"),
        (dt.timedelta(days=2), "2d"),
        (dt.timedelta(days=29), "29d"),
        (dt.timedelta(days=45), "1.5mo"),
        (dt.timedelta(days=61), "2mo"),
        (dt.timedelta(days=400), "1.1y"),
    ],
)
def test_interval_labels(delta, label):
    assert scheduling.interval_label(delta) == label


# --- queue order --------------------------------------------------------------------------


def memory(state: State, due: dt.datetime) -> Memory:
    return Memory(
        state=state,
        step=0 if state != State.Review else None,
        stability=3.0,
        difficulty=5.0,
        due=due,
        last_review=due - dt.timedelta(days=1),
        reps=2,
    )


def test_due_learning_steps_come_before_reviews_and_reviews_by_due_time():
    seen = [
        ("review-late", memory(State.Review, NOW - dt.timedelta(hours=1))),
        ("review-overdue", memory(State.Review, NOW - dt.timedelta(days=3))),
        ("learning-due", memory(State.Learning, NOW - dt.timedelta(minutes=1))),
        ("relearning-ahead", memory(State.Relearning, NOW + dt.timedelta(minutes=5))),
        ("review-tomorrow", memory(State.Review, NOW + dt.timedelta(days=1))),
    ]
    order = sorted(seen, key=lambda pair: scheduling.queue_key(pair[1], now=NOW))
    assert [name for name, _ in order] == [
        "learning-due",
        "review-overdue",
        "review-late",
        "relearning-ahead",
        "review-tomorrow",
    ]
    assert scheduling.pick_next(seen, ["new-1"], now=NOW, new_left=5) == "learning-due"


def test_new_cards_come_after_due_cards_but_before_learning_ahead():
    seen = [("ahead", memory(State.Learning, NOW + dt.timedelta(minutes=5)))]
    assert scheduling.pick_next(seen, ["new-1", "new-2"], now=NOW, new_left=1) == "new-1"
    assert scheduling.pick_next(seen, ["new-1"], now=NOW, new_left=0) == "ahead"


def test_learning_beyond_the_learn_ahead_window_waits():
    later = NOW + LEARN_AHEAD + dt.timedelta(minutes=1)
    seen = [("later", memory(State.Learning, later))]
    assert scheduling.pick_next(seen, [], now=NOW, new_left=0) is None
    assert scheduling.is_due(seen[0][1], now=NOW, learn_ahead=True) is False


def test_review_cards_are_never_shown_early():
    soon = memory(State.Review, NOW + dt.timedelta(minutes=5))
    assert scheduling.pick_next([("soon", soon)], [], now=NOW, new_left=0) is None
    assert scheduling.is_due(soon, now=NOW, learn_ahead=True) is False


def test_nothing_left_is_none():
    assert scheduling.pick_next([], [], now=NOW, new_left=10) is None
    assert scheduling.pick_next([], ["new"], now=NOW, new_left=0) is None


# --- daily new-card limit -------------------------------------------------------------------


def test_day_starts_at_midnight_in_the_learners_time_zone():
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30
    # 18:29 UTC is 23:59 in India: the day began at 18:30 UTC the day before.
    before = dt.datetime(2025, 6, 1, 18, 29, tzinfo=dt.UTC)
    after = dt.datetime(2025, 6, 1, 18, 31, tzinfo=dt.UTC)
    assert scheduling.day_start(before, kolkata) == dt.datetime(2025, 5, 31, 18, 30, tzinfo=dt.UTC)
    assert scheduling.day_start(after, kolkata) == dt.datetime(2025, 6, 1, 18, 30, tzinfo=dt.UTC)
    assert scheduling.next_day_start(before, kolkata) == scheduling.day_start(after, kolkata)


def test_new_card_limit_resets_when_midnight_passes_in_the_learners_zone():
    zone = "Asia/Kolkata"
    limit = 3
    introduced = [  # times new cards were started, UTC
        dt.datetime(2025, 6, 1, 17, 0, tzinfo=dt.UTC),  # 22:30 IST, 1 June
        dt.datetime(2025, 6, 1, 18, 0, tzinfo=dt.UTC),  # 23:30 IST
        dt.datetime(2025, 6, 1, 18, 20, tzinfo=dt.UTC),  # 23:50 IST
    ]

    def left(now):
        start = scheduling.day_start(now, zone)
        return scheduling.new_cards_left(
            limit=limit, introduced_today=sum(1 for t in introduced if t >= start)
        )

    assert left(dt.datetime(2025, 6, 1, 18, 25, tzinfo=dt.UTC)) == 0  # 23:55 IST: used up
    assert left(dt.datetime(2025, 6, 1, 18, 35, tzinfo=dt.UTC)) == 3  # 00:05 IST: a new day
    # The same UTC instants in London (UTC+1 in June) are all still 1 June: limit used up.
    start_london = scheduling.day_start(
        dt.datetime(2025, 6, 1, 18, 35, tzinfo=dt.UTC), "Europe/London"
    )
    assert sum(1 for t in introduced if t >= start_london) == 3


def test_new_cards_left_never_goes_negative():
    assert scheduling.new_cards_left(limit=5, introduced_today=9) == 0
    assert scheduling.new_cards_left(limit=0, introduced_today=0) == 0


def test_day_start_across_a_daylight_saving_change():
    # New York springs forward on 9 March 2025: the day is 23 hours long.
    now = dt.datetime(2025, 3, 9, 12, 0, tzinfo=dt.UTC)
    assert scheduling.day_start(now, "America/New_York") == dt.datetime(
        2025, 3, 9, 5, 0, tzinfo=dt.UTC
    )
    assert scheduling.next_day_start(now, "America/New_York") == dt.datetime(
        2025, 3, 10, 4, 0, tzinfo=dt.UTC
    )


# --- button order: Again < Hard < Good < Easy on every card (issue 20) -------------------


def _label_key(label: str) -> float:
    """A label back to minutes, to compare what two buttons show."""
    units = {"m": 1, "h": 60, "d": 1440, "mo": 1440 * 30.4375, "y": 1440 * 365.25}
    for unit in ("mo", "m", "h", "d", "y"):
        if label.endswith(unit):
            return float(label[: -len(unit)]) * units[unit]
    raise AssertionError(label)


def _simulated_showings(n_cards: int, seed: int):
    """Random histories: each card rated 1–4 at random, reviewed early, on time or late."""
    rng = random.Random(seed)
    for card in range(n_cards):
        memory, now = None, NOW + dt.timedelta(minutes=rng.randint(0, 10_000))
        retention = rng.choice([0.8, 0.85, 0.9, 0.95, 0.97])
        for reps in range(rng.randint(1, 14)):
            yield memory, now, retention, f"{card}:{reps}"
            memory = scheduling.review(
                memory,
                rng.randint(1, 4),
                now=now,
                desired_retention=retention,
                seed=f"{card}:{reps}",
            )
            wait = (memory.due - now) * rng.choice([0.3, 1, 1, 1, 1.4, 3])
            now = now + max(wait, dt.timedelta(0)) + dt.timedelta(seconds=rng.randint(0, 600))


def test_shown_intervals_strictly_increase_and_are_what_a_rating_applies():
    checked = 0
    for memory, now, retention, seed in _simulated_showings(400, seed=20):
        previews = scheduling.preview(memory, now=now, desired_retention=retention, seed=seed)
        labels = [scheduling.interval_label(after.due - now) for after in previews.values()]
        shown = [_label_key(label) for label in labels]
        assert shown == sorted(set(shown)), (memory, now, labels)
        intervals = [after.due - now for after in previews.values()]
        assert intervals == sorted(set(intervals))
        days = [i.days for i in intervals if i >= dt.timedelta(days=1)]
        assert all(b >= a + 1 for a, b in itertools.pairwise(days))
        for rating, after in previews.items():
            applied = scheduling.review(
                memory, rating, now=now, desired_retention=retention, seed=seed
            )
            assert applied == after
        checked += 1
    assert checked > 2000


def test_hard_on_a_review_card_on_time_is_longer_than_its_previous_interval():
    for i in range(200):
        card = graduated(seed=f"h{i}:0")
        previous = (card.due - card.last_review).days
        hard = scheduling.review(card, Rating.Hard, now=card.due, seed=f"h{i}:1")
        assert (hard.due - card.due).days >= previous + 1


def test_labels_that_would_read_the_same_are_pulled_apart():
    # 45 and 46 days both read "1.5mo": the later button moves until it reads longer.
    memory = graduated()
    long_ago = NOW - dt.timedelta(days=40)
    card = dt_replace(memory, last_review=long_ago, due=NOW, stability=40.0)
    labels = [
        scheduling.interval_label(m.due - NOW)
        for m in scheduling.preview(card, now=NOW, seed="x").values()
    ]
    assert len(set(labels)) == 4


@pytest.mark.parametrize(
    ("due", "tz", "phrase", "today"),
    [
        (NOW + dt.timedelta(minutes=41), "UTC", "in 41 minutes", True),
        (NOW + dt.timedelta(seconds=20), "UTC", "in 1 minute", True),
        (NOW + dt.timedelta(hours=3), "UTC", "in 3 hours (at 13:00)", True),
        (NOW + dt.timedelta(hours=23), "UTC", "tomorrow at 09:00", False),
        # 10:00 UTC is 15:30 in Kolkata: 9 hours later is past its midnight.
        (NOW + dt.timedelta(hours=9), "Asia/Kolkata", "tomorrow at 00:30", False),
        (NOW + dt.timedelta(days=4), "UTC", "on Thu 5 Jun at 10:00", False),
    ],
)
def test_due_phrase_says_when_in_the_learners_zone(due, tz, phrase, today):
    assert scheduling.due_phrase(due, now=NOW, tz=tz) == (phrase, today)
