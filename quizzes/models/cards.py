"""FSRS card states and the review log of every rating."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncDate

from content.models import Flashcard, studyable_q

User = settings.AUTH_USER_MODEL


class CardStateQuerySet(models.QuerySet):
    """Reads for the review session and the decks page; always scoped to one learner."""

    def live(self, learner, *, topic=None):
        """The learner's states of cards they study (published pack cards and their own
        cards: `studyable_q`), optionally of one topic."""
        qs = self.filter(studyable_q(learner, "card"), learner=learner)
        return qs.filter(card__topic=topic) if topic is not None else qs

    def queue(self, learner, *, now, topic=None):
        """`live()` without the cards the learner has suspended or buried at `now`."""
        held = CardMark.objects.held_now(learner, now=now, card_ref="card")
        return self.live(learner, topic=topic).exclude(held)

    def session_counts(self, learner, *, now, learn_ahead, day_start, topic=None) -> dict:
        """One aggregate: `learning` steps due by now+learn_ahead, `review` cards due now
        (both in the topic, if given; neither suspended nor buried) and `introduced_today`
        (all topics: the daily new-card limit is per learner)."""
        in_topic = studyable_q(learner, "card") & ~Q(
            CardMark.objects.held_now(learner, now=now, card_ref="card")
        )
        if topic is not None:
            in_topic &= Q(card__topic=topic)
        learning = Q(state__in=[CardState.State.LEARNING, CardState.State.RELEARNING])
        return self.filter(learner=learner).aggregate(
            learning=Count("pk", filter=in_topic & learning & Q(due__lte=now + learn_ahead)),
            review=Count("pk", filter=in_topic & Q(state=CardState.State.REVIEW, due__lte=now)),
            introduced_today=Count("pk", filter=Q(introduced_at__gte=day_start)),
        )

    def learning_line(self, learner, *, now, learn_ahead, topic=None):
        """Learning/relearning states due within now+learn_ahead, soonest first."""
        return (
            self.queue(learner, now=now, topic=topic)
            .filter(
                state__in=[CardState.State.LEARNING, CardState.State.RELEARNING],
                due__lte=now + learn_ahead,
            )
            .order_by("due", "pk")
        )

    def review_line(self, learner, *, now, topic=None):
        """Review-state cards due at `now`, most overdue first."""
        return (
            self.queue(learner, now=now, topic=topic)
            .filter(state=CardState.State.REVIEW, due__lte=now)
            .order_by("due", "pk")
        )

    def next_learning(self, learner, *, now, learn_ahead, topic=None):
        """The learning/relearning state due soonest within now+learn_ahead, with its card."""
        line = self.learning_line(learner, now=now, learn_ahead=learn_ahead, topic=topic)
        return line.select_related("card__topic").first()

    def next_review(self, learner, *, now, topic=None):
        """The Review-state card most overdue at `now`, with its card."""
        return self.review_line(learner, now=now, topic=topic).select_related("card__topic").first()

    def custom_study(self, learner, *, now, since, due_by=None, topic=None):
        """Custom study's cards: started, not reviewed since the session began (`since`), due
        by `due_by` (review ahead; None: any, a topic's cards again); most due first."""
        qs = self.queue(learner, now=now, topic=topic).filter(last_review__lt=since)
        if due_by is not None:
            qs = qs.filter(due__lte=due_by)
        return qs.select_related("card__topic").order_by("due", "pk")

    def next_due_at(self, learner, *, now, topic=None):
        """When the learner's next card (after `now`) comes due, or None."""
        qs = self.queue(learner, now=now, topic=topic).filter(due__gt=now)
        return qs.aggregate(at=Min("due"))["at"]

    def counts_by_topic(self, learner, *, now) -> dict[int, dict]:
        """{topic id: {seen, learning, learned, due}} for the learner's published cards.

        `learned`: cards in Review state; `due`: cards due at `now` and neither suspended
        nor buried. One grouped query.
        """
        held = CardMark.objects.held_now(learner, now=now, card_ref="card")
        rows = (
            self.live(learner)
            .order_by()
            .values("card__topic")
            .annotate(
                seen=Count("pk"),
                learning=Count(
                    "pk",
                    filter=Q(state__in=[CardState.State.LEARNING, CardState.State.RELEARNING]),
                ),
                learned=Count("pk", filter=Q(state=CardState.State.REVIEW)),
                due=Count("pk", filter=Q(due__lte=now) & ~Q(held)),
            )
        )
        return {row.pop("card__topic"): row for row in rows}

    def due_forecast(self, learner, *, start, end, tz) -> dict[dt.date, int]:
        """{local date: cards due that day} for due times in [start, end), dates in `tz`."""
        rows = (
            self.live(learner)
            .filter(due__gte=start, due__lt=end)
            .order_by()
            .annotate(day=TruncDate("due", tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        return {row["day"]: row["n"] for row in rows}

    def overdue_count(self, learner, *, before) -> int:
        """The learner's published cards due before `before` (start of today: overdue)."""
        return self.live(learner).filter(due__lt=before).count()

    def due_summary(self, learner, *, now, until=None) -> dict:
        """One aggregate over the learner's published cards: `seen`, `due_now` (due at `now`)
        and `due_until` (coming due by `until`, e.g. the end of the exam day; 0 without)."""
        counts = {"seen": Count("pk"), "due_now": Count("pk", filter=Q(due__lte=now))}
        if until is not None:
            counts["due_until"] = Count("pk", filter=Q(due__lte=until))
        return {"due_until": 0} | self.live(learner).aggregate(**counts)

    def lapses_by_fact(self, learner, *, limit: int = 20) -> dict[int, int]:
        """{fact id: lapses} summed over the learner's cards citing the fact, most first."""
        rows = (
            self.filter(learner=learner, lapses__gt=0, card__facts__isnull=False)
            .order_by()
            .values("card__facts")
            .annotate(n=Sum("lapses"))
            .order_by("-n", "card__facts")[:limit]
        )
        return {row["card__facts"]: row["n"] for row in rows}


class ReviewLogQuerySet(models.QuerySet):
    def per_day(self, learner, *, since, tz) -> dict[dt.date, dict]:
        """{local date: {reviews, again}} of the learner's ratings since `since`, in `tz`."""
        rows = (
            self.filter(learner=learner, reviewed_at__gte=since)
            .order_by()
            .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
            .values("day")
            .annotate(reviews=Count("pk"), again=Count("pk", filter=Q(rating=1)))
        )
        return {row.pop("day"): row for row in rows}

    def true_retention(self, learner, *, now) -> dict:
        """Ratings of cards that were in Review state, last 7 and 30 days: totals and passes.

        True retention = passes / total, a pass being any rating above Again (as Anki's
        "true retention"); learning steps are left out. One aggregate query.
        """
        review = Q(state_before__state=CardState.State.REVIEW)
        week = Q(reviewed_at__gte=now - dt.timedelta(days=7))
        passed = Q(rating__gt=1)
        return self.filter(
            learner=learner, reviewed_at__gte=now - dt.timedelta(days=30), reviewed_at__lte=now
        ).aggregate(
            total_30=Count("pk", filter=review),
            passed_30=Count("pk", filter=review & passed),
            total_7=Count("pk", filter=review & week),
            passed_7=Count("pk", filter=review & week & passed),
        )

    def recall_by_topic(self, learner) -> dict[int, dict]:
        """{topic id: {reviews, recalled}} over all the learner's ratings (recalled: not Again).

        Grouped by the card's topic in the database: one query whatever the history size.
        """
        rows = (
            self.filter(learner=learner)
            .order_by()
            .values("card__topic")
            .annotate(reviews=Count("pk"), recalled=Count("pk", filter=Q(rating__gt=1)))
        )
        return {row.pop("card__topic"): row for row in rows}

    def sessions(self, *, tz):
        """This queryset's ratings grouped into one row per local day in `tz` (a "review
        session"): `day`, `reviews`, `recalled` (not Again), `cards` (distinct), `ms` (time
        spent), `first` and `last` rating times. Filter first; newest day first."""
        return (
            self.order_by()
            .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
            .values("day")
            .annotate(
                reviews=Count("pk"),
                recalled=Count("pk", filter=Q(rating__gt=1)),
                cards=Count("card", distinct=True),
                ms=Sum("duration_ms"),
                first=Min("reviewed_at"),
                last=Max("reviewed_at"),
            )
            .order_by("-last", "-day")
        )


class CardState(models.Model):
    """A learner's FSRS state for one card (fsrs.Card fields plus counters)."""

    class State(models.IntegerChoices):
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="card_states")
    # PROTECT: deleting a card a learner has studied would erase their history; retire it.
    card = models.ForeignKey(Flashcard, on_delete=models.PROTECT, related_name="states")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    introduced_at = models.DateTimeField(help_text="When the card was first rated (new → seen).")

    objects = CardStateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "card"], name="one_state_per_card")
        ]
        indexes = [models.Index(fields=["learner", "due"])]

    def __str__(self) -> str:
        return f"card {self.card_id} of {self.learner_id}: {self.get_state_display()}"


