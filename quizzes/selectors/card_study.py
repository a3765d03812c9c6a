"""The learner's own handling of their cards: the list of suspended, buried and flagged
cards (`/cards/marked/`) and the custom study page (`/cards/custom/`).

Reads go through CardMark's (learner, card) unique index; one query per list whatever the
size of the bank or the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from quizzes.models import CardMark, CardState


@dataclass
class MarkedCards:
    """The `/cards/marked/` page: each list in deck order."""

    suspended: list[CardMark] = field(default_factory=list)
    buried: list[CardMark] = field(default_factory=list)
    flagged: list[CardMark] = field(default_factory=list)

    @property
    def sections(self) -> list[tuple[str, list[CardMark], str, str]]:
        """(heading, marks, the undo action, its button) for each list."""
        return [
            ("Suspended", self.suspended, "unsuspend", "Unsuspend"),
            ("Buried until tomorrow", self.buried, "unbury", "Unbury"),
            ("Flagged", self.flagged, "unflag", "Remove flag"),
        ]

    @property
    def empty(self) -> bool:
        return not (self.suspended or self.buried or self.flagged)


def marked_cards(learner, *, now: dt.datetime) -> MarkedCards:
    """The learner's suspended, buried (until a moment after `now`) and flagged cards."""
    page = MarkedCards()
    for mark in CardMark.objects.listed(learner, now=now):
        if mark.suspended:
            page.suspended.append(mark)
        if mark.is_buried(now):
            page.buried.append(mark)
        if mark.flag:
            page.flagged.append(mark)
    return page


CUSTOM_MAX_AGE = dt.timedelta(hours=12)  # a custom session link older than this has expired
AHEAD_MAX_DAYS = 30


@dataclass(frozen=True)
class Custom:
    """A custom-study session carried in the review URL as one token: "ahead-<days>-<since>"
    (reviews due in the next `days` days) or "again-0-<since>" (every started card of the
    topic). `since` (epoch seconds) is when it began: a card reviewed after it is done."""

    mode: str
    days: int
    since: dt.datetime

    AHEAD = "ahead"
    AGAIN = "again"

    @property
    def token(self) -> str:
        return f"{self.mode}-{self.days}-{int(self.since.timestamp())}"

    def due_by(self, now: dt.datetime) -> dt.datetime | None:
        """The latest due time a card may have to be studied (None: any)."""
        return now + dt.timedelta(days=self.days) if self.mode == self.AHEAD else None

    def rating_due_by(self, card, topic, now: dt.datetime) -> dt.datetime | None:
        """How far ahead of its due time `card` may be rated in this session (None: not)."""
        if self.mode == self.AHEAD:
            return self.due_by(now)
        if topic is not None and card.topic_id == topic.pk:
            return dt.datetime.max.replace(tzinfo=dt.UTC)
        return None

    @classmethod
    def parse(cls, token: str, *, now: dt.datetime, has_topic: bool) -> Custom | None:
        """The session in `token` ("" → None); ValueError with the learner's message."""
        if not token:
            return None
        mode, _, rest = token.partition("-")
        days, _, since = rest.partition("-")
        if mode not in (cls.AHEAD, cls.AGAIN) or not days.isdigit() or not since.isdigit():
            raise ValueError("This custom study link is not valid.")
        if len(since) > 12 or int(days) > AHEAD_MAX_DAYS:
            raise ValueError("This custom study link is not valid.")
        if mode == cls.AHEAD and int(days) < 1:
            raise ValueError("Review ahead takes 1 to 30 days.")
        if mode == cls.AGAIN and not has_topic:
            raise ValueError("Studying a topic's cards again needs a topic.")
        began = dt.datetime.fromtimestamp(int(since), tz=dt.UTC)
        if not now - CUSTOM_MAX_AGE <= began <= now + dt.timedelta(minutes=5):
            raise ValueError("This custom study session has expired: start it again.")
        return cls(mode=mode, days=int(days) if mode == cls.AHEAD else 0, since=began)


def custom_study_page(learner, profile, *, now: dt.datetime) -> dict:
    """The custom study page (`/cards/custom/`): today's new-card limit and how many reviews
    fall in the next week (one COUNT on CardState's (learner, due) index)."""
    week = CardState.objects.queue(learner, now=now).filter(
        due__gt=now, due__lte=now + dt.timedelta(days=7), state=CardState.State.REVIEW
    )
    return {
        "new_limit": profile.new_limit(now),
        "daily_limit": profile.daily_new_cards,
        "ahead_week": week.count(),
    }


def _utc(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat() if value else ""


def card_mark_rows(learner) -> list[dict]:
    """The learner's marks on cards for the data export (`/progress/export/`): one query."""
    rows = (
        CardMark.objects.filter(learner=learner)
        .order_by("card__topic__order", "card_id")
        .values(
            "card__slug",
            "card__topic__slug",
            "suspended",
            "buried_until",
            "flag",
            "missed_at",
            "missed_in",
        )
    )
    return [
        {
            "card": r["card__slug"],
            "topic": r["card__topic__slug"],
            "suspended": r["suspended"],
            "buried_until": r["buried_until"].astimezone(dt.UTC).isoformat()
            if r["buried_until"]
            else "",
            "flag": CardMark.Flag(r["flag"]).label if r["flag"] else "",
            "missed_at": _utc(r["missed_at"]),
            "missed_in": r["missed_in"],
        }
        for r in rows
    ]


CARD_MARK_COLUMNS = [
    "card",
    "topic",
    "suspended",
    "buried_until",
    "flag",
    "missed_at",
    "missed_in",
]
