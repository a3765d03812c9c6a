"""FSRS scheduling for flashcards: a pure wrapper around the `fsrs` package (v6).

No ORM and no clock: every function takes `now` (UTC-aware). The views and services turn
`CardState` rows into `Memory` values and back.

- `review()` rates a card (new or seen) and returns its next `Memory`; `preview()` does it
  for all four ratings so each button can show its interval (`interval_label`).
- Fuzz (the small random spread FSRS adds to long intervals so cards learned together do
  not stay together) is seeded by the card and its review count, as in modern Anki: the
  interval on a button is exactly the interval the card gets.
- `day_start()` / `new_cards_left()`: the daily new-card limit resets at midnight in the
  learner's time zone.
- `queue_key()` / `pick_next()`: which card comes next in a review session.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

__all__ = [
    "LEARN_AHEAD",
    "Memory",
    "Rating",
    "State",
    "day_start",
    "interval_label",
    "is_due",
    "new_cards_left",
    "pick_next",
    "preview",
    "queue_key",
    "review",
]

# When nothing else is left, learning cards due within this window are shown early
# (Anki's "learn ahead limit"), so a session does not stall on a 1-minute step.
LEARN_AHEAD = dt.timedelta(minutes=20)
MAXIMUM_INTERVAL_DAYS = 36500
UTC = dt.UTC


@dataclass(frozen=True)
class Memory:
    """One learner's scheduling state for one card: fsrs.Card's fields plus counters."""

    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reps: int = 0
    lapses: int = 0

    def as_json(self) -> dict[str, Any]:
        """A JSON-safe dict (ReviewLog.state_before/state_after)."""
        return {
            "state": int(self.state),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Memory:
        return cls(
            state=State(int(data["state"])),
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=dt.datetime.fromisoformat(data["due"]),
            last_review=(
                dt.datetime.fromisoformat(data["last_review"]) if data["last_review"] else None
            ),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
        )


def _scheduler(desired_retention: float) -> Scheduler:
    # Learning steps (1m, 10m) and relearning step (10m) are the FSRS defaults. Fuzz is
    # applied by `_fuzz` below, deterministically.
    return Scheduler(
        desired_retention=desired_retention,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def _check_utc(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _fuzz_range(interval_days: int) -> tuple[int, int]:
    """fsrs's fuzz range for an interval (same factors, from fsrs.scheduler.FUZZ_RANGES)."""
    delta = 1.0
    for fuzz in FUZZ_RANGES:
        delta += fuzz["factor"] * max(min(float(interval_days), fuzz["end"]) - fuzz["start"], 0.0)
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), MAXIMUM_INTERVAL_DAYS)
    return min(low, high), high


def _fuzz(interval: dt.timedelta, seed: str) -> dt.timedelta:
    """Spread a Review interval of 3+ days over fsrs's fuzz range, reproducibly for `seed`."""
    days = interval.days
    if days < 2.5:
        return interval
    low, high = _fuzz_range(days)
    return dt.timedelta(days=random.Random(seed).randint(low, high))


def _raw_review(
    memory: Memory | None, rating: Rating, *, now: dt.datetime, desired_retention: float, seed: str
) -> Memory:
    """fsrs's outcome of one rating, fuzzed, before the button order is enforced."""
    if memory is None:
        card = Card(card_id=1, due=now)
        reps, lapses = 0, 0
        was_review = False
    else:
        card = Card(
            card_id=1,
            state=memory.state,
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due.astimezone(UTC),
            last_review=memory.last_review.astimezone(UTC) if memory.last_review else None,
        )
        reps, lapses = memory.reps, memory.lapses
        was_review = memory.state == State.Review
    after, _log = _scheduler(desired_retention).review_card(card, rating, review_datetime=now)
    due = after.due
    if after.state == State.Review:
        due = now + _fuzz(after.due - now, f"{seed}:{int(rating)}")
    return Memory(
        state=after.state,
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=due,
        last_review=after.last_review,
        reps=reps + 1,
        lapses=lapses + (1 if was_review and rating == Rating.Again else 0),
    )


_DAY = dt.timedelta(days=1)
_MINUTE = dt.timedelta(minutes=1)


def _previous_interval_days(memory: Memory | None, now: dt.datetime) -> int:
    """The interval a Review card was scheduled with, when it is reviewed on time or late
    (0 otherwise: a review ahead of time has no floor beyond a day, as in Anki)."""
    if memory is None or memory.state != State.Review or memory.last_review is None:
        return 0
    if now < memory.due:
        return 0
    return max(0, (memory.due - memory.last_review).days)


def _ordered(memory: Memory | None, outcomes: list[Memory], now: dt.datetime) -> list[Memory]:
    """Nudge Again/Hard/Good/Easy so the shown intervals strictly increase, as Anki does.

    Once in days, each button is at least one day longer than the one before (Hard in
    Review at least the previous interval + 1 day when the card is reviewed on time or
    late); within a day, at least a minute longer. Then a button whose label would read the
    same as the one before ("1.5mo" twice) is lengthened until it reads longer. Stability
    and difficulty are fsrs's: only the due time moves.
    """
    ordered = [outcomes[0]]
    for i, after in enumerate(outcomes[1:], start=1):
        before = ordered[-1].due - now
        interval = after.due - now
        if before >= _DAY or after.state == State.Review:
            floor = before.days + 1 if before >= _DAY else 1
            if i == int(Rating.Hard) - 1:
                floor = max(floor, _previous_interval_days(memory, now) + 1)
            days = max(interval.days, floor)
            while interval_label(dt.timedelta(days=days)) == interval_label(before):
                days += 1
            interval = dt.timedelta(days=days)
        else:
            interval = max(interval, before + _MINUTE)
            while interval_label(interval) == interval_label(before):
                interval += _MINUTE
        ordered.append(replace(after, due=now + interval))
    return ordered


