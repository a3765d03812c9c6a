"""The learner's profile: exam date, daily new-card limit, time zone, desired retention.

Its own small app so that every app (quizzes, the project's accounts pages) can read it
without importing the project package. The table is still `studyapp_profile`: the model
moved here from `studyapp` with its rows (migrations profiles 0001 / studyapp 0002).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def timezone_choices() -> list[tuple[str, str]]:
    """IANA zones of this machine's tz database (read at run time, never baked into migrations)."""
    return [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{value!r} is not a known time zone.") from None


PUBLIC_NAME = re.compile(r"^[\w][\w .'-]*$")


def validate_public_name(value: str) -> None:
    """Letters, digits, spaces and . ' - only (no links, no markup), 2-40 characters."""
    value = value.strip()
    if value and (len(value) < 2 or not PUBLIC_NAME.match(value)):
        raise ValidationError(
            "Use 2–40 letters, digits, spaces, dots, hyphens or apostrophes, or leave it empty."
        )


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user) -> Profile:
        """The user's profile, created on first use (older accounts and superusers have none).

        No query when it came with the user (studyapp.auth.ProfileBackend loads it so)."""
        try:
            return user.profile
        except Profile.DoesNotExist:
            return self.get_or_create(user=user)[0]


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    exam_date = models.DateField(
        null=True, blank=True, help_text="Your UPSC Prelims date, for the countdown."
    )
    daily_new_cards = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text="New flashcards introduced per day (0–200).",
    )
    timezone = models.CharField(
        max_length=64,
        validators=[validate_timezone],
        default="Asia/Kolkata",
        help_text="Your day starts at midnight here (daily limits, streaks).",
    )
    public_name = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_public_name],
        help_text="Shown on test-series rankings. Leave empty to appear as “Anonymous aspirant”; "
        "no other detail of yours is ever shown to other learners.",
    )
    desired_retention = models.FloatField(
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text="Share of cards you want to remember when they come due (FSRS).",
    )

    # Custom study: extra new cards for one local day (the learner's "study more today").
    extra_new_cards = models.PositiveSmallIntegerField(default=0)
    extra_new_day = models.DateField(null=True, blank=True)
    # Counters kept by the quizzes services on every write (never edited by hand), so the staff
    # list sorts 10,000s of learners on an indexed column instead of scanning their history.
    last_active = models.DateTimeField(
        null=True, blank=True, editable=False, db_index=True,
        help_text="Newest card rating, Prelims answer, Mains answer or studied note.",
    )  # fmt: skip
    mocks_taken = models.PositiveIntegerField(default=0, editable=False)
    mocks_scored = models.PositiveIntegerField(default=0, editable=False)
    mock_percent_sum = models.FloatField(default=0.0, editable=False)
    # Moved forward after every write to the learner's rows (studyapp.freshness): the learner's
    # cached page data is keyed by it, so the next page after a write is built afresh.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        db_table = "studyapp_profile"

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def new_limit(self, now: dt.datetime) -> int:
        """Today's new-card limit: the daily limit plus any extra asked for today (custom
        study), today being the learner's local date at `now`."""
        today = now.astimezone(self.tzinfo).date()
        extra = self.extra_new_cards if self.extra_new_day == today else 0
        return self.daily_new_cards + extra
