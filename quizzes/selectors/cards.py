"""The flashcard pages: the review session (`/cards/review/`) and the decks page (`/cards/`).

Every read is one learner's: CardState through its (learner, due) index and the
(learner, card) unique constraint, ReviewLog through (learner, reviewed_at); the published
card bank is read by topic. A fixed number of queries per page whatever the history size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from content.markdown import render_cloze
from content.models import CardKind, Fact, Flashcard, Topic
from profiles.models import Profile
from quizzes import scheduling
from quizzes.models import CardMark, CardState, ReviewLog
from quizzes.scoring import percent
from quizzes.selectors import review_queue
from quizzes.selectors.card_study import Custom
from quizzes.services.cards import UNDO_WINDOW, review_seed, state_memory
from studyapp.freshness import content_cached

RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
FORECAST_DAYS = 30
HISTORY_DAYS = 30


@dataclass
class Button:
    rating: int
    label: str
    interval: str
    key: str


@dataclass
class Session:
    """Everything the `session` partial shows."""

    topic: Topic | None
    custom: Custom | None = None
    card: Flashcard | None = None
    shown_reps: int = 0
    is_new: bool = False
    state_label: str = ""
    buttons: list[Button] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    remaining: int = 0
    next_due: dt.datetime | None = None
    next_due_in: str = ""
    next_due_today: bool = False
    new_waiting: int = 0
    new_resume: dt.datetime | None = None
    undo: ReviewLog | None = None
    shown_at_ms: int = 0
    cloze: dict | None = None
    fact: Fact | None = None
    mark: CardMark | None = None
    reason: str = ""


def _new_cards(learner, topic: Topic | None, *, now):
    """Cards the learner studies (published, or their own) and has never rated, not
    suspended or buried, in study order: cards a Prelims mistake brought back first, then
    topic order (own cards without a topic last), then pk."""
    marks = CardMark.objects
    qs = (
        Flashcard.objects.for_learner(learner)
        .exclude(states__learner=learner)
        .exclude(marks.held_now(learner, now=now, card_ref="pk"))
        .annotate(missed=marks.missed(learner, card_ref="pk"))
        .select_related("topic")
    )
    if topic is not None:
        qs = qs.filter(topic=topic)
    return qs.order_by("-missed", F("topic__order").asc(nulls_last=True), "pk")


def _as_offered(memory: scheduling.Memory, now, custom: Custom | None) -> scheduling.Memory:
    """In custom study a Review card not due yet is offered as if due (for the queue order
    only: the buttons use the real memory)."""
    if custom is None or memory.state != scheduling.State.Review or memory.due <= now:
        return memory
    return replace(memory, due=now)


def missed_reason(mark: CardMark | None, state: CardState | None, tz) -> str:
    """Why a card is in the queue after a Prelims mistake ("" when it is not, or no longer:
    the card has been reviewed since)."""
    if mark is None or not mark.missed_since(state.last_review if state else None):
        return ""
    if mark.missed_in:
        return f"You missed this in {mark.missed_in}."
    day = timezone.localtime(mark.missed_at, tz)
    return f"You missed this in practice on {day.day} {day:%b}."


def review_session(
    learner,
    profile: Profile,
    *,
    topic: Topic | None,
    now,
    prefer=None,
    custom: Custom | None = None,
    rated: ReviewLog | None = None,
) -> Session:
    """The review page's `session` partial (`/cards/review/`): the next card and what remains
    (a fixed number of queries).

    `prefer` is a card id to show first if it may be rated now (the card just undone).
    `custom` is a custom-study session: review ahead or a topic's cards again, in place of
    the due reviews and without new cards (learning steps still come back when due).
    `rated` is the rating this session answers (from `card_review`, which the view just
    called): the queue kept since the last full build (`review_queue`) answers it when it can.
    """
    if rated is not None and prefer is None and custom is None:
        session = _after_rating(learner, profile, topic=topic, now=now, rated=rated)
        if session is not None:
            return session
    tz = profile.tzinfo
    counts = CardState.objects.session_counts(
        learner,
        now=now,
        learn_ahead=scheduling.LEARN_AHEAD,
        day_start=scheduling.day_start(now, tz),
        topic=topic,
    )
    new_left = scheduling.new_cards_left(
        limit=profile.new_limit(now), introduced_today=counts["introduced_today"]
    )
    extra_qs = None
    if custom is not None:
        extra_qs = CardState.objects.custom_study(
            learner, now=now, since=custom.since, due_by=custom.due_by(now), topic=topic
        )
        counts["review"] = extra_qs.count()
        new_left = 0
    new_qs = _new_cards(learner, topic, now=now)
    new_total = new_qs.count()
    new_now = min(new_total, new_left)
    session = Session(
        custom=custom,
        topic=topic,
        counts={"new": new_now, "learning": counts["learning"], "review": counts["review"]},
        remaining=new_now + counts["learning"] + counts["review"],
        shown_at_ms=int(now.timestamp() * 1000),
    )

    seen: list[tuple[Flashcard, CardState]] = []
    new_card: Flashcard | None = None
    preferred = None
    if prefer is not None:
        preferred_qs = Flashcard.objects.for_learner(learner).filter(pk=prefer)
        preferred = preferred_qs.select_related("topic").first()
        if preferred is None:
            raise Http404("No such card of yours.")  # nor another learner's own card
        if topic is not None and preferred.topic_id != topic.pk:
            preferred = None
    if preferred is not None:
        state = CardState.objects.filter(learner=learner, card=preferred).first()
        if state is None:
            new_card = preferred if new_left > 0 else None
        elif scheduling.is_due(state_memory(state), now=now, learn_ahead=True):
            seen.append((preferred, state))
    if not seen and new_card is None:
        # With the queue kept, each line's head (HEAD + 1 rows: one more tells it goes on).
        rows = review_queue.HEAD + 1 if custom is None and review_queue.enabled() else 1
        learn_ahead = scheduling.LEARN_AHEAD
        lines = [
            CardState.objects.learning_line(learner, now=now, learn_ahead=learn_ahead, topic=topic),
            CardState.objects.review_line(learner, now=now, topic=topic)
            if extra_qs is None
            else extra_qs,
        ]
        learning, review = (list(line.select_related("card__topic")[:rows]) for line in lines)
        seen.extend((state.card, state) for state in (learning[:1] + review[:1]))
        new_cards = list(new_qs[:rows]) if new_left > 0 else []
        new_card = new_cards[0] if new_cards else None
        if rows > 1:
            version = profile.data_version + (1 if rated is not None else 0)
            review_queue.keep(
                learner,
                profile,
                topic=topic,
                now=now,
                version=version,
                counts=counts,
                new_total=new_total,
                learning=learning,
                review=review,
                new=new_cards,
            )

    states = {card.pk: state for card, state in seen}
    card = scheduling.pick_next(
        [(card, _as_offered(state_memory(state), now, custom)) for card, state in seen],
        [new_card] if new_card else [],
        now=now,
        new_left=1 if new_card else 0,
    )
    if card is not None:
        _show(session, card, states.get(card.pk), learner, profile, now)
    else:
        session.next_due = CardState.objects.next_due_at(learner, now=now, topic=topic)
        if session.next_due:
            session.next_due_in, session.next_due_today = scheduling.due_phrase(
                session.next_due, now=now, tz=tz
            )
        session.new_waiting = new_total
        if new_total and new_left == 0:
            session.new_resume = scheduling.next_day_start(now, tz)

    # Only the last hour can be undone: the time bound keeps this on (learner, reviewed_at)
    # instead of walking the whole log backwards by id.
    session.undo = (
        ReviewLog.objects.filter(learner=learner, reviewed_at__gte=now - UNDO_WINDOW)
        .order_by("-pk")
        .select_related("card")
        .first()
    )
    return session


def _after_rating(learner, profile: Profile, *, topic, now, rated: ReviewLog) -> Session | None:
    """The session after `rated`, from the kept queue (`review_queue`): the next card read
    with its state in one query; None when the queue cannot answer exactly."""
    before = scheduling.Memory.from_json(rated.state_before) if rated.state_before else None
    pick = review_queue.after_rating(
        learner,
        profile,
        topic=topic,
        now=now,
        card=rated.card,
        state_pk=rated.card_state.pk,
        before=before,
        after=scheduling.Memory.from_json(rated.state_after),
    )
    if pick is None:
        return None
    if pick.state_pk is not None:
        state = (
            CardState.objects.filter(pk=pick.state_pk, learner=learner)
            .select_related("card__topic")
            .first()
        )
        if state is None or state.due != pick.due:
            review_queue.forget(learner, topic)
            return None
        card = state.card
    else:
        state = None
        card = Flashcard.objects.select_related("topic").filter(pk=pick.card_id).first()
        if card is None or not card.studyable_by(learner):
            review_queue.forget(learner, topic)
            return None
    new_now = min(pick.new_total, pick.new_left)
    session = Session(
        topic=topic,
        counts={"new": new_now, **pick.counts},
        remaining=new_now + pick.counts["learning"] + pick.counts["review"],
        shown_at_ms=int(now.timestamp() * 1000),
    )
    _show(session, card, state, learner, profile, now, mark=pick.mark)
    session.undo = rated  # the learner's latest rating, this one
    return session


def studyable_card(learner, pk: int) -> Flashcard:
    """The card `learner` may study with id `pk`, with its topic (404 otherwise): a visible
    pack card from the content cache (the same for every learner, kept while the content
    version stays), else the learner's own card."""
    card = content_cached(
        learner,
        "pack-card",
        lambda: Flashcard.objects.visible().select_related("topic").filter(pk=pk).first(),
        parts=(pk,),
    )
    if card is None:
        cards = Flashcard.objects.for_learner(learner).select_related("topic")
        card = get_object_or_404(cards, pk=pk)
    return card


