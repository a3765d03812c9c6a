"""Mains questions: word limit and minutes follow the marks."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from content import models as m
from content import schema
from content.admin.base import AuthoredAdmin


class KeyPointInline(admin.TabularInline):
    model = m.KeyPoint
    extra = 1
    fields = ["order", "text", "keywords", "synonyms"]

    def has_delete_permission(self, request, obj=None):
        # Learners' ticks point at key points: once a question has answers, edit the wording
        # of a key point instead of deleting it (reverse relation by name: no quizzes import).
        if obj is not None and obj.pk and obj.answers.exists():
            return False
        return super().has_delete_permission(request, obj)


class MainsQuestionForm(forms.ModelForm):
    class Meta:
        model = m.MainsQuestion
        fields = ["slug", "pack", "status", "topic", "directive", "marks", "word_limit",
                  "minutes", "text", "outline_intro", "outline_body", "outline_conclusion",
                  "model_answer", "facts", "sources"]  # fmt: skip

    def clean(self):
        data = super().clean()
        marks = data.get("marks")
        if marks in m.MAINS_FORMAT:
            words, minutes = m.MAINS_FORMAT[marks]
            if data.get("word_limit") != words:
                self.add_error("word_limit", f"A {marks}-mark answer is {words} words.")
            if data.get("minutes") != minutes:
                self.add_error("minutes", f"A {marks}-mark answer takes {minutes} minutes.")
            written = schema.model_answer_words(data.get("model_answer") or "")
            if written > words:
                self.add_error(
                    "model_answer",
                    f"{written} words is over the {words}-word limit of a {marks}-mark answer.",
                )
        if not data.get("facts") and not data.get("sources"):
            raise ValidationError("Cite at least one fact or source.")
        return data


@admin.register(m.MainsQuestion)
class MainsQuestionAdmin(AuthoredAdmin):
    form = MainsQuestionForm
    list_display = ["slug", "text_short", "directive", "marks", "topic", "status", "source_list",
                    "preview_link"]  # fmt: skip
    list_filter = ["status", "marks", "directive", "topic"]
    search_fields = ["slug", "text", "key_points__text"]
    list_select_related = ["topic"]
    autocomplete_fields = ["facts", "sources"]
    inlines = [KeyPointInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description="Question")
    def text_short(self, obj):
        return obj.text[:90]
