"""Prelims questions: formsets refuse a structure with no valid UPSC key."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join

from content import formats
from content import models as m
from content.admin.base import AuthoredAdmin


def _live(formset) -> list:
    """Forms of an inline formset that hold a row to keep."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class ChoiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        live = _live(self)
        if self.instance.kind != m.QuestionKind.SINGLE:
            if live:
                raise ValidationError("Only single-correct questions have written choices.")
            return
        correct = sum(bool(f.cleaned_data.get("is_correct")) for f in live)
        if len(live) != 4 or correct != 1:
            raise ValidationError(
                f"A single-correct question needs four choices with exactly one correct "
                f"(found {len(live)} choices, {correct} correct)."
            )


class StatementFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        q = self.instance
        live = sorted(_live(self), key=lambda f: f.cleaned_data.get("order") or 0)
        if q.kind not in (m.QuestionKind.STATEMENTS, m.QuestionKind.ASSERTION_REASON):
            if live:
                raise ValidationError(
                    "Only statement and Statement-I/II questions have statements."
                )
            return
        truths = [bool(f.cleaned_data.get("is_true")) for f in live]
        try:
            formats.derive_options(q.kind, ask=q.ask, truths=truths, explains=q.explains,
                                   seed=q.slug)  # fmt: skip
        except formats.FormatError as exc:
            raise ValidationError(f"Cannot derive a valid key: {exc.message}.") from None


class PairFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        q = self.instance
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if q.kind != m.QuestionKind.PAIRS:
            if live:
                raise ValidationError("Only match-the-pairs questions have pairs.")
            return
        truths = [bool(f.cleaned_data.get("is_correct")) for f in live]
        try:
            formats.derive_options(q.kind, ask=q.ask, truths=truths, seed=q.slug)
        except formats.FormatError as exc:
            raise ValidationError(f"Cannot derive a valid key: {exc.message}.") from None


class ChoiceInline(admin.TabularInline):
    model = m.Choice
    formset = ChoiceFormSet
    extra = 0
    fields = ["order", "text", "is_correct", "explanation"]


class StatementInline(admin.TabularInline):
    model = m.Statement
    formset = StatementFormSet
    extra = 0
    fields = ["order", "text", "is_true", "explanation"]


class PairInline(admin.TabularInline):
    model = m.Pair
    formset = PairFormSet
    extra = 0
    fields = ["order", "left", "right", "is_correct", "explanation"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = m.Question
        fields = ["slug", "pack", "status", "topic", "kind", "ask", "difficulty", "stem",
                  "column_left", "column_right", "explains", "explanation", "facts",
                  "sources"]  # fmt: skip

    def clean(self):
        data = super().clean()
        kind, ask = data.get("kind"), data.get("ask")
        if kind == m.QuestionKind.STATEMENTS and ask not in {"correct", "incorrect", "how_many"}:
            self.add_error("ask", "A statements question asks correct, incorrect or how many.")
        if kind == m.QuestionKind.PAIRS and ask not in {"correct", "how_many"}:
            self.add_error("ask", "A pairs question asks how many, or which are correct.")
        if kind in (m.QuestionKind.SINGLE, m.QuestionKind.ASSERTION_REASON) and ask:
            self.add_error("ask", "Leave 'ask' empty for this kind.")
        if kind == m.QuestionKind.SINGLE and not (data.get("stem") or "").strip():
            self.add_error("stem", "A single-correct question needs its question text.")
        if not data.get("facts") and not data.get("sources"):
            raise ValidationError("Cite at least one fact or source.")
        return data


@admin.register(m.Question)
class QuestionAdmin(AuthoredAdmin):
    form = QuestionForm
    list_display = ["slug", "stem_short", "kind", "ask", "topic", "difficulty", "status",
                    "source_list", "preview_link"]  # fmt: skip
    list_filter = ["status", "kind", "ask", "difficulty", "topic"]
    search_fields = ["slug", "stem", "explanation", "statements__text", "pairs__left",
                     "choices__text"]  # fmt: skip
    list_select_related = ["topic"]
    autocomplete_fields = ["facts", "sources"]
    inlines = [ChoiceInline, StatementInline, PairInline]
    readonly_fields = ["created_at", "updated_at", "derived_options"]
    fieldsets = [
        (None, {"fields": ["slug", "topic", "kind", "ask", "difficulty", "status", "stem"]}),
        ("Pairs", {"fields": ["column_left", "column_right"], "classes": ["collapse"]}),
        ("Statement-I / Statement-II", {"fields": ["explains"], "classes": ["collapse"]}),
        (None, {"fields": ["explanation", "facts", "sources", "derived_options"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description="Question")
    def stem_short(self, obj):
        return (obj.stem or obj.prompt)[:80]

    @admin.display(description="Options and key (derived)")
    def derived_options(self, obj):
        if not obj.pk:
            return "Saved questions show their four options and key here."
        try:
            options = obj.options
        except formats.FormatError as exc:
            return f"No valid key: {exc.message}"
        rows = [
            (letter, text, "← key" if i == options.key else "")
            for i, (letter, text) in enumerate(zip(formats.LETTERS, options.texts, strict=True))
        ]
        return format_html_join("", "<div>({}) {} <strong>{}</strong></div>", rows)
