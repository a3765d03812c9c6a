"""Flashcard forms: rate the card shown, undo the latest rating, mark a card, custom study."""

from __future__ import annotations

from django import forms

from quizzes.models import CardMark
from quizzes.selectors.cards import RATING_LABELS
from quizzes.services.cards import MarkAction


class CardRatingForm(forms.Form):
    """A rating of the card shown (one per showing: `reps` is the count when it was shown)."""

    card = forms.IntegerField(min_value=1)
    reps = forms.IntegerField(min_value=0)
    rating = forms.TypedChoiceField(
        choices=[(str(k), v) for k, v in RATING_LABELS.items()], coerce=int
    )
    topic = forms.SlugField(required=False)
    shown_at = forms.IntegerField(required=False, min_value=0)
    duration_ms = forms.IntegerField(required=False, min_value=0)


class RatingUndoForm(forms.Form):
    """Undo of the learner's latest rating."""

    log = forms.IntegerField(min_value=1)
    topic = forms.SlugField(required=False)


def card_form_error(form: forms.Form) -> str:
    """Every error of a flashcard form on one line (the 400 response body)."""
    return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())


class CardMarkForm(forms.Form):
    """Suspend / bury / flag a card or undo it, from the review page or the marked list."""

    action = forms.ChoiceField(choices=MarkAction.choices)
    flag = forms.TypedChoiceField(
        choices=[(str(v), label) for v, label in CardMark.Flag.choices[1:]],
        coerce=int,
        required=False,
        empty_value=0,
    )
    topic = forms.SlugField(required=False)
    back = forms.ChoiceField(choices=[("review", "review"), ("list", "list")], required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == MarkAction.FLAG and not data.get("flag"):
            self.add_error("flag", "Choose a flag colour.")
        return data
