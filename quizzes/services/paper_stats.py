"""Counters of a test-series paper, kept on submit (see quizzes.models PaperScore and
PaperQuestionStat): a few statements per submission, none of which reads other attempts."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Value, When

from content.models import Paper
from quizzes.models import Attempt, AttemptItem, PaperQuestionStat, PaperScore


def _plus_one(question_ids: list[int]):
    if not question_ids:
        return Value(0, output_field=IntegerField())
    return Case(
        When(question_id__in=question_ids, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def paper_record_submission(*, attempt: Attempt) -> None:
    """Count a just-submitted ranked attempt into its paper's histogram and per-question
    counters. Call inside the submit transaction, with the attempt row locked.

    The paper row is locked first, so concurrent submissions of one paper serialise here:
    the histogram row of a new score is created exactly once and the per-question update
    (one statement over the paper's rows) never deadlocks with another.
    """
    if not attempt.paper_id or not attempt.ranked or attempt.score_thirds is None:
        return
    list(Paper.objects.select_for_update().filter(pk=attempt.paper_id).values_list("pk"))
    bins = PaperScore.objects.filter(paper_id=attempt.paper_id, score_thirds=attempt.score_thirds)
    if not bins.update(takers=F("takers") + 1):
        PaperScore.objects.create(
            paper_id=attempt.paper_id, score_thirds=attempt.score_thirds, takers=1
        )
    rows = list(
        AttemptItem.objects.filter(attempt=attempt).values_list("question_id", "chosen", "key")
    )
    if not rows:
        return
    PaperQuestionStat.objects.bulk_create(
        [PaperQuestionStat(paper_id=attempt.paper_id, question_id=q) for q, _, _ in rows],
        ignore_conflicts=True,
    )
    picks = {i: [q for q, chosen, _ in rows if chosen == i] for i in range(4)}
    PaperQuestionStat.objects.filter(
        paper_id=attempt.paper_id, question_id__in=[q for q, _, _ in rows]
    ).update(
        picks_0=F("picks_0") + _plus_one(picks[0]),
        picks_1=F("picks_1") + _plus_one(picks[1]),
        picks_2=F("picks_2") + _plus_one(picks[2]),
        picks_3=F("picks_3") + _plus_one(picks[3]),
        blank=F("blank") + _plus_one([q for q, chosen, _ in rows if chosen is None]),
        right=F("right")
        + _plus_one([q for q, chosen, key in rows if chosen is not None and chosen == key]),
    )
