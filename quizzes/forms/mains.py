"""Mains forms: the answer (save/submit/autosave), the self-assessment and a mentor's
feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from quizzes import coverage
from quizzes.services.mains import (
    EMPTY_MESSAGE,
    MAX_FEEDBACK_CHARS,
    MAX_SECONDS,
    MAX_WORDS,
    text_problem,
)


class MainsAction:
    """What the Mains write form does: save the draft or hand the answer in."""

    SAVE = "save"
    SUBMIT = "submit"
    choices = [(SAVE, "Save draft"), (SUBMIT, "Submit answer")]


def mains_form_error(form: forms.Form) -> str:
    """One sentence for the learner (and for a 400 response body) from a Mains form."""
    for field, errors in form.errors.items():
        if field in ("__all__", "text", "covered", "self_score", "feedback", "score"):
            return str(errors[0])
        return f"{field}: {errors[0]} (reload the page and try again)"
    return ""


class CleanTextField(forms.CharField):
    """Text with control characters removed before validation (Django would refuse a NUL
    outright; an answer pasted from a word processor should not be refused for one)."""

    def to_python(self, value):
        return coverage.clean_text(super().to_python(value))


class MainsAnswerForm(forms.Form):
    """The Mains write page's form; the autosave posts the same fields."""

    text = CleanTextField(
        label="Your answer",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 16,
                "spellcheck": "true",
                "autocapitalize": "sentences",
                "aria-describedby": "answer-help answer-count",
            }
        ),
        help_text=(
            f"Plain text: write a paragraph or a point per line. Answers over {MAX_WORDS:,} "
            "words cannot be saved."
        ),
    )
    answer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    opened_at = forms.FloatField(min_value=0, max_value=4e9, widget=forms.HiddenInput)
    base_seconds = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_SECONDS, widget=forms.HiddenInput
    )
    action = forms.ChoiceField(choices=MainsAction.choices, required=False)

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        problem = text_problem(text)
        if problem:
            raise forms.ValidationError(problem, code="too_long")
        return text

    def clean_opened_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.cleaned_data["opened_at"], tz=dt.UTC)

    def __init__(self, *args, has_pages: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_pages = has_pages  # handwritten pages uploaded: the text may be empty

    def clean(self):
        data = super().clean()
        data["action"] = data.get("action") or MainsAction.SAVE
        data["base_seconds"] = data.get("base_seconds") or 0
        text = data.get("text")
        empty = text is not None and not text.strip() and not self.has_pages
        if data["action"] == MainsAction.SUBMIT and empty:
            self.add_error("text", forms.ValidationError(EMPTY_MESSAGE, code="empty"))
        return data


class MainsAssessForm(forms.Form):
    """The learner's ticks of the key points they covered, and a self-score out of the marks."""

    covered = forms.TypedMultipleChoiceField(
        label="Key points I covered",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    self_score = forms.DecimalField(
        label="Self-score",
        required=False,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )

    def __init__(self, *args, key_points, marks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = marks
        self.fields["covered"].choices = [(kp.pk, kp.text) for kp in key_points]
        self.fields["covered"].error_messages["invalid_choice"] = (
            "That key point is not part of this question."
        )
        self.fields["self_score"].widget.attrs["max"] = str(marks)
        self.fields["self_score"].help_text = f"Out of {marks}, in steps of 0.5."

    def clean_self_score(self) -> Decimal | None:
        score = self.cleaned_data.get("self_score")
        if score is not None and not (0 <= score <= self.marks):
            raise forms.ValidationError(
                f"Give a score from 0 to {self.marks}.", code="out_of_range"
            )
        return score


class MentorFeedbackForm(forms.Form):
    """A mentor's comments and score."""

    feedback = CleanTextField(
        label="Feedback for the learner",
        required=False,
        max_length=MAX_FEEDBACK_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. The learner sees it on this page, marked new until they open it.",
    )
    score = forms.DecimalField(
        label="Score",
        required=False,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )

    def __init__(self, *args, marks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = marks
        self.fields["score"].widget.attrs["max"] = str(marks)
        self.fields["score"].help_text = f"Out of {marks}."

    def clean_feedback(self) -> str:
        return (self.cleaned_data.get("feedback") or "").strip()

    def clean_score(self) -> Decimal | None:
        score = self.cleaned_data.get("score")
        if score is not None and not (0 <= score <= self.marks):
            raise forms.ValidationError(
                f"Give a score from 0 to {self.marks}.", code="out_of_range"
            )
        return score

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("feedback") and data.get("score") is None:
            raise forms.ValidationError("Write some feedback or give a score.", code="empty")
        return data
