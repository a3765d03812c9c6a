"""The review session's queue, kept between ratings: the answer to a rating (the next card and
what remains) without rebuilding the session from scratch.

A full build of the session (`quizzes.selectors.cards.review_session`) also keeps, per learner
and topic, the head of each line of the queue in the order the session takes them (learning
steps and reviews by due time, new cards in study order; at most `HEAD` of each), the four
counts the page shows, the learner's marks (held: suspended or buried; flags), and the moment until
which time alone changes none of it (`valid_until`: a learning step entering the learn-ahead
window, a review coming due, a buried card returning, the learner's midnight; at most
`MAX_AGE` ahead). A rating then moves its own card in that copy — out of the line it was in,
into the learning line if its next step falls in the window — and the next card is the head
the session would pick (`scheduling.pick_next`), read with its state in one query.

The copy is used only while it is exactly the learner's data: it carries the learner's data
version (`studyapp.freshness`: any other write, in any tab or worker, moves it), the content
version and the settings it was built with, and is refused after `valid_until`. Anything the
copy cannot answer exactly (a line run out past its kept head, a held or other-topic card, a
state that is not what was kept, an empty session) falls back to the full build. Kept only
with the page cache on (`PAGE_CACHE`).

A rating labels the copy it leaves with the version its own UPDATE made (the one it read plus
one), so a concurrent write always leaves the copy unmatched — but for one window: a request
that read the version between another tab's write and this rating's could take this copy,
which lacks that write, for one answer; the next request rebuilds.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q

from quizzes import scheduling
from quizzes.models import CardMark, CardState
from studyapp.freshness import content_version, learner_settings

HEAD = 12
MAX_AGE = dt.timedelta(minutes=10)
TTL = int(MAX_AGE.total_seconds())
LEARNING = (CardState.State.LEARNING, CardState.State.RELEARNING)


@dataclass
class Line:
    """The head of one line of the queue in session order: rows (due, state pk, card id,
    state) for learning and review, (rank, card id) for new cards; `more`: rows may follow
    the kept head."""

    rows: list[tuple] = field(default_factory=list)
    more: bool = False
    card_at: int = 2  # where the card id is in a row

    def drop(self, card_id: int) -> None:
        self.rows = [row for row in self.rows if row[self.card_at] != card_id]


@dataclass
class Queue:
    topic_id: int | None
    version: int
    content: int
    settings: tuple
    valid_until: dt.datetime
    learning: Line
    review: Line
    new: Line
    counts: dict  # learning, review (in the topic), introduced_today (all), new_total
    held: frozenset
    marks: dict  # card id: the learner's CardMark (suspended, buried, flagged, missed)


def enabled() -> bool:
    return settings.PAGE_CACHE


def _key(learner_id: int, topic_id: int | None) -> str:
    return f"review-queue:{learner_id}:{topic_id or 0}"


def keep(
    learner, profile, *, topic, now, version, counts, new_total, learning, review, new
) -> None:
    """After a full build: keep the queue it read (`learning`/`review`: the CardState heads,
    `new`: the new cards' head, each fetched with up to HEAD + 1 rows), as of the learner's
    data `version`."""
    marks = {mark.card_id: mark for mark in CardMark.objects.filter(learner=learner)}
    held = frozenset(pk for pk, mark in marks.items() if mark.suspended or mark.is_buried(now))
    queue = CardState.objects.queue(learner, now=now, topic=topic)
    ahead = now + scheduling.LEARN_AHEAD
    bounds = queue.aggregate(
        step=Min("due", filter=Q(state__in=LEARNING, due__gt=ahead)),
        review=Min("due", filter=Q(state=CardState.State.REVIEW, due__gt=now)),
    )
    back = min((m.buried_until for m in marks.values() if m.is_buried(now)), default=None)
    moments = [
        now + MAX_AGE,
        scheduling.next_day_start(now, profile.tzinfo),
        bounds["step"] - scheduling.LEARN_AHEAD if bounds["step"] else None,
        bounds["review"],
        back,
    ]
    kept = Queue(
        topic_id=topic.pk if topic else None,
        version=version,
        content=content_version(learner),
        settings=learner_settings(profile),
        valid_until=min(m for m in moments if m is not None),
        learning=_line([(s.due, s.pk, s.card_id, s.state) for s in learning]),
        review=_line([(s.due, s.pk, s.card_id, s.state) for s in review]),
        new=_line([(rank, card.pk) for rank, card in enumerate(new)], card_at=1),
        counts={
            "learning": counts["learning"],
            "review": counts["review"],
            "introduced_today": counts["introduced_today"],
            "new_total": new_total,
        },
        held=held,
        marks=marks,
    )
    cache.set(_key(learner.pk, kept.topic_id), kept, TTL)


def forget(learner, topic) -> None:
    cache.delete(_key(learner.pk, topic.pk if topic else None))


def _line(rows: list[tuple], card_at: int = 2) -> Line:
    return Line(rows=rows[:HEAD], more=len(rows) > HEAD, card_at=card_at)


@dataclass
class Pick:
    """What the copy says after a rating: the card to show (None: the session is done, which
    the full build describes), its state (None for a new card), the counts, new cards left."""

    card_id: int | None
    state_pk: int | None
    due: dt.datetime | None
    counts: dict
    new_left: int
    new_total: int
    mark: CardMark | None


def after_rating(learner, profile, *, topic, now, card, state_pk, before, after) -> Pick | None:
    """Move the rated `card` (its CardState `state_pk`, memory `before` → `after`, rated at
    `now`) in the kept queue and pick the next card; None when the copy cannot answer exactly
    (then: the full build)."""
    if not enabled():
        return None
    key = _key(learner.pk, topic.pk if topic else None)
    queue: Queue | None = cache.get(key)
    if (
        queue is None
        or queue.version != profile.data_version
        or queue.content != content_version(learner)
        or queue.settings != learner_settings(profile)
        or now >= queue.valid_until
        or card.pk in queue.held
        or (topic is not None and card.topic_id != topic.pk)
    ):
        return None
    cache.delete(key)  # used once: whatever happens next, a stale copy is never read again
    counts = queue.counts
    ahead = now + scheduling.LEARN_AHEAD
    # Out of the line it was in (as the counts had it at `now`: nothing crossed since).
    if before is None:
        counts["new_total"] -= 1
        counts["introduced_today"] += 1
        queue.new.drop(card.pk)
    elif before.state != scheduling.State.Review and before.due <= ahead:
        counts["learning"] -= 1
        queue.learning.drop(card.pk)
    elif before.state == scheduling.State.Review and before.due <= now:
        counts["review"] -= 1
        queue.review.drop(card.pk)
    else:
        return None  # rated early (custom study): not a card this queue holds
    # Into the learning line when its next step falls in the window; else a moment to watch.
    if after.state != scheduling.State.Review and after.due <= ahead:
        counts["learning"] += 1
        row = (after.due, state_pk, card.pk, int(after.state))
        rows = queue.learning.rows
        if not queue.learning.more or (rows and row[:2] < rows[-1][:2]):
            bisect.insort(rows, row, key=lambda r: r[:2])
    elif after.state != scheduling.State.Review:
        queue.valid_until = min(queue.valid_until, after.due - scheduling.LEARN_AHEAD)
    else:
        queue.valid_until = min(queue.valid_until, after.due)
    if min(counts.values()) < 0 or now >= queue.valid_until:
        return None

    new_left = scheduling.new_cards_left(
        limit=profile.new_limit(now), introduced_today=counts["introduced_today"]
    )
    heads = []
    for line, count in ((queue.learning, counts["learning"]), (queue.review, counts["review"])):
        if count and not line.rows:
            return None  # the line goes on past its kept head
        if line.rows:
            due, head_pk, card_id, state = line.rows[0]
            memory = scheduling.Memory(
                state=scheduling.State(state),
                step=None,
                stability=None,
                difficulty=None,
                due=due,
                last_review=None,
            )
            heads.append(((card_id, head_pk, due), memory))
    new_head = []
    if new_left > 0 and counts["new_total"]:
        if not queue.new.rows:
            return None
        new_head = [(queue.new.rows[0][1], None, None)]
    chosen = scheduling.pick_next(heads, new_head, now=now, new_left=1 if new_head else 0)
    if chosen is None:
        return None  # the session is done: the full build says when the next card comes
    queue.version = profile.data_version + 1  # the rating's own UPDATE moved it once
    cache.set(key, queue, TTL)
    card_id, head_pk, due = chosen
    return Pick(
        card_id=card_id,
        state_pk=head_pk,
        due=due,
        counts={"learning": counts["learning"], "review": counts["review"]},
        new_left=new_left,
        new_total=counts["new_total"],
        mark=queue.marks.get(card_id),
    )
