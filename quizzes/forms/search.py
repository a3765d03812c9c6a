"""Search and single-item forms: `/search/` and a question page's check or reveal."""

from __future__ import annotations

from django import forms

from content.models import SearchKind


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
