"""Flashcards: a basic card needs a front and back, a cloze card one deletion."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from content import models as m
from content.admin.base import AuthoredAdmin


class FlashcardForm(forms.ModelForm):
    class Meta:
        model = m.Flashcard
        fields = ["slug", "pack", "status", "topic", "kind", "front", "back", "text", "facts",
                  "sources"]  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("kind") == m.CardKind.CLOZE:
            if len(m.CLOZE_RE.findall(data.get("text") or "")) != 1:
                self.add_error("text", "A cloze card needs exactly one {{c1::answer}}.")
        elif not data.get("front") or not data.get("back"):
            self.add_error("front", "A basic card needs a front and a back.")
        if not data.get("facts") and not data.get("sources"):
            raise ValidationError("Cite at least one fact or source.")
        return data


@admin.register(m.Flashcard)
class FlashcardAdmin(AuthoredAdmin):
    form = FlashcardForm
    list_display = ["slug", "prompt_short", "kind", "topic", "status", "source_list",
                    "preview_link"]  # fmt: skip
    list_filter = ["status", "kind", "topic"]
    search_fields = ["slug", "front", "back", "text"]
    list_select_related = ["topic"]
    autocomplete_fields = ["facts", "sources"]

    def get_queryset(self, request):
        # Learners' own cards are theirs, not content: never listed or edited here.
        return super().get_queryset(request).content().prefetch_related("sources")

    @admin.display(description="Prompt")
    def prompt_short(self, obj):
        return obj.prompt[:90]
