"""Packs and sources, with drafts generated from a source's full text."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from content import models as m
from content.drafts import draft_facts


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
