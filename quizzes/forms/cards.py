"""Flashcard forms: rate the card shown, undo the latest rating, mark a card, custom study."""

from __future__ import annotations

from django import forms

from content.models import Topic
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
    custom = forms.CharField(required=False, max_length=40)
    shown_at = forms.IntegerField(required=False, min_value=0)
    duration_ms = forms.IntegerField(required=False, min_value=0)


class RatingUndoForm(forms.Form):
    """Undo of the learner's latest rating."""

    log = forms.IntegerField(min_value=1)
    topic = forms.SlugField(required=False)
    custom = forms.CharField(required=False, max_length=40)


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
    custom = forms.CharField(required=False, max_length=40)
    back = forms.ChoiceField(choices=[("review", "review"), ("list", "list")], required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == MarkAction.FLAG and not data.get("flag"):
            self.add_error("flag", "Choose a flag colour.")
        return data


class CustomStudyForm(forms.Form):
    """Custom study, Anki's way: more new cards today, review ahead, or a topic's cards again."""

    NEW, AHEAD, AGAIN = "new", "ahead", "again"

    kind = forms.ChoiceField(
        choices=[
            (NEW, "Extra new cards today"),
            (AHEAD, "Review ahead"),
            (AGAIN, "A topic's cards again"),
        ]
    )
    new_cards = forms.IntegerField(
        min_value=1, max_value=200, required=False, label="How many extra new cards"
    )
    days = forms.IntegerField(
        min_value=1, max_value=30, required=False, label="Cards due in the next … days"
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.visible().order_by("order", "title"),
        to_field_name="slug",
        required=False,
        empty_label="Choose a topic",
    )

    def clean(self):
        data = super().clean()
        needs = {self.NEW: "new_cards", self.AHEAD: "days", self.AGAIN: "topic"}
        field = needs.get(data.get("kind"))
        if field and not data.get(field) and field not in self.errors:
            self.add_error(field, "This field is required.")
        return data
