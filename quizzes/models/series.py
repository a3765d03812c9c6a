"""Test-series statistics kept as counters on submit, so a result page never scans attempts.

`PaperScore` is the paper's score histogram: one row per distinct score (in thirds of a mark)
with the number of ranked takers who got exactly it, at most 8 × questions + 1 rows however
many take the paper. Rank, percentile, average, topper, the distribution and the estimated
cut-off are all read from these rows (quizzes.standing). `PaperQuestionStat` counts, per
question of a paper, how many ranked takers picked each option (as shown), left it blank or
got it right. Both are updated with F() expressions in the submit transaction, under a lock
on the paper row (quizzes.services.paper_stats).
"""

from __future__ import annotations

from django.db import models

from content.models import Paper, Question


class PaperScore(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="score_bins")
    score_thirds = models.IntegerField()
    takers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paper", "score_thirds"], name="paper_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.takers} scored {self.score_thirds}/3 on {self.paper_id}"


class PaperQuestionStat(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="question_stats")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="paper_stats")
    picks_0 = models.PositiveIntegerField(default=0)
    picks_1 = models.PositiveIntegerField(default=0)
    picks_2 = models.PositiveIntegerField(default=0)
    picks_3 = models.PositiveIntegerField(default=0)
    blank = models.PositiveIntegerField(default=0)
    right = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paper", "question"], name="paper_question_stat_once")
        ]

    def __str__(self) -> str:
        return f"stats of {self.question_id} in {self.paper_id}"

    @property
    def takers(self) -> int:
        return self.picks_0 + self.picks_1 + self.picks_2 + self.picks_3 + self.blank

    @property
    def picks(self) -> list[int]:
        return [self.picks_0, self.picks_1, self.picks_2, self.picks_3]
