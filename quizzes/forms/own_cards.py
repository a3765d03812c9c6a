"""A learner's own card: basic (front and back) or cloze (text with {{c1::answer}} deletions).

Validation only (the write is `quizzes.services.own_cards`). A cloze note makes one card: every
deletion in it (c1, c2 …) is hidden on that card's front and revealed together on its back.
"""

from __future__ import annotations

import re

from django import forms

from content.models import CLOZE_ANY_RE, CardKind, Topic
from quizzes.forms.mains import CleanTextField

MAX_SIDE = 2000  # characters per side: a card is a prompt, not a note
MAX_DELETIONS = 20
# What is left of a deletion once the well-formed ones are taken out: "{{c1::", "{{c::" …
_BROKEN_CLOZE = re.compile(r"\{\{\s*c\d*\s*:|\{\{c\d+::\}\}")


def _text_field(label: str, help_text: str = "", rows: int = 3) -> CleanTextField:
    return CleanTextField(
        label=label,
        required=False,
        max_length=MAX_SIDE,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "true"}),
    )


class OwnCardForm(forms.Form):
    """Add or edit one of the learner's own cards; the topic (a published one) is optional."""

    kind = forms.ChoiceField(
        label="Card type",
        choices=CardKind.choices,
        initial=CardKind.BASIC,
        widget=forms.RadioSelect,
    )
    topic = forms.ModelChoiceField(
        label="Topic (optional)",
        queryset=Topic.objects.visible().order_by("order", "title"),
        required=False,
        empty_label="No topic",
        help_text="Cards in a topic are studied with that topic's deck.",
    )
    front = _text_field("Front", "Basic card: the question or prompt.")
    back = _text_field("Back", "Basic card: the answer.")
    text = _text_field(
        "Cloze text",
        "Cloze card: wrap each answer as {{c1::answer}} (add a hint: {{c1::answer::hint}}). "
        "Every deletion is hidden on the one card.",
        rows=4,
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == CardKind.BASIC:
            for side in ("front", "back"):
                if side in data and not data[side].strip():
                    self.add_error(side, f"A basic card needs a {side}.")
        elif kind == CardKind.CLOZE and "text" in data:
            self._clean_cloze(data["text"])
        return data

    def _clean_cloze(self, text: str) -> None:
        deletions = list(CLOZE_ANY_RE.finditer(text))
        if _BROKEN_CLOZE.search(CLOZE_ANY_RE.sub("", text)) or any(
            not m.group("answer").strip() for m in deletions
        ):
            self.add_error(
                "text",
                "A deletion is not complete: write each as {{c1::answer}} with two braces "
                "on each side and an answer inside.",
            )
        elif not deletions:
            self.add_error(
                "text", "A cloze card needs at least one deletion, written as {{c1::answer}}."
            )
        elif len(deletions) > MAX_DELETIONS:
            self.add_error("text", f"At most {MAX_DELETIONS} deletions on one card.")
        elif not CLOZE_ANY_RE.sub("", text).strip():
            self.add_error("text", "Add some text around the deletion, or the card asks nothing.")