def _first_fact(learner, card: Flashcard) -> Fact | None:
    """The card's first visible fact (a pack card's from the content cache)."""
    first = lambda: card.facts.visible().order_by("pk").first()  # noqa: E731
    if card.owner_id is not None:
        return first()  # a learner's own card: their writes, not the content version
    return content_cached(learner, "card-fact", first, parts=(card.pk,))


_READ = object()


def _show(
    session: Session,
    card: Flashcard,
    state: CardState | None,
    learner,
    profile,
    now,
    *,
    mark: CardMark | None | object = _READ,
):
    """Fill in the card to show: its text, fact, marks (`mark`: already known, else read),
    and the four buttons' intervals."""
    memory = state_memory(state) if state else None
    reps = state.reps if state else 0
    previews = scheduling.preview(
        memory,
        now=now,
        desired_retention=profile.desired_retention,
        seed=review_seed(card.pk, reps),
    )
    session.card = card
    session.cloze = _cloze(card)
    session.fact = _first_fact(learner, card)
    session.shown_reps = reps
    if mark is _READ:
        mark = CardMark.objects.filter(learner=learner, card=card).first()
    session.mark = mark
    session.reason = missed_reason(session.mark, state, profile.tzinfo)
    session.is_new = state is None
    session.state_label = "New" if state is None else state.get_state_display()
    session.buttons = [
        Button(
            rating=int(rating),
            label=RATING_LABELS[int(rating)],
            interval=scheduling.interval_label(after.due - now),
            key=str(int(rating)),
        )
        for rating, after in previews.items()
    ]


