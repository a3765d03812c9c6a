"""A learner's own cards (`/cards/mine/`): the list, one card to edit or delete, the export.

Reads only the learner's rows: Flashcard through its (owner, -created_at) index, the card's
state through CardState's (learner, card) unique constraint. Another learner's card is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from content.models import Flashcard
from quizzes.models import CardState

PER_PAGE = 50
EXPORT_COLUMNS = ["card", "kind", "topic", "front", "back", "text", "created_at", "updated_at"]


def own_card(learner, pk: int) -> Flashcard:
    """The learner's own card `pk` with its topic; Http404 for anyone else's (or none)."""
    return get_object_or_404(Flashcard.objects.filter(owner=learner).select_related("topic"), pk=pk)


def own_card_list(learner, *, page_number) -> Page:
    """The learner's own cards, newest first, a page at a time, each with `state` (None: new)
    and `due` of its schedule: two queries (count, page) whatever the history."""
    states = CardState.objects.filter(learner=learner, card=OuterRef("pk"))
    cards = (
        Flashcard.objects.filter(owner=learner)
        .select_related("topic")
        .annotate(
            state=Subquery(states.values("state")[:1]),
            due=Subquery(states.values("due")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(cards, PER_PAGE).get_page(page_number)
    labels = dict(CardState.State.choices)
    for card in page.object_list:
        card.state_label = labels.get(card.state, "New")
    return page


def own_card_rows(learner) -> list[dict]:
    """The learner's own cards for the data export (one query), oldest first; times ISO 8601
    in UTC. Their schedules and ratings are in the export's card_states and reviews."""
    return [
        {
            "card": c["slug"],
            "kind": c["kind"],
            "topic": c["topic__slug"] or "",
            "front": c["front"],
            "back": c["back"],
            "text": c["text"],
            "created_at": c["created_at"].astimezone(dt.UTC).isoformat(),
            "updated_at": c["updated_at"].astimezone(dt.UTC).isoformat(),
        }
        for c in Flashcard.objects.filter(owner=learner)
        .order_by("created_at", "pk")
        .values("slug", "kind", "topic__slug", "front", "back", "text", "created_at", "updated_at")
    ]
