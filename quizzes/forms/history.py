"""The history page's filters (also on the staff learner page)."""

from __future__ import annotations

import datetime as dt

from django import forms

from content.models import Status, Topic
from quizzes.selectors.history import KINDS, Cursor

# History dates and cursors outside these years are refused (far dates overflow the day
# arithmetic; no learner has history before the site or after the next century).
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


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
