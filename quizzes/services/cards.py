"""Flashcard writes: rating a card and undoing the last rating.

Each service locks the learner's CardState row (and the profile when a new card is started)
so a double click, a replayed POST or two tabs cannot write two ratings of one showing: the
form carries the card's review count when it was shown (`shown_reps`), a rating is accepted
only while the state still has that count, and ReviewLog's unique (learner, card,
reps_before) constraint backs this up in the database.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from content.models import Flashcard
from profiles.models import Profile
from quizzes import scheduling
from quizzes.models import CardMark, CardState, ReviewLog
from quizzes.services import WriteRefused
from quizzes.services.activity import record_activity
from studyapp.freshness import learner_changed

MAX_DURATION_MS = 10 * 60 * 1000  # longer than this, the learner walked away
UNDO_WINDOW = dt.timedelta(hours=1)  # undo is for slips in the session, not last week


class ReviewRefused(WriteRefused):
    """A rating or undo that must not be written; `code` says why, the message says it."""

    status = 409


def state_memory(state: CardState) -> scheduling.Memory:
    """The scheduling Memory held in a CardState row."""
    return scheduling.Memory(
        state=scheduling.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
        reps=state.reps,
        lapses=state.lapses,
    )


def _store(state: CardState, memory: scheduling.Memory) -> None:
    state.state = int(memory.state)
    state.step = memory.step
    state.stability = memory.stability
    state.difficulty = memory.difficulty
    state.due = memory.due
    state.last_review = memory.last_review
    state.reps = memory.reps
    state.lapses = memory.lapses


def review_seed(card_id: int, reps: int) -> str:
    """Seed for the interval fuzz of one showing: the buttons and the rating agree."""
    return f"{card_id}:{reps}"


@transaction.atomic
def card_review(
    *,
    learner: User,
    profile: Profile,
    card: Flashcard,
    rating: int,
    shown_reps: int,
    now: dt.datetime,
    duration_ms: int | None = None,
    due_by: dt.datetime | None = None,
) -> ReviewLog:
    """Rate one showing of `card` for `learner` at `now`; returns the new ReviewLog (its
    `card_state`: the CardState it saved).

    Refuses (ReviewRefused, nothing written) a card that is not published, a second rating
    of the same showing (`shown_reps` no longer matches), a card that is not due yet, and a
    new card beyond the learner's daily new-card limit. `due_by` (custom study) lets a
    started card due by then be rated early.
    """
    if rating not in {int(r) for r in scheduling.Rating}:
        raise ReviewRefused("Choose Again, Hard, Good or Easy (1–4).", code="bad_rating")
    # The visibility rule (`studyable_q`) on the loaded row: callers select_related its topic.
    if not card.studyable_by(learner):
        raise ReviewRefused("This card is no longer in the deck.", code="retired")
    state = CardState.objects.select_for_update().filter(learner=learner, card=card).first()
    reps = state.reps if state else 0
    if shown_reps != reps:
        raise ReviewRefused(
            "This card was already rated (a double click or a resent form); nothing changed.",
            code="duplicate",
        )
    if state is None:
        # Serialise the starts of new cards per learner so two tabs cannot both pass the limit.
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        introduced = CardState.objects.filter(
            learner=learner,
            introduced_at__gte=scheduling.day_start(now, profile.tzinfo),
        ).count()
        left = scheduling.new_cards_left(limit=profile.new_limit(now), introduced_today=introduced)
        if left < 1:
            raise ReviewRefused(
                "You have reached today's limit of new cards; more tomorrow.", code="limit"
            )
        before = None
    else:
        before = state_memory(state)
        early_ok = due_by is not None and before.due <= due_by
        if not early_ok and not scheduling.is_due(before, now=now, learn_ahead=True):
            raise ReviewRefused("This card is not due yet; nothing changed.", code="not_due")

    after = scheduling.review(
        before,
        rating,
        now=now,
        desired_retention=profile.desired_retention,
        seed=review_seed(card.pk, reps),
    )
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    try:
        # A concurrent first rating of the same new card loses on the unique constraints;
        # the refusal leaves this function's own atomic block, which undoes all of it (no
        # savepoint of its own needed: two statements fewer per rating).
        if state is None:
            state = CardState(learner=learner, card=card, introduced_at=now, due=now)
        _store(state, after)
        state.save()
        log = ReviewLog.objects.create(
            learner=learner,
            card=card,
            rating=rating,
            reviewed_at=now,
            duration_ms=duration_ms,
            state_before=before.as_json() if before else None,
            state_after=after.as_json(),
            reps_before=reps,
        )
        record_activity(learner, now)
        log.card_state = state  # the saved state, for the answer to the rating
    except IntegrityError as exc:
        raise ReviewRefused(
            "This card was already rated (a double click or a resent form); nothing changed.",
            code="duplicate",
        ) from exc
    return log


@transaction.atomic
def card_undo(*, learner: User, log_id: int, now: dt.datetime) -> Flashcard:
    """Undo the learner's most recent rating: restore the card's state and delete the log.

    Raises ReviewLog.DoesNotExist for another learner's (or a missing) log, and ReviewRefused
    when the log is not the learner's latest rating (e.g. an undo clicked twice) or is older
    than UNDO_WINDOW.
    """
    log = ReviewLog.objects.select_for_update().get(pk=log_id, learner=learner)
    latest = ReviewLog.objects.filter(learner=learner).order_by("-pk").values("pk").first()
    if latest is None or latest["pk"] != log.pk:
        raise ReviewRefused("Only your most recent rating can be undone.", code="not_latest")
    if log.reviewed_at < now - UNDO_WINDOW:
        raise ReviewRefused("That rating is too old to undo.", code="too_old")
    state = (
        CardState.objects.select_for_update().filter(learner=learner, card_id=log.card_id).first()
    )
    if state is None or state.reps != log.reps_before + 1:
        raise ReviewRefused("This card has changed since; nothing to undo.", code="changed")
    if log.state_before is None:
        state.delete()  # the card was new: it is new again and counts against no limit
    else:
        _store(state, scheduling.Memory.from_json(log.state_before))
        state.save()
    card = Flashcard.objects.get(pk=log.card_id)
    log.delete()
    learner_changed(log.learner_id)  # review logs and card states send no delete signal
    return card


class MarkAction:
    """What a learner can do to a card outside rating it; each has its undo."""

    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    BURY = "bury"
    UNBURY = "unbury"
    FLAG = "flag"
    UNFLAG = "unflag"

    choices = [
        (SUSPEND, "Suspend"),
        (UNSUSPEND, "Unsuspend"),
        (BURY, "Bury until tomorrow"),
        (UNBURY, "Unbury"),
        (FLAG, "Flag"),
        (UNFLAG, "Remove flag"),
    ]
    done = {
        SUSPEND: "Card suspended: it stays out of your reviews until you unsuspend it.",
        UNSUSPEND: "Card unsuspended: it is back in your reviews.",
        BURY: "Card buried until tomorrow.",
        UNBURY: "Card unburied: it is back in today's reviews.",
        FLAG: "Card flagged.",
        UNFLAG: "Flag removed.",
    }


@transaction.atomic
def card_mark(
    *, learner: User, profile: Profile, card: Flashcard, action: str, flag: int, now: dt.datetime
) -> CardMark:
    """Suspend, bury (until the learner's next midnight), flag with a colour, or undo one of
    these, for one of the learner's cards (seen or new). Scheduling is untouched, so every
    action is reversible. Returns the card's marks."""
    if action not in dict(MarkAction.choices):
        raise WriteRefused(f"Unknown action {action!r}.", code="bad_action")
    if action == MarkAction.FLAG and flag not in CardMark.Flag.values[1:]:
        raise WriteRefused("Choose a flag colour.", code="bad_flag")
    mark, _ = CardMark.objects.select_for_update().get_or_create(learner=learner, card=card)
    if action in (MarkAction.SUSPEND, MarkAction.UNSUSPEND):
        mark.suspended = action == MarkAction.SUSPEND
    elif action == MarkAction.BURY:
        mark.buried_until = scheduling.next_day_start(now, profile.tzinfo)
    elif action == MarkAction.UNBURY:
        mark.buried_until = None
    else:
        mark.flag = flag if action == MarkAction.FLAG else CardMark.Flag.NONE
    mark.save(update_fields=["suspended", "buried_until", "flag"])
    return mark


MAX_EXTRA_NEW = 500


@transaction.atomic
def custom_new_cards(*, profile: Profile, extra: int, now: dt.datetime) -> int:
    """Raise the learner's new-card limit for their current local day by `extra` (custom
    study); asked twice the same day, the extras add up. Returns today's limit."""
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    today = now.astimezone(profile.tzinfo).date()
    already = profile.extra_new_cards if profile.extra_new_day == today else 0
    profile.extra_new_cards = min(MAX_EXTRA_NEW, already + extra)
    profile.extra_new_day = today
    profile.save(update_fields=["extra_new_cards", "extra_new_day"])
    return profile.new_limit(now)
