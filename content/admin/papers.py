"""Test-series papers: assemble a fixed, ordered set of published questions in admin.

The same rules as the pack loader (content.loader.papers): a full-length paper has exactly 100
questions, a published paper uses only published questions, and once learners have taken a
paper its questions are frozen (ranks compare like with like).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from content import models as m
from content.admin.base import AuthoredAdmin
from content.loader.papers import FULL_PAPER_QUESTIONS


class PaperQuestionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        paper = self.instance
        if paper.pk and paper.attempts.exists() and self.has_changed():
            raise ValidationError(
                "Learners have taken this paper, so its questions can no longer change: "
                "retire it and add a new paper."
            )
        questions = [f.cleaned_data["question"] for f in live if f.cleaned_data.get("question")]
        orders = [f.cleaned_data.get("order") for f in live]
        if len({q.pk for q in questions}) != len(questions):
            raise ValidationError("A question is listed twice.")
        if len(set(orders)) != len(orders):
            raise ValidationError("Two questions have the same position.")
        if paper.family == m.PaperFamily.FULL and len(questions) != FULL_PAPER_QUESTIONS:
            raise ValidationError(
                f"A full-length paper has exactly {FULL_PAPER_QUESTIONS} questions "
                f"(this one has {len(questions)})."
            )
        if paper.status == m.Status.PUBLISHED:
            hidden = [q.slug for q in questions if q.status != m.Status.PUBLISHED]
            if hidden:
                raise ValidationError(
                    "A published paper may use only published questions; not published: "
                    + ", ".join(hidden)
                )


class PaperQuestionInline(admin.TabularInline):
    model = m.PaperQuestion
    formset = PaperQuestionFormSet
    fields = ("order", "question")
    autocomplete_fields = ("question",)
    extra = 0


@admin.register(m.Paper)
class PaperAdmin(AuthoredAdmin):
    list_display = ("title", "family", "n_questions", "minutes", "cutoff_marks", "status")
    list_filter = ["status", "family"]
    search_fields = ["slug", "title"]
    ordering = ["order", "title"]
    inlines = [PaperQuestionInline]
    fields = [
        "slug",
        "title",
        "family",
        "order",
        "description",
        "minutes",
        "marking",
        ("cutoff_marks", "cutoff_note"),
        ("opens_at", "closes_at"),
        "status",
        "pack",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("items"))

    @admin.display(description="Questions", ordering="n")
    def n_questions(self, obj):
        return obj.n
