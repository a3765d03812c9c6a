"""The project's own tables: throttle counters and the content version (the learner's profile
lives in the `profiles` app).

`validate_timezone` stays importable here because studyapp's first migration names it.
"""

from django.db import models

from profiles.models import validate_timezone

__all__ = ["ContentVersion", "ThrottleCount", "validate_timezone"]


class ThrottleCount(models.Model):
    """One django-ratelimit counter (a key per view, client and time window) when there is no
    Redis: kept in the database so every worker and server counts together (see
    studyapp.throttle_cache)."""

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"


class ContentVersion(models.Model):
    """One row: a number moved forward by every change to the study material (studyapp.freshness),
    so learner pages cached per version are rebuilt after an edit, on every worker."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"content version {self.value}"
