"""Forms for learners' posts. Validation only: the writes live in quizzes/services/."""

from __future__ import annotations

import datetime as dt

from django import forms

from content.models import QuestionKind, SearchKind, Status, Topic
from quizzes import scoring
from quizzes.models import Attempt
from quizzes.selectors.history import KINDS, Cursor
from quizzes.services.prelims import MAX_QUESTIONS, Action, Pool

# History dates and cursors outside these years are refused (far dates overflow the day
# arithmetic; no learner has history before the site or after the next century).
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

# ---- Prelims (issue 6) ----------------------------------------------------------------------

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
            topics if topics is not None else Topic.objects.published().order_by("order", "title")
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


class AnswerForm(forms.Form):
    """One post from the attempt page: which question, which option, which button."""

    order = forms.IntegerField(min_value=1, max_value=MAX_QUESTIONS)
    choice = forms.IntegerField(required=False, min_value=0, max_value=3)
    action = forms.ChoiceField(choices=[(a, a) for a in Action.values], required=False)
    goto = forms.IntegerField(required=False, min_value=1, max_value=MAX_QUESTIONS)
    shown_at = forms.FloatField(required=False, min_value=0)

    error_messages = {
        "choice": "That option does not exist: choose one of (a) to (d).",
    }

    def clean(self):
        data = super().clean()
        if not data.get("action"):
            if data.get("goto"):
                data["action"] = Action.GOTO
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


# ---- progress (issue 8) ----------------------------------------------------------------------


class HistoryFilterForm(forms.Form):
    """The history page's filters and position (all GET parameters, all optional)."""

    kind = forms.ChoiceField(choices=[("", "Everything"), *KINDS], required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.CharField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.exclude(status=Status.DRAFT).order_by(
            "order", "title"
        )

    def _cursor(self, name: str) -> Cursor | None:
        text = self.cleaned_data.get(name)
        if not text:
            return None
        try:
            cursor = Cursor.decode(text)
        except (ValueError, OverflowError):
            cursor = None
        # A review day's cursor holds a date of its own.
        if (
            cursor is not None
            and "-" in cursor.ident
            and not DATE_MIN <= dt.date.fromisoformat(cursor.ident) <= DATE_MAX
        ):
            cursor = None
        if cursor is None or not DATE_MIN <= cursor.time.date() <= DATE_MAX:
            raise forms.ValidationError(
                "That page link is broken: start again from the newest entries."
            ) from None
        return cursor

    def clean_before(self):
        return self._cursor("before")

    def clean_after(self):
        return self._cursor("after")

    def _bounded(self, name: str):
        value = self.cleaned_data.get(name)
        if value and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(f"Pick a date between {DATE_MIN.year} and {DATE_MAX.year}.")
        return value

    def clean_start(self):
        return self._bounded("start")

    def clean_end(self):
        return self._bounded("end")

    def clean_day(self):
        return self._bounded("day")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "“To” must be on or after “From”.")
        return data

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            hidden = field is None or field.widget.is_hidden
            return f"{errors[0]}" if hidden else f"{field.label or name.title()}: {errors[0]}"
        return ""


# ---- Search and single items (issue 20) ------------------------------------------------------


class SearchForm(forms.Form):
    """`/search/?q=…&type=…&page=…`: a bad type or page is refused (400), never a 500."""

    q = forms.CharField(required=False, max_length=200, label="Search for")
    type = forms.ChoiceField(choices=[("", "All"), *SearchKind.choices], required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)


class QuestionCheckForm(forms.Form):
    """A question page asked to check an option (`choice`) or to show the answer (`reveal`)."""

    choice = forms.TypedChoiceField(
        choices=[(str(i), letter) for i, letter in enumerate("abcd")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reveal = forms.BooleanField(required=False)
