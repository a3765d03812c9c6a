"""Test series: start (or resume) a learner's attempt at a fixed paper.

A paper attempt is a timed mock whose items are the paper's questions in the paper's order,
with snapshots like any mock. The learner's first attempt at a paper, started while the paper
is open, is the ranked one; later attempts (and attempts after the paper closes) are practice:
scored and reviewed, never counted in ranks or shares.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from content.formats import FormatError
from content.models import Paper, Question, Status
from quizzes.models import Attempt, AttemptItem
from quizzes.services.prelims import AttemptError
from studyapp.freshness import learner_changed


@transaction.atomic
def paper_attempt_start(*, learner, paper: Paper, now: dt.datetime | None = None) -> Attempt:
    """The learner's open attempt at `paper` if one is running, else a new one.

    Refuses (AttemptError) a paper that is not open yet or has no published question. The
    learner's row is locked so two clicks on Start make one attempt, and one ranked attempt.
    """
    now = now or timezone.now()
    if paper.status != Status.PUBLISHED:
        raise AttemptError("This paper is not available.")
    window = paper.window(now)
    if window == "upcoming":
        opens = date_format(timezone.localtime(paper.opens_at), "j M Y, H:i")
        raise AttemptError(f"This paper opens on {opens}.")
    get_user_model().objects.select_for_update().filter(pk=learner.pk).exists()
    mine = Attempt.objects.filter(learner=learner, paper=paper)
    running = mine.open().order_by("-started_at").first()
    if running is not None:
        return running
    questions = list(
        Question.objects.visible()
        .with_parts()
        .filter(paper_items__paper=paper)
        .order_by("paper_items__order")
    )
    items = []
    for question in questions:
        try:
            snapshot = question.snapshot()
        except FormatError:
            continue  # an impossible structure: the loader refuses these; never show one
        items.append(AttemptItem(question=question, snapshot=snapshot, key=snapshot["key"]))
    if not items:
        raise AttemptError("This paper has no questions yet.")
    seconds = paper.minutes * 60
    attempt = Attempt.objects.create(
        learner=learner,
        mode=Attempt.Mode.MOCK,
        title=paper.title,
        settings={"paper": paper.slug, "seconds": seconds},
        started_at=now,
        deadline=now + dt.timedelta(seconds=seconds),
        question_count=len(items),
        paper=paper,
        family=paper.family,
        ranked=window == "open" and not mine.filter(ranked=True).exists(),
    )
    for order, item in enumerate(items, start=1):
        item.attempt = attempt
        item.order = order
    AttemptItem.objects.bulk_create(items)
    learner_changed(attempt.learner_id)
    return attempt