class ReviewLog(models.Model):
    """One rating of one card; with before/after states history can be replayed or undone."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="review_logs")
    card = models.ForeignKey(Flashcard, on_delete=models.PROTECT, related_name="review_logs")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.JSONField(null=True, blank=True, help_text="null: the card was new")
    state_after = models.JSONField()
    reps_before = models.PositiveIntegerField(
        help_text="CardState.reps when the card was shown: a second rating of the same showing "
        "is refused."
    )

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "card", "reps_before"], name="one_rating_per_showing"
            )
        ]
        indexes = [models.Index(fields=["learner", "reviewed_at"])]

    def __str__(self) -> str:
        return f"card {self.card_id} rated {self.get_rating_display()} by {self.learner_id}"


class CardMarkQuerySet(models.QuerySet):
    """A learner's marks on cards; always filtered by learner first (the unique index)."""

    def held_now(self, learner, *, now, card_ref: str):
        """Exists(): the card named by OuterRef(`card_ref`) is suspended or buried at `now`."""
        return models.Exists(
            self.filter(learner=learner, card=models.OuterRef(card_ref)).filter(
                Q(suspended=True) | Q(buried_until__gt=now)
            )
        )

    def missed(self, learner, *, card_ref: str):
        """Exists(): the card named by OuterRef(`card_ref`) was brought back by a mistake."""
        return models.Exists(
            self.filter(learner=learner, card=models.OuterRef(card_ref), missed_at__isnull=False)
        )

    def listed(self, learner, *, now):
        """The learner's suspended, buried or flagged cards (published, or their own), with
        their topics."""
        return (
            self.filter(studyable_q(learner, "card"), learner=learner)
            .filter(Q(suspended=True) | Q(buried_until__gt=now) | ~Q(flag=CardMark.Flag.NONE))
            .select_related("card__topic")
            .order_by("card__topic__order", "card_id")
        )

    def mistakes_due(self, learner, *, now) -> int:
        """Cards brought back by a mistake and waiting: learned ones due and not reviewed
        since the mistake, unseen ones not yet started; neither suspended nor buried."""
        seen = CardState.objects.filter(learner=learner, card=models.OuterRef("card"))
        waiting = seen.filter(due__lte=now, last_review__lt=models.OuterRef("missed_at"))
        return (
            self.filter(studyable_q(learner, "card"), learner=learner, missed_at__isnull=False)
            .filter(suspended=False)
            .exclude(buried_until__gt=now)
            .filter(models.Exists(waiting) | ~models.Exists(seen))
            .count()
        )


