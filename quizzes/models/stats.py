"""Per-question statistics from every learner's answers (a proxy of content.Question)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, FloatField, Q, Value
from django.db.models.functions import Cast, NullIf

from content.models import Question

User = settings.AUTH_USER_MODEL


class QuestionStatsQuerySet(models.QuerySet):
    """Per-question statistics from every learner's answers, for authors (admin only)."""

    def with_stats(self, *, top=(), bottom=()):
        """Annotate each question with how it performs across all attempts:

        `answered` (items with an option chosen), `correct`, `facility` (correct / answered),
        `picks_0..3` (how often each option was chosen), `keyed_0..3` (how often each option
        was the key when shown: 0 for a distractor), and `discrimination`: facility among the
        learners in `top` minus facility among those in `bottom` (learner ids: the top and
        bottom thirds by mock score), NULL when either group has not answered it. One query.
        """
        answered = Q(attempt_items__chosen__isnull=False)
        right = answered & Q(attempt_items__is_correct=True)
        counts = {
            "answered": Count("attempt_items", filter=answered),
            "correct": Count("attempt_items", filter=right),
        }
        for i in range(4):
            counts[f"picks_{i}"] = Count(
                "attempt_items", filter=answered & Q(attempt_items__chosen=i)
            )
            counts[f"keyed_{i}"] = Count("attempt_items", filter=answered & Q(attempt_items__key=i))
        for group, ids in (("top", top), ("bottom", bottom)):
            if ids:
                member = Q(attempt_items__attempt__learner__in=list(ids))
                counts[f"{group}_answered"] = Count("attempt_items", filter=answered & member)
                counts[f"{group}_correct"] = Count("attempt_items", filter=right & member)
            else:
                counts[f"{group}_answered"] = Value(0, output_field=models.IntegerField())
                counts[f"{group}_correct"] = Value(0, output_field=models.IntegerField())

        def share(part: str, whole: str):
            return Cast(part, FloatField()) / NullIf(Cast(whole, FloatField()), 0.0)

        return self.annotate(**counts).annotate(
            facility=share("correct", "answered"),
            discrimination=share("top_correct", "top_answered")
            - share("bottom_correct", "bottom_answered"),
        )

    def looks_broken(self, *, min_answers: int):
        """Of questions annotated by `with_stats` and answered at least `min_answers` times:
        those with facility below 0.2, or with a distractor nobody picked."""
        unpicked = Q(picks_0=0, keyed_0=0)
        for i in range(1, 4):
            unpicked |= Q(**{f"picks_{i}": 0, f"keyed_{i}": 0})
        return self.filter(answered__gte=min_answers).filter(Q(facility__lt=0.2) | unpicked)


class QuestionStats(Question):
    """content.Question seen through its answers (a proxy: no table of its own). Lives here
    because content never imports quizzes."""

    objects = QuestionStatsQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "question statistics"
        verbose_name_plural = "question statistics"
