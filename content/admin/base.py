"""Status actions and the admin base every authored model shares."""

from django.contrib import admin, messages
from django.utils.html import format_html, strip_tags

from content import models as m
from content import search
from content.admin.provenance import FromPackAdminMixin, follow_file_again
from content.packfiles.records import implied_source_pks


@admin.action(description="Publish selected items")
def publish(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))  # the filter may match no more after
    n = queryset.update(status=m.Status.PUBLISHED)
    search.refresh_status(queryset.model, ids)
    modeladmin.message_user(request, f"{n} item(s) published.", messages.SUCCESS)


@admin.action(description="Unpublish selected items (back to draft)")
def unpublish(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))  # the filter may match no more after
    n = queryset.update(status=m.Status.DRAFT)
    search.refresh_status(queryset.model, ids)
    modeladmin.message_user(request, f"{n} item(s) moved to draft.", messages.SUCCESS)


@admin.action(description="Retire selected items (kept for learners' history)")
def retire(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))  # the filter may match no more after
    n = queryset.update(status=m.Status.RETIRED)
    search.refresh_status(queryset.model, ids)
    modeladmin.message_user(request, f"{n} item(s) retired.", messages.SUCCESS)


STATUS_ACTIONS = [publish, unpublish, retire]


class AuthoredAdmin(FromPackAdminMixin, admin.ModelAdmin):
    actions = [*STATUS_ACTIONS, follow_file_again]
    list_filter = ["status"]
    readonly_fields = ["created_at", "updated_at"]

    def get_deleted_objects(self, objs, request):
        """Refuse, in one sentence, to delete an item learners have used (PROTECT holds it).

        Django's own page would list every learner's protected row; staff need the remedy.
        """
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        if protected:
            by_kind: dict[str, int] = {}
            for row in protected:  # "Card state: <a …>card 3 of 7</a>", one per learner row
                name = strip_tags(str(row)).split(":", 1)[0].strip().lower()
                by_kind[name] = by_kind.get(name, 0) + 1
            used = ", ".join(f"{name} × {n}" for name, n in sorted(by_kind.items()))
            protected = [
                f"Learners have used this ({used}). Items learners have used are never "
                "deleted: retire it instead (set its status to Retired, or use the "
                "“Retire selected items” action), which hides it and keeps their history."
            ]
            # Django adds the protected rows' (read-only) models to "permission needed" and
            # shows that instead; the refusal above is the real reason, and it blocks the delete.
            perms = set()
        return deleted, counts, perms, protected

    def save_related(self, request, form, formsets, change):
        """After the inlines (a question's statements, a topic's note): cite the facts'
        sources as the loader does, and refresh search."""
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if hasattr(obj, "facts") and hasattr(obj, "sources"):
            obj.sources.add(*implied_source_pks(obj.facts.all()))
        search.reindex(obj)

    @admin.display(description="Sources")
    def source_list(self, obj):
        return ", ".join(s.slug for s in obj.sources.all())

    def preview_url(self, obj) -> str:
        """The learner page of the item with `?preview=1`: staff see it there as a learner
        would, under a preview banner, even while it or its topic is a draft."""
        path, hash_, fragment = obj.get_absolute_url().partition("#")
        return f"{path}?preview=1{hash_}{fragment}"

    def view_on_site(self, obj) -> str:
        """Admin's "View on site" opens the staff preview, which works for drafts too."""
        return self.preview_url(obj)

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank">Preview as learner</a>', self.preview_url(obj)
        )
