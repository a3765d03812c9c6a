"""Authoring in Django admin, with the same rules as the pack loader.

A structured question's options and key are derived from its statements/pairs, so the inline
formsets refuse a structure with no valid UPSC key (e.g. all statements true, asked "which is
not correct") and a single question without exactly one correct choice of four.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from content import formats
from content import models as m
from content.drafts import draft_facts
from content.markdown import render


@admin.action(description="Publish selected items")
def publish(modeladmin, request, queryset):
    n = queryset.update(status=m.Status.PUBLISHED)
    modeladmin.message_user(request, f"{n} item(s) published.", messages.SUCCESS)


@admin.action(description="Unpublish selected items (back to draft)")
def unpublish(modeladmin, request, queryset):
    n = queryset.update(status=m.Status.DRAFT)
    modeladmin.message_user(request, f"{n} item(s) moved to draft.", messages.SUCCESS)


@admin.action(description="Retire selected items (kept for learners' history)")
def retire(modeladmin, request, queryset):
    n = queryset.update(status=m.Status.RETIRED)
    modeladmin.message_user(request, f"{n} item(s) retired.", messages.SUCCESS)


STATUS_ACTIONS = [publish, unpublish, retire]


class AuthoredAdmin(admin.ModelAdmin):
    actions = STATUS_ACTIONS
    list_filter = ["status"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="Sources")
    def source_list(self, obj):
        return ", ".join(s.slug for s in obj.sources.all())

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank">Preview as learner</a>', self.preview_url(obj)
        )


@admin.register(m.Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "loaded_at"]
    readonly_fields = ["loaded_at"]


@admin.action(description="Generate draft facts and cloze cards from the full text")
def generate_drafts(modeladmin, request, queryset):
    """Drafts go to an 'Inbox' draft topic; authors rewrite, re-file and publish them."""
    inbox, _ = m.Topic.objects.get_or_create(
        slug="inbox",
        defaults={"title": "Inbox (drafts to file)", "order": 999, "status": m.Status.DRAFT},
    )
    made = 0
    for source in queryset:
        if not source.full_text.strip():
            modeladmin.message_user(
                request, f"{source}: paste the article into 'full text' first.", messages.WARNING
            )
            continue
        with transaction.atomic():
            for draft in draft_facts(source.full_text, prefix=source.slug):
                fact, created = m.Fact.objects.get_or_create(
                    slug=draft.slug,
                    defaults={
                        "topic": inbox, "statement": draft.statement, "value": draft.value[:300],
                        "kind": draft.kind, "status": m.Status.DRAFT,
                    },
                )  # fmt: skip
                if not created:
                    continue
                m.Claim.objects.create(fact=fact, source=source, value=draft.value[:500])
                card = m.Flashcard.objects.create(
                    slug=f"card-{draft.slug}", topic=inbox, kind=m.CardKind.CLOZE,
                    text=draft.cloze, status=m.Status.DRAFT,
                )  # fmt: skip
                card.facts.add(fact)
                card.sources.add(source)
                made += 1
    modeladmin.message_user(
        request,
        f"{made} draft fact(s) with cloze cards created in the Inbox topic: rewrite them in our "
        "own words, check them, file them under a topic and publish.",
        messages.SUCCESS,
    )


@admin.register(m.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "publisher", "author", "date", "claim_count"]
    search_fields = ["slug", "title", "publisher", "author"]
    list_filter = ["publisher"]
    actions = [generate_drafts]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims"))

    @admin.display(description="Claims", ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims


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
                n_facts=Count("facts", distinct=True), n_cards=Count("flashcards", distinct=True)
            )
        )

    @admin.display(description="Facts", ordering="n_facts")
    def fact_count(self, obj):
        return obj.n_facts

    @admin.display(description="Cards", ordering="n_cards")
    def card_count(self, obj):
        return obj.n_cards

    def preview_url(self, obj):
        return reverse("quizzes:topic-detail", args=[obj.slug])


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
                    "status"]  # fmt: skip
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
    list_display = ["slug", "prompt_short", "kind", "topic", "status", "source_list"]
    list_filter = ["status", "kind", "topic"]
    search_fields = ["slug", "front", "back", "text"]
    list_select_related = ["topic"]
    autocomplete_fields = ["facts", "sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description="Prompt")
    def prompt_short(self, obj):
        return obj.prompt[:90]


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

    def preview_url(self, obj):
        return reverse("content:question-preview", args=[obj.slug])


class KeyPointInline(admin.TabularInline):
    model = m.KeyPoint
    extra = 1
    fields = ["order", "text", "keywords"]


class MainsQuestionForm(forms.ModelForm):
    class Meta:
        model = m.MainsQuestion
        fields = ["slug", "pack", "status", "topic", "directive", "marks", "word_limit",
                  "minutes", "text", "outline_intro", "outline_body", "outline_conclusion",
                  "facts", "sources"]  # fmt: skip

    def clean(self):
        data = super().clean()
        marks = data.get("marks")
        if marks in m.MAINS_FORMAT:
            words, minutes = m.MAINS_FORMAT[marks]
            if data.get("word_limit") != words:
                self.add_error("word_limit", f"A {marks}-mark answer is {words} words.")
            if data.get("minutes") != minutes:
                self.add_error("minutes", f"A {marks}-mark answer takes {minutes} minutes.")
        if not data.get("facts") and not data.get("sources"):
            raise ValidationError("Cite at least one fact or source.")
        return data


@admin.register(m.MainsQuestion)
class MainsQuestionAdmin(AuthoredAdmin):
    form = MainsQuestionForm
    list_display = ["slug", "text_short", "directive", "marks", "topic", "status", "source_list"]
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
