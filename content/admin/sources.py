"""Packs and sources, with drafts generated from a source's full text."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from content import models as m
from content.admin.drafts import DraftReviewMixin
from content.admin.provenance import FromPackAdminMixin, follow_file_again
from content.drafts.store import DraftError, drafts_generate


@admin.action(description="Generate drafts from the full text (then review them)")
def generate_drafts(modeladmin, request, queryset):
    """Store drafts for each source; they wait on the source's review screen. Idempotent."""
    for source in queryset:
        try:
            made, known = drafts_generate(source=source)
        except DraftError as error:
            modeladmin.message_user(request, f"{source}: {error.message}", messages.WARNING)
            continue
        url = reverse("admin:content_source_drafts", args=[source.pk])
        modeladmin.message_user(
            request,
            format_html(
                '{}: {} new draft(s), {} already known. <a href="{}">Review them</a>.',
                source,
                made,
                known,
                url,
            ),
            messages.SUCCESS,
        )


@admin.register(m.Source)
class SourceAdmin(FromPackAdminMixin, DraftReviewMixin, admin.ModelAdmin):
    list_display = ["slug", "title", "publisher", "author", "date", "claim_count", "drafts_link"]
    search_fields = ["slug", "title", "publisher", "author"]
    list_filter = ["publisher"]
    actions = [generate_drafts, follow_file_again]
    readonly_fields = ["drafts_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=Count("claims", distinct=True),
                n_pending=Count(
                    "draft_items",
                    filter=Q(draft_items__status=m.DraftStatus.PENDING,
                             draft_items__parent__isnull=True),
                    distinct=True,
                ),
            )
        )  # fmt: skip

    @admin.display(description="Claims", ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims

    @admin.display(description="Drafts", ordering="n_pending")
    def drafts_link(self, obj):
        if obj is None or not obj.pk:
            return "Save the source with its full text, then generate and review drafts."
        url = reverse("admin:content_source_drafts", args=[obj.pk])
        return format_html(
            '<a href="{}">Review drafts ({} left)</a>', url, getattr(obj, "n_pending", "?")
        )
