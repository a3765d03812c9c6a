"""Prelims forms: start practice or a mock, and one post from the attempt page."""

from __future__ import annotations

from django import forms

from content.models import QuestionKind, Topic
from quizzes import scoring
from quizzes.models import Attempt
from quizzes.services.prelims import MAX_QUESTIONS, Pool, PrelimsAction

MOCK_SIZES = [
    ("25", "25 questions · 30 minutes"),
    ("100", "100 questions · 2 hours — the full paper"),
    ("custom", "Custom"),
]
PRACTICE_DEFAULT = 10


class PrelimsStartForm(forms.Form):
    """Start practice or a mock: topics, formats, size and which questions to draw from."""

    mode = forms.ChoiceField(choices=Attempt.Mode.choices, widget=forms.HiddenInput)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all topics.",
    )
    kinds = forms.MultipleChoiceField(
        label="Formats",
        choices=QuestionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all formats.",
    )
    pool = forms.ChoiceField(
        label="Questions", choices=Pool.choices, initial=Pool.ALL, widget=forms.RadioSelect
    )
    count = forms.IntegerField(
        label="Number of questions",
        min_value=1,
        max_value=MAX_QUESTIONS,
        required=False,
        initial=PRACTICE_DEFAULT,
    )
    size = forms.ChoiceField(
        label="Length", choices=MOCK_SIZES, required=False, initial="25", widget=forms.RadioSelect
    )
    custom = forms.IntegerField(
        label="Custom number of questions",
        min_value=1,
        max_value=MAX_QUESTIONS,
        required=False,
        help_text="1.2 minutes a question, as in the real paper.",
    )

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = (
            topics if topics is not None else Topic.objects.visible().order_by("order", "title")
        )

    def clean(self):
        data = super().clean()
        if data.get("mode") == Attempt.Mode.MOCK:
            size = data.get("size") or str(scoring.DEFAULT_MOCK_QUESTIONS)
            if size == "custom":
                if not data.get("custom"):
                    self.add_error("custom", "Enter how many questions the test should have.")
                data["count"] = data.get("custom")
            else:
                data["count"] = int(size)
        elif not data.get("count"):
            data["count"] = PRACTICE_DEFAULT
        return data


class PrelimsAnswerForm(forms.Form):
    """One post from the Prelims attempt page: which question, which option, which button."""

    order = forms.IntegerField(min_value=1, max_value=MAX_QUESTIONS)
    choice = forms.IntegerField(required=False, min_value=0, max_value=3)
    action = forms.ChoiceField(choices=[(a, a) for a in PrelimsAction.values], required=False)
    goto = forms.IntegerField(required=False, min_value=1, max_value=MAX_QUESTIONS)
    shown_at = forms.FloatField(required=False, min_value=0)

    error_messages = {
        "choice": "That option does not exist: choose one of (a) to (d).",
    }

    def clean(self):
        data = super().clean()
        if not data.get("action"):
            if data.get("goto"):
                data["action"] = PrelimsAction.GOTO
            else:
                raise forms.ValidationError("Say what to do with this answer.")
        return data

    def first_error(self) -> str:
        """One sentence for the learner (and for the 400 response body)."""
        if "choice" in self.errors:
            return self.error_messages["choice"]
        for field, errors in self.errors.items():
            name = "" if field == "__all__" else f"{field}: "
            return f"{name}{errors[0]}"
        return ""