class CardMark(models.Model):
    """A learner's own marks on one card, seen or new: suspended (out of every queue until
    unsuspended), buried (out of the queue until `buried_until`, the learner's next midnight),
    a flag colour, and the last Prelims mistake that brought the card back (when and where,
    shown on the review page as the reason)."""

    class Flag(models.IntegerChoices):
        NONE = 0, "No flag"
        RED = 1, "Red"
        ORANGE = 2, "Orange"
        GREEN = 3, "Green"
        BLUE = 4, "Blue"

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="card_marks")
    card = models.ForeignKey(Flashcard, on_delete=models.CASCADE, related_name="marks")
    suspended = models.BooleanField(default=False)
    buried_until = models.DateTimeField(null=True, blank=True)
    flag = models.PositiveSmallIntegerField(choices=Flag.choices, default=Flag.NONE)
    missed_at = models.DateTimeField(null=True, blank=True)
    missed_in = models.CharField(
        max_length=120, blank=True, default="", help_text='"Mock 3"; empty for practice.'
    )

    objects = CardMarkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "card"], name="one_mark_per_card")
        ]

    def __str__(self) -> str:
        return f"marks on card {self.card_id} of {self.learner_id}"

    def is_buried(self, now: dt.datetime) -> bool:
        return self.buried_until is not None and self.buried_until > now

    def missed_since(self, last_review: dt.datetime | None) -> bool:
        """Whether the mistake came after the card's last review (the reason still applies)."""
        return self.missed_at is not None and (last_review is None or last_review < self.missed_at)
