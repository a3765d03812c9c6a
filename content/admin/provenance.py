"""Provenance in the admin: where an item comes from, what an edit does, and drift per pack.

Every pack item's change form says which pack file and item it comes from and what happens to
an edit; the action "Follow the pack file again" lets the next load replace an edited item
with the file's version; the pack list links each pack's drift report (files vs database).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from content import models as m
from content.packfiles.report import item_origin, pack_report


@admin.action(description="Follow the pack file again (the next load replaces edits made here)")
def follow_file_again(modeladmin, request, queryset):
    n = queryset.exclude(pack_file="").update(follow_file=True)
    skipped = queryset.filter(pack_file="").count()
    text = f"{n} item(s) will take their pack file's version at the next load_content."
    if skipped:
        text += f" {skipped} item(s) made in the admin have no pack file and were left as they are."
    modeladmin.message_user(request, text, messages.SUCCESS)


class FromPackAdminMixin:
    """The change form of a content item says where it comes from (admin/content/change_form)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        own = getattr(obj, "owner_id", None) is not None  # a learner's own card: no pack, ever
        context = {"origin": item_origin(obj)} if obj is not None and not own else {}
        return super().change_view(request, object_id, form_url, context | (extra_context or {}))


@admin.action(description="Compare with the pack files (drift report)")
def show_drift(modeladmin, request, queryset):
    pack = queryset.first()
    return HttpResponseRedirect(reverse("admin:content_pack_drift", args=[pack.pk]))


@admin.register(m.Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "loaded_at", "drift_link"]
    readonly_fields = ["loaded_at", "drift_link"]
    actions = [show_drift]

    def get_urls(self):
        view = self.admin_site.admin_view(self.drift_view)
        return [
            path("<int:object_id>/drift/", view, name="content_pack_drift"),
            *super().get_urls(),
        ]

    @admin.display(description="Files vs database")
    def drift_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:content_pack_drift", args=[obj.pk])
        return format_html('<a href="{}">Drift report</a>', url)

    def drift_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        pack = get_object_or_404(m.Pack, pk=object_id)
        report = pack_report(pack)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Drift report: {pack.slug}",
            "report": report,
        }
        return TemplateResponse(request, "admin/content/pack/drift.html", context)