def _cloze(card: Flashcard) -> dict | None:
    """The cloze text as HTML for the review (blanks, answers the reveal shows), the card
    page's front and back, and every answer for the no-CSS fallback (None for a basic card)."""
    if card.kind != CardKind.CLOZE:
        return None
    segments = card.cloze_segments()
    return {
        "review": render_cloze(segments, side="review"),
        "front": render_cloze(segments, side="front"),
        "back": render_cloze(segments, side="back"),
        "answer": " · ".join(s["answer"] for s in segments if "blank" in s),
    }


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    extra: str = ""


CHART_WIDTH, CHART_HEIGHT = 600, 120


def _bars(values: list[tuple[str, int, str]]) -> list[Bar]:
    """Lay out bar-chart columns (label, value, extra text) in a CHART_WIDTH×CHART_HEIGHT box."""
    top = max((v for _, v, _ in values), default=0) or 1
    step = CHART_WIDTH / max(len(values), 1)
    bars = []
    for i, (label, value, extra) in enumerate(values):
        height = round(value / top * (CHART_HEIGHT - 4), 1)
        if value and height < 2:
            height = 2.0  # a day with reviews never looks empty
        bars.append(
            Bar(
                label,
                value,
                x=round(i * step + step * 0.15, 1),
                y=round(CHART_HEIGHT - height, 1),
                width=round(step * 0.7, 1),
                height=height,
                extra=extra,
            )
        )
    return bars


def _own_by_topic(learner) -> dict[int | None, int]:
    """{topic id (None: no topic): the learner's own cards that they study} in one query."""
    rows = (
        Flashcard.objects.for_learner(learner)
        .filter(owner=learner)
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
    )
    return {row["topic"]: row["n"] for row in rows}


