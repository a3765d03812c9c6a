"""The study profiles in admin (also inline on each user: studyapp.admin)."""

from django.contrib import admin

from profiles.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "exam_date", "daily_new_cards", "timezone", "desired_retention")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
