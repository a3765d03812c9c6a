"""User admin with the learner's profile (exam date, daily limit, time zone) inline."""

from django.contrib import admin
from django.contrib.auth import get_user_model

# Importing auth.admin registers the stock UserAdmin first, so it can be replaced below
# (studyapp comes before django.contrib.auth in INSTALLED_APPS).
from django.contrib.auth.admin import UserAdmin

from profiles.models import Profile

User = get_user_model()


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("exam_date", "daily_new_cards", "timezone", "desired_retention")
    verbose_name = verbose_name_plural = "Study profile"


admin.site.unregister(User)


@admin.register(User)
class StudyappUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "email", "is_staff", "date_joined", "last_login")
    ordering = ("-date_joined",)