def _decks(learner, *, now) -> list[dict]:
    """One deck per published topic with cards (the learner's own cards in it included), and
    one for own cards without a topic (`topic` None): total, new, learning, learned, due."""
    by_topic = CardState.objects.counts_by_topic(learner, now=now)
    own = _own_by_topic(learner)
    decks = []
    for topic in [*Topic.objects.for_list(), None]:
        row = by_topic.get(topic.pk if topic else None, {})
        total = (topic.card_count if topic else 0) + own.get(topic.pk if topic else None, 0)
        decks.append(
            {
                "topic": topic,
                "total": total,
                "new": max(0, total - row.get("seen", 0)),
                "learning": row.get("learning", 0),
                "learned": row.get("learned", 0),
                "due": row.get("due", 0),
            }
        )
    return [d for d in decks if d["total"]]


def _forecast_bars(learner, *, now, tz) -> list[Bar]:
    """Cards due each local day for FORECAST_DAYS days; overdue cards count for today."""
    today_start = scheduling.day_start(now, tz)
    today = timezone.localtime(now, tz).date()
    end = scheduling.day_start(
        dt.datetime.combine(today + dt.timedelta(days=FORECAST_DAYS), dt.time(12), tzinfo=tz), tz
    )
    forecast = CardState.objects.due_forecast(learner, start=today_start, end=end, tz=tz)
    overdue = CardState.objects.overdue_count(learner, before=today_start)
    values = []
    for i in range(FORECAST_DAYS):
        day = today + dt.timedelta(days=i)
        n = forecast.get(day, 0) + (overdue if i == 0 else 0)
        label = "Today" if i == 0 else ("Tomorrow" if i == 1 else day.strftime("%a %-d %b"))
        extra = f"(incl. {overdue} overdue)" if i == 0 and overdue else ""
        values.append((label, n, extra))
    return _bars(values)


def _history_bars(learner, *, now, tz) -> list[Bar]:
    """Ratings per local day over the last HISTORY_DAYS days, with how many were Again."""
    today = timezone.localtime(now, tz).date()
    since = scheduling.day_start(now - dt.timedelta(days=HISTORY_DAYS - 1), tz)
    per_day = ReviewLog.objects.per_day(learner, since=since, tz=tz)
    values = []
    for i in range(HISTORY_DAYS - 1, -1, -1):
        day = today - dt.timedelta(days=i)
        row = per_day.get(day, {"reviews": 0, "again": 0})
        label = "Today" if i == 0 else day.strftime("%a %-d %b")
        extra = f"{row['again']} Again" if row["again"] else ""
        values.append((label, row["reviews"], extra))
    return _bars(values)


def decks_page(learner, profile: Profile, *, now: dt.datetime) -> dict:
    """The decks page (`/cards/`): decks by topic with new / learning / due counts, the due
    forecast, reviews per day and true retention."""
    tz = profile.tzinfo
    decks = _decks(learner, now=now)
    totals = CardState.objects.session_counts(
        learner,
        now=now,
        learn_ahead=scheduling.LEARN_AHEAD,
        day_start=scheduling.day_start(now, tz),
    )
    new_left = scheduling.new_cards_left(
        limit=profile.new_limit(now), introduced_today=totals["introduced_today"]
    )
    new_total = sum(d["new"] for d in decks)
    forecast_bars = _forecast_bars(learner, now=now, tz=tz)
    forecast_total = sum(b.value for b in forecast_bars)
    history_bars = _history_bars(learner, now=now, tz=tz)
    retention = ReviewLog.objects.true_retention(learner, now=now)
    return {
        "decks": decks,
        "totals": {
            "new_today": min(new_total, new_left),
            "new_total": new_total,
            "learning": totals["learning"],
            "review": totals["review"],
            "due": totals["learning"] + totals["review"],
        },
        "profile": profile,
        "forecast_bars": forecast_bars,
        "forecast_total": forecast_total,
        "busiest": max(forecast_bars, key=lambda b: b.value) if forecast_total else None,
        "history_bars": history_bars,
        "history_max": max((b.value for b in history_bars), default=0),
        "forecast_max": max((b.value for b in forecast_bars), default=0),
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT},
        "history_total": sum(b.value for b in history_bars),
        "active_days": sum(1 for b in history_bars if b.value),
        "retention": {
            "week": percent(retention["passed_7"], retention["total_7"]),
            "week_n": retention["total_7"],
            "month": percent(retention["passed_30"], retention["total_30"]),
            "month_n": retention["total_30"],
            "target": percent(profile.desired_retention, 1),
        },
    }
