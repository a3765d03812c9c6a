"""Mains answers: drafts, submissions, self-assessment and mentor feedback."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce, TruncDate

from content.models import KeyPoint, MainsQuestion

User = settings.AUTH_USER_MODEL


def may_review(user, learner) -> bool:
    """Whether staff member `user` may see `learner`'s answers (see reviewable_by)."""
    return user.is_staff and (user.is_superuser or not learner.is_superuser)


class MainsAnswerQuerySet(models.QuerySet):
    """Reads for the Mains pages; every method is scoped to one learner."""

    def reviewable_by(self, user):
        """The answers `user` may open as a mentor: staff never see a superuser's answers unless
        they are superusers themselves (the staff learner pages follow the same rule)."""
        return self if user.is_superuser else self.exclude(learner__is_superuser=True)

    def drafts(self):
        """Answers still being written (submitted_at is null)."""
        return self.filter(submitted_at__isnull=True)

    def submitted(self):
        """Answers handed in."""
        return self.filter(submitted_at__isnull=False)

    def stats_by_question(self, learner) -> dict[int, dict]:
        """{question id: {attempts, best, drafts, new_feedback, last_at}} in one grouped query.

        `best` is the highest score of a submitted answer, the mentor's score where given and
        the learner's self-score otherwise; `new_feedback` counts answers whose mentor feedback
        the learner has not opened since it was written.
        """
        done = Q(submitted_at__isnull=False)
        rows = (
            self.filter(learner=learner)
            .order_by()
            .values("question")
            .annotate(
                attempts=Count("pk", filter=done),
                best=Max(Coalesce("mentor_score", "self_score"), filter=done),
                drafts=Count("pk", filter=Q(submitted_at__isnull=True)),
                new_feedback=Count("pk", filter=MainsAnswer.new_feedback_q()),
                last_at=Max("submitted_at"),
            )
        )
        return {row.pop("question"): row for row in rows}

    def with_covered_count(self):
        """Annotate `covered_count`: key points the learner ticked (a grouped join, no N+1)."""
        return self.annotate(covered_count=Count("covered_points", distinct=True))

    def recent(self, learner, *, limit: int):
        """The learner's latest submitted answers with question and topic, newest first."""
        return (
            self.filter(learner=learner)
            .submitted()
            .select_related("question__topic")
            .with_covered_count()
            .order_by("-submitted_at", "-pk")[:limit]
        )

    def attempts_at(self, learner, question_id: int, *, limit: int):
        """The learner's submitted answers to one question, oldest first, with `covered_count`
        (the last `limit` of them: progress side by side)."""
        latest = (
            self.filter(learner=learner, question_id=question_id)
            .submitted()
            .order_by("-submitted_at", "-pk")
            .values("pk")[:limit]
        )
        return (
            self.filter(pk__in=latest)
            .defer("text")
            .with_covered_count()
            .order_by("submitted_at", "pk")
        )

    # ---- progress (issue 8) ----

    def per_day(self, learner, *, tz) -> dict[dt.date, int]:
        """{local date in `tz`: answers submitted that day}, whole history, one query."""
        rows = (
            self.filter(learner=learner, submitted_at__isnull=False)
            .order_by()
            .annotate(day=TruncDate("submitted_at", tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
        )
        return {row["day"]: row["n"] for row in rows}

    def for_history(self, learner, *, topic=None):
        """The learner's submitted answers with question (text, marks, topic), newest first;
        the answer text itself is left out."""
        qs = (
            self.filter(learner=learner, submitted_at__isnull=False)
            .select_related("question__topic")
            .defer("text", "suggested_points")
            .order_by("-submitted_at", "-pk")
        )
        return qs.filter(question__topic=topic) if topic is not None else qs

    def awaiting_feedback(self):
        """Submitted answers no mentor has scored or commented on yet, oldest first."""
        return (
            self.filter(submitted_at__isnull=False, feedback_at__isnull=True)
            .select_related("question__topic")
            .defer("text", "suggested_points")
            .order_by("submitted_at", "pk")
        )


class MainsAnswer(models.Model):
    """A learner's answer to a Mains question: a draft until submitted_at is set."""

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mains_answers")
    question = models.ForeignKey(MainsQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    words = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0, help_text="Time spent writing.")
    started_at = models.DateTimeField()
    saved_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    covered_points = models.ManyToManyField(
        KeyPoint, blank=True, related_name="self_covered_in", help_text="Ticked by the learner."
    )
    suggested_points = models.JSONField(
        default=list, blank=True, help_text="Key point ids the keyword matcher found."
    )
    self_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    mentor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentored_answers"
    )
    mentor_feedback = models.TextField(blank=True)
    mentor_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_seen_at = models.DateTimeField(null=True, blank=True)
    # The mentor's evaluation (quizzes:mentor-evaluate): each key point judged covered /
    # partial / missed ({str(key point id): verdict}), and marks for structure out of
    # STRUCTURE_MARKS beside the overall score (mentor_score, out of the question's marks).
    rubric = models.JSONField(default=dict, blank=True)
    structure_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)

    objects = MainsAnswerQuerySet.as_manager()

    STRUCTURE_MARKS = 5

    class Meta:
        indexes = [
            models.Index(fields=["learner", "submitted_at"]),
            # The mentor queue: answers waiting (feedback_at null), oldest submitted first.
            models.Index(fields=["feedback_at", "submitted_at"], name="mains_queue_idx"),
        ]

    def __str__(self) -> str:
        state = "draft" if self.is_draft else "answer"
        return f"Mains {state} #{self.pk} of {self.learner_id} to {self.question_id}"

    @staticmethod
    def new_feedback_q() -> Q:
        """Feedback written and not yet opened by the learner since it was written."""
        return Q(feedback_at__isnull=False) & (
            Q(feedback_seen_at__isnull=True) | Q(feedback_seen_at__lt=F("feedback_at"))
        )

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def feedback_is_new(self) -> bool:
        """Mentor feedback the learner has not opened since it was (re)written."""
        return self.feedback_at is not None and (
            self.feedback_seen_at is None or self.feedback_seen_at < self.feedback_at
        )

    @property
    def score(self):
        """The mentor's score where given, else the learner's self-score (or None)."""
        return self.mentor_score if self.mentor_score is not None else self.self_score

    @property
    def turnaround(self) -> dt.timedelta | None:
        """From submission to the mentor's (latest) feedback."""
        if self.feedback_at is None or self.submitted_at is None:
            return None
        return self.feedback_at - self.submitted_at

    @property
    def time_display(self) -> str:
        """Time taken, e.g. "6 min 40 s", "45 s", "1 h 5 min"."""
        minutes, seconds = divmod(self.seconds, 60)
        if minutes >= 60:
            return f"{minutes // 60} h {minutes % 60} min"
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
