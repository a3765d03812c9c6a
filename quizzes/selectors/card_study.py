"""The learner's own handling of their cards: the list of suspended, buried and flagged
cards (`/cards/marked/`) and the custom study page (`/cards/custom/`).

Reads go through CardMark's (learner, card) unique index; one query per list whatever the
size of the bank or the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from quizzes.models import CardMark


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
