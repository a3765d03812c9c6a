"""Flashcard forms: rate the card shown, undo the latest rating."""

from __future__ import annotations

from django import forms

from quizzes.selectors.cards import RATING_LABELS


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
