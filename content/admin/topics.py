"""Topics with their note, facts with their source claims."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.html import format_html, format_html_join

from content import models as m
from content.admin.base import AuthoredAdmin
from content.markdown import render


class NoteInline(admin.StackedInline):
    model = m.Note
    fields = ["body", "sources", "rendered"]
    readonly_fields = ["rendered"]
    filter_horizontal = ["sources"]

    @admin.display(description="Rendered (as learners see it)")
    def rendered(self, obj):
        return render(obj.body).html if obj and obj.pk else "—"


@admin.register(m.Topic)
class TopicAdmin(AuthoredAdmin):
    list_display = ["title", "slug", "order", "status", "fact_count", "card_count", "preview_link"]
    list_editable = ["order"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [NoteInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_facts=Count("facts", distinct=True),
                n_cards=Count(
                    "flashcards", filter=Q(flashcards__owner__isnull=True), distinct=True
                ),
            )
        )

    @admin.display(description="Facts", ordering="n_facts")
    def fact_count(self, obj):
        return obj.n_facts

    @admin.display(description="Cards", ordering="n_cards")
    def card_count(self, obj):
        return obj.n_cards


class ClaimInline(admin.TabularInline):
    model = m.Claim
    extra = 1
    autocomplete_fields = ["source"]


class DisputedFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return [("yes", "Disputed (a source disagrees)"), ("no", "Sources agree")]

    def queryset(self, request, queryset):
        wrong = Exists(m.Claim.objects.filter(fact=OuterRef("pk"), agrees=False))
        if self.value() == "yes":
            return queryset.filter(wrong)
        if self.value() == "no":
            return queryset.exclude(wrong)
        return queryset


class ClaimFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not live:
            raise ValidationError("A fact needs at least one source claim.")
        disagrees = any(not f.cleaned_data.get("agrees", True) for f in live)
        if disagrees and not (self.instance.resolution or "").strip():
            raise ValidationError(
                "A claim disagrees with the fact: write a resolution saying why the fact's "
                "value is correct."
            )


ClaimInline.formset = ClaimFormSet


@admin.register(m.Fact)
class FactAdmin(AuthoredAdmin):
    list_display = ["slug", "statement_short", "value", "topic", "kind", "date", "is_disputed",
                    "status", "preview_link"]  # fmt: skip
    list_filter = [DisputedFilter, "status", "topic", "kind"]
    search_fields = ["slug", "statement", "value", "claims__value"]
    list_select_related = ["topic"]
    inlines = [ClaimInline]
    readonly_fields = ["created_at", "updated_at", "claims_table"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_disputed()

    @admin.display(description="Statement")
    def statement_short(self, obj):
        return obj.statement[:90]

    @admin.display(description="Disputed", boolean=True, ordering="disputed")
    def is_disputed(self, obj):
        return obj.disputed

    @admin.display(description="Who says what")
    def claims_table(self, obj):
        rows = [
            (c.source.title, c.value, "agrees" if c.agrees else "DISAGREES")
            for c in obj.claims.select_related("source")
        ]
        if not rows:
            return "—"
        return format_html(
            "<table><tr><th>Source</th><th>Says</th><th></th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
