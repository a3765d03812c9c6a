"""Notes a learner has marked studied."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate

from content.models import Topic

User = settings.AUTH_USER_MODEL


class NoteProgressQuerySet(models.QuerySet):
    def studied_at_by_topic(self, learner) -> dict[int, dt.datetime]:
        """{topic id: studied_at} for the learner's studied notes (one query)."""
        return dict(self.filter(learner=learner).values_list("topic_id", "studied_at"))

    def per_day(self, learner, *, tz) -> dict[dt.date, int]:
        """{local date in `tz`: notes marked studied that day}, whole history, one query."""
        rows = (
            self.filter(learner=learner)
            .order_by()
            .annotate(day=TruncDate("studied_at", tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        return {row["day"]: row["n"] for row in rows}


class NoteProgress(models.Model):
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notes_studied")
    # PROTECT: a topic learners studied is retired, never deleted with their history.
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="studied_by")
    studied_at = models.DateTimeField()

    objects = NoteProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "topic"], name="note_studied_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} studied {self.topic_id}"
