"""Admin for learners' records. Mentors review Mains answers here or on the answer page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from quizzes import coverage, progress, scoring
from quizzes.models import (
    Attempt,
    AttemptItem,
    CardState,
    MainsAnswer,
    NoteProgress,
    QuestionStats,
    ReviewLog,
)
from quizzes.services.mains import MAX_FEEDBACK_CHARS, answer_feedback

# ---- Mains answers (issue 7) ------------------------------------------------------------------


class FeedbackStatusFilter(admin.SimpleListFilter):
    title = "feedback"
    parameter_name = "feedback"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", "Awaiting feedback"),
            ("given", "Feedback given"),
            ("unseen", "Feedback not yet seen by the learner"),
            ("drafts", "Drafts (not submitted)"),
        ]

    def queryset(self, request, queryset):
        submitted = Q(submitted_at__isnull=False)
        match self.value():
            case "awaiting":
                return queryset.filter(submitted, feedback_at__isnull=True)
            case "given":
                return queryset.filter(feedback_at__isnull=False)
            case "unseen":
                return queryset.filter(MainsAnswer.new_feedback_q())
            case "drafts":
                return queryset.filter(submitted_at__isnull=True)
        return queryset


class MainsAnswerAdminForm(forms.ModelForm):
    class Meta:
        model = MainsAnswer
        fields = ["mentor_feedback", "mentor_score"]

    def clean(self):
        data = super().clean()
        answer = self.instance
        if answer.is_draft:
            raise forms.ValidationError("This answer is a draft: feedback waits for submission.")
        if len(data.get("mentor_feedback") or "") > MAX_FEEDBACK_CHARS:
            self.add_error("mentor_feedback", f"At most {MAX_FEEDBACK_CHARS:,} characters.")
        score = data.get("mentor_score")
        marks = answer.question.marks
        if score is not None and not (0 <= score <= marks):
            self.add_error("mentor_score", f"Give a score from 0 to {marks}.")
        feedback = coverage.clean_text(data.get("mentor_feedback") or "").strip()
        if self.has_changed() and not feedback and score is None:
            raise forms.ValidationError("Write some feedback or give a score.")
        return data


@admin.register(MainsAnswer)
class MainsAnswerAdmin(admin.ModelAdmin):
    form = MainsAnswerAdminForm
    list_display = [
        "id",
        "learner",
        "question_short",
        "marks",
        "submitted_at",
        "words",
        "self_score",
        "mentor_score",
        "feedback_state",
    ]
    list_display_links = ["id", "question_short"]
    list_filter = [FeedbackStatusFilter, "question__marks", "question__topic", "submitted_at"]
    list_select_related = ["learner", "question"]
    search_fields = ["learner__username", "learner__email", "question__text", "question__slug"]
    date_hierarchy = "submitted_at"
    ordering = [F("submitted_at").desc(nulls_last=True), "-pk"]
    readonly_fields = [
        "learner",
        "question",
        "answer_text",
        "words",
        "seconds",
        "started_at",
        "saved_at",
        "submitted_at",
        "ticked_points",
        "suggested",
        "self_score",
        "mentor",
        "feedback_at",
        "feedback_seen_at",
    ]
    fieldsets = [
        (None, {"fields": ["learner", "question", "submitted_at"]}),
        ("The answer", {"fields": ["answer_text", "words", "seconds", "started_at", "saved_at"]}),
        ("Learner's self-assessment", {"fields": ["ticked_points", "suggested", "self_score"]}),
        (
            "Mentor review",
            {
                "fields": ["mentor_feedback", "mentor_score", "mentor", "feedback_at"]
                + ["feedback_seen_at"],
                "description": "Saving feedback or a score marks it new for the learner.",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("learner", "question", "mentor")

    def has_add_permission(self, request):
        return False  # answers are written by learners on the site

    def has_delete_permission(self, request, obj=None):
        return False  # a learner's answer is theirs: only deleting their account removes it

    def view_on_site(self, obj):
        return reverse("quizzes:mains-answer", args=[obj.pk])

    @admin.display(description="question", ordering="question__text")
    def question_short(self, obj):
        return obj.question.text[:70]

    @admin.display(description="marks", ordering="question__marks")
    def marks(self, obj):
        return obj.question.marks

    @admin.display(description="feedback")
    def feedback_state(self, obj):
        if obj.is_draft:
            return "draft"
        if obj.feedback_at is None:
            return "awaiting"
        return "new to learner" if obj.feedback_is_new else "seen"

    @admin.display(description="text")
    def answer_text(self, obj):
        # Escaped by format_html; pre-wrap keeps the learner's lines.
        return format_html('<div style="white-space: pre-wrap; max-width: 70ch">{}</div>', obj.text)

    @admin.display(description="points the learner ticked")
    def ticked_points(self, obj):
        texts = obj.covered_points.values_list("text")
        if not texts:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", texts))

    @admin.display(description="points the matcher found")
    def suggested(self, obj):
        if not obj.suggested_points:
            return "—"
        texts = obj.question.key_points.filter(pk__in=obj.suggested_points).values_list("text")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", texts))

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            answer_feedback(
                mentor=request.user,
                answer_id=obj.pk,
                feedback=form.cleaned_data["mentor_feedback"] or "",
                score=form.cleaned_data["mentor_score"],
                now=timezone.now(),
            )


# ---- Question statistics (issue 8) ------------------------------------------------------------

BROKEN_MIN_ANSWERS = 5  # fewer answers than this say nothing about a question


class LooksBrokenFilter(admin.SimpleListFilter):
    title = "looks broken"
    parameter_name = "broken"

    def lookups(self, request, model_admin):
        return [
            (
                "yes",
                f"Facility below 0.2 or a distractor nobody picks ({BROKEN_MIN_ANSWERS}+ answers)",
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.looks_broken(min_answers=BROKEN_MIN_ANSWERS)
        return queryset


@admin.register(QuestionStats)
class QuestionStatsAdmin(admin.ModelAdmin):
    """Read-only: how each question performs across every learner's answers. Fix a question
    in the Question admin (the link on each row's page)."""

    list_display = [
        "stem_short",
        "kind",
        "times_answered",
        "facility_display",
        "discrimination_display",
        "option_picks",
    ]
    list_display_links = ["stem_short"]
    list_filter = [LooksBrokenFilter, "kind", "status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["slug", "stem"]
    list_per_page = 50
    ordering = ["topic__order", "pk"]
    fields = [
        "slug",
        "topic",
        "kind",
        "status",
        "stem",
        "times_answered",
        "facility_display",
        "discrimination_display",
        "option_picks",
        "edit_link",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        top, bottom = progress.top_and_bottom_thirds(list(Attempt.objects.mock_average()))
        return super().get_queryset(request).with_stats(top=top, bottom=bottom)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="question", ordering="slug")
    def stem_short(self, obj):
        return f"{obj.slug}: {obj.stem[:60]}"

    @admin.display(description="answered", ordering="answered")
    def times_answered(self, obj):
        return obj.answered

    @admin.display(description="facility", ordering="facility")
    def facility_display(self, obj):
        """Share of answers that were right (0-1): below 0.2 almost nobody gets it."""
        return "—" if obj.facility is None else f"{obj.facility:.2f}"

    @admin.display(description="discrimination", ordering="discrimination")
    def discrimination_display(self, obj):
        """Facility among the top third of learners by mock score minus the bottom third's:
        0.3 and above separates well; near 0 or negative, strong learners do no better."""
        return "—" if obj.discrimination is None else f"{obj.discrimination:+.2f}"

    @admin.display(description="picks (✓ key, ⚠ never picked)")
    def option_picks(self, obj):
        parts = []
        for i, letter in enumerate("abcd"):
            picks, keyed = getattr(obj, f"picks_{i}"), getattr(obj, f"keyed_{i}")
            mark = " ✓" if keyed else (" ⚠" if obj.answered and not picks else "")
            parts.append((letter, picks, mark))
        return format_html(
            '<span style="white-space: nowrap">{}</span>',
            format_html_join(" · ", "{} {}{}", parts),
        )

    @admin.display(description="edit")
    def edit_link(self, obj):
        url = reverse("admin:content_question_change", args=[obj.pk])
        return format_html('<a href="{}">Edit this question</a>', url)


# --- learner records, read-only: staff review them here; learners change them only by studying


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by learners' actions only; staff can look, filter and export."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # not even a superuser erases a learner's history from here


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    fields = ["order", "question", "chosen", "key", "is_correct", "marked_for_review",
              "seconds_spent", "answered_at"]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["pk", "learner", "mode", "title", "started_at", "submitted_at",
                    "question_count", "correct_count", "wrong_count", "score"]  # fmt: skip
    list_filter = ["mode", "auto_submitted", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["learner__username", "title"]
    list_select_related = ["learner"]
    date_hierarchy = "started_at"
    inlines = [AttemptItemInline]

    @admin.display(description="Score")
    def score(self, obj):
        if obj.score_thirds is None:
            return "—"
        return f"{scoring.format_marks(obj.score_thirds)} / {obj.question_count * 2}"


@admin.register(CardState)
class CardStateAdmin(ReadOnlyAdmin):
    list_display = ["learner", "card", "state", "due", "stability", "difficulty", "reps", "lapses"]
    list_filter = ["state", "card__topic"]
    search_fields = ["learner__username", "card__slug"]
    list_select_related = ["learner", "card"]


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ["learner", "card", "rating", "reviewed_at", "duration_ms"]
    list_filter = ["rating", "card__topic"]
    search_fields = ["learner__username", "card__slug"]
    list_select_related = ["learner", "card"]
    date_hierarchy = "reviewed_at"


@admin.register(NoteProgress)
class NoteProgressAdmin(ReadOnlyAdmin):
    list_display = ["learner", "topic", "studied_at"]
    list_filter = ["topic"]
    search_fields = ["learner__username"]
    list_select_related = ["learner", "topic"]
