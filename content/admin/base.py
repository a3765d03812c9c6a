"""Status actions and the admin base every authored model shares."""

from django.contrib import admin, messages
from django.utils.html import format_html

from content import models as m


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