def preview(
    memory: Memory | None, *, now: dt.datetime, desired_retention: float = 0.9, seed: str = ""
) -> dict[Rating, Memory]:
    """What each of the four ratings would do to the card at `now` (for the buttons).

    The intervals strictly increase Again < Hard < Good < Easy (`_ordered`), and `review()`
    applies exactly these outcomes: what a button shows is what the card gets.
    """
    now = _check_utc(now)
    ratings = list(Rating)
    raw = [
        _raw_review(memory, r, now=now, desired_retention=desired_retention, seed=seed)
        for r in ratings
    ]
    return dict(zip(ratings, _ordered(memory, raw, now), strict=True))


def review(
    memory: Memory | None,
    rating: Rating | int,
    *,
    now: dt.datetime,
    desired_retention: float = 0.9,
    seed: str = "",
) -> Memory:
    """The card's next Memory after `rating` at `now`; `memory=None` means a new card.

    `seed` (e.g. "<card id>:<reps>") makes the fuzz reproducible, so `preview()` and the
    real review agree. A Review card rated Again counts as a lapse.
    """
    return preview(memory, now=now, desired_retention=desired_retention, seed=seed)[
        Rating(int(rating))
    ]


def interval_label(interval: dt.timedelta) -> str:
    """A short Anki-style interval: "1m", "10m", "5h", "2d", "3.5mo", "1.2y"."""
    seconds = max(0.0, interval.total_seconds())
    minutes = seconds / 60
    if minutes < 60:
        return f"{max(1, round(minutes))}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{_one_decimal(days / 30.4375)}mo"
    return f"{_one_decimal(days / 365.25)}y"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def is_due(memory: Memory, *, now: dt.datetime, learn_ahead: bool = False) -> bool:
    """Whether the card may be shown at `now`; `learn_ahead` lets learning steps come early."""
    if memory.due <= now:
        return True
    return learn_ahead and memory.state != State.Review and memory.due <= now + LEARN_AHEAD


def day_start(now: dt.datetime, tz: ZoneInfo | str) -> dt.datetime:
    """Midnight that began the learner's current day, in their time zone, as UTC."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = _check_utc(now).astimezone(zone)
    midnight = dt.datetime.combine(local.date(), dt.time(0), tzinfo=zone)
    return midnight.astimezone(UTC)


def next_day_start(now: dt.datetime, tz: ZoneInfo | str) -> dt.datetime:
    """The next midnight in the learner's time zone, as UTC (when new cards resume)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = _check_utc(now).astimezone(zone)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return midnight.astimezone(UTC)


def new_cards_left(*, limit: int, introduced_today: int) -> int:
    """New cards the learner may still start today (`introduced_today` counts from day_start)."""
    return max(0, limit - introduced_today)


# Queue order: learning/relearning steps that are due, then reviews by due time, then new
# cards (in the caller's order), then learning steps due within LEARN_AHEAD.
_LEARNING_DUE, _REVIEW_DUE, _NEW, _LEARN_AHEAD, _NOT_DUE = range(5)

T = TypeVar("T")


def queue_key(memory: Memory | None, *, now: dt.datetime) -> tuple[int, dt.datetime]:
    """Sort key of a card in a review session (None: a new card). Lower comes first."""
    if memory is None:
        return (_NEW, now)
    if memory.due <= now:
        return (_REVIEW_DUE if memory.state == State.Review else _LEARNING_DUE, memory.due)
    if is_due(memory, now=now, learn_ahead=True):
        return (_LEARN_AHEAD, memory.due)
    return (_NOT_DUE, memory.due)


def pick_next(
    seen: Sequence[tuple[T, Memory]], new: Sequence[T], *, now: dt.datetime, new_left: int
) -> T | None:
    """The card to show next: from `seen` (card, memory) pairs and `new` cards in order.

    New cards are offered only while `new_left` > 0; cards not due (even with learn-ahead)
    are never offered. Returns None when the session is done.
    """
    candidates: list[tuple[tuple[int, dt.datetime], int, T]] = []
    for i, (card, memory) in enumerate(seen):
        key = queue_key(memory, now=now)
        if key[0] != _NOT_DUE:
            candidates.append((key, i, card))
    if new and new_left > 0:
        candidates.append((queue_key(None, now=now), len(seen), new[0]))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


def due_phrase(due: dt.datetime, *, now: dt.datetime, tz: ZoneInfo | str) -> tuple[str, bool]:
    """When `due` comes, said to a learner in their zone, and whether it is still today.

    "in 41 minutes", "in 3 hours", "tomorrow at 09:00", "on Sat 5 Dec at 09:00".
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    now, due = _check_utc(now), _check_utc(due)
    today = due < next_day_start(now, zone)
    local = due.astimezone(zone)
    minutes = max(1, round((due - now).total_seconds() / 60))
    if today and minutes < 60:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}", True
    if today:
        hours = round(minutes / 60)
        return f"in {hours} hour{'s' if hours != 1 else ''} (at {local:%H:%M})", True
    tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
    if local.date() == tomorrow:
        return f"tomorrow at {local:%H:%M}", False
    return f"on {local:%a} {local.day} {local:%b} at {local:%H:%M}", False
