"""A learner's own cards: add, edit, delete (with their review history), and delete them all
when the account goes.

An own card is a `Flashcard` with `owner` set, published at once, in no pack: the review
session, the scheduler and the daily new-card limit treat it like any other card
(`studyable_q`), and nobody else reaches it (`visible_q` excludes owned cards).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db import transaction

from content.models import CardKind, Flashcard, Status, Topic
from profiles.models import Profile
from quizzes.models import CardState, ReviewLog
from quizzes.services import WriteRefused

MAX_OWN_CARDS = 5000  # per learner: a generous deck, and a bound on what one account can store


def _sides(kind: str, front: str, back: str, text: str) -> dict:
    """The fields of one kind; the other kind's are emptied (a card is one or the other)."""
    if kind == CardKind.CLOZE:
        return {"kind": CardKind.CLOZE, "front": "", "back": "", "text": text.strip()}
    return {"kind": CardKind.BASIC, "front": front.strip(), "back": back.strip(), "text": ""}


@transaction.atomic
def own_card_create(
    *, learner: User, kind: str, topic: Topic | None, front: str, back: str, text: str
) -> Flashcard:
    """Add a card of the learner's own (validated by `OwnCardForm`); it is new in their queue.

    Refuses (WriteRefused, nothing written) beyond MAX_OWN_CARDS cards.
    """
    # Serialise a learner's adds so two tabs cannot both pass the cap.
    Profile.objects.select_for_update().filter(user=learner).first()
    if Flashcard.objects.filter(owner=learner).count() >= MAX_OWN_CARDS:
        raise WriteRefused(
            f"You have {MAX_OWN_CARDS:,} cards of your own, the most one account can hold; "
            "delete some to add more.",
            code="own_card_limit",
        )
    return Flashcard.objects.create(
        slug=f"own-{uuid.uuid4().hex}",
        owner=learner,
        topic=topic,
        status=Status.PUBLISHED,
        **_sides(kind, front, back, text),
    )


@transaction.atomic
def own_card_update(
    *, card: Flashcard, kind: str, topic: Topic | None, front: str, back: str, text: str
) -> Flashcard:
    """Change an own card's text, kind or topic; its schedule and review history stay (as
    editing a note in Anki). The caller has checked the card is the learner's."""
    assert card.owner_id is not None, "only a learner's own card is edited here"
    for name, value in {"topic": topic, **_sides(kind, front, back, text)}.items():
        setattr(card, name, value)
    card.save(update_fields=["topic", "kind", "front", "back", "text", "updated_at"])
    return card


@transaction.atomic
def own_card_delete(*, learner: User, card: Flashcard) -> None:
    """Delete one of the learner's own cards with its schedule and its ratings (the card
    rows protect the history of pack cards; an own card's history goes with it)."""
    assert card.owner_id == learner.pk, "only the owner deletes an own card"
    ReviewLog.objects.filter(card=card).delete()
    CardState.objects.filter(card=card).delete()
    card.delete()


@transaction.atomic
def own_cards_delete_all(*, learner: User) -> int:
    """Delete every own card of the learner with its states and ratings (account deletion:
    the ratings' PROTECT would otherwise refuse to delete the cards); returns the count."""
    ReviewLog.objects.filter(card__owner=learner).delete()
    CardState.objects.filter(card__owner=learner).delete()
    _, by_model = Flashcard.objects.filter(owner=learner).delete()
    return by_model.get(Flashcard._meta.label, 0)
