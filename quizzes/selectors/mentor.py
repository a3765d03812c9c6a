"""The mentor queue (`/staff/mains/`) and the evaluation page (`/staff/mains/<id>/`).

The queue lists submitted answers of every learner: waiting ones oldest first (index
mains_queue_idx: feedback_at, submitted_at), evaluated ones latest feedback first; filtered by
topic and question; one page of PER_PAGE rows costs the same few queries however long the
history is (a COUNT and the page, the filter choices, the turnaround of the latest evaluations).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count

from content.models import KeyPoint, MainsQuestion, Topic
from quizzes import coverage
from quizzes.models import MainsAnswer
from quizzes.selectors.model_answer import model_answer_for

PER_PAGE = 25
TURNAROUND_SAMPLE = 50  # the median turnaround is over the latest evaluations


def queue_filter_choices() -> tuple[list[Topic], list[MainsQuestion]]:
    """Topics and questions that have Mains questions, for the filter form (two queries)."""
    topics = list(Topic.objects.filter(mains_questions__isnull=False).distinct().order_by("order"))
    questions = list(
        MainsQuestion.objects.select_related("topic")
        .only("pk", "text", "marks", "topic__title", "topic__order")
        .order_by("topic__order", "marks", "pk")
    )
    return topics, questions


def format_duration(delta: dt.timedelta | None) -> str:
    """ "3 d 4 h", "5 h 10 min", "12 min" ("—" for None)."""
    if delta is None:
        return "—"
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def mentor_queue(
    *, viewer, state: str, topic: str | None, question: int | None, page_number: int | None, now
) -> dict:
    """One page of the queue and its counts; rows carry `waiting` / `turnaround` text."""
    answers = (
        MainsAnswer.objects.reviewable_by(viewer)
        .filter(submitted_at__isnull=False)
        .select_related("learner", "question__topic", "mentor")
        .defer("text", "suggested_points", "rubric")
        .annotate(page_count=Count("pages"))
    )
    if topic:
        answers = answers.filter(question__topic__slug=topic)
    if question:
        answers = answers.filter(question_id=question)
    waiting = answers.filter(feedback_at__isnull=True)
    if state == "evaluated":
        rows = answers.filter(feedback_at__isnull=False).order_by("-feedback_at", "-pk")
    else:
        rows = waiting.order_by("submitted_at", "pk")
    page = Paginator(rows, PER_PAGE).get_page(page_number)
    for answer in page:
        answer.waiting_for = format_duration(now - answer.submitted_at)
        answer.turnaround_text = format_duration(answer.turnaround)
    recent = (
        answers.filter(feedback_at__isnull=False)
        .order_by("-feedback_at")
        .values_list("submitted_at", "feedback_at")[:TURNAROUND_SAMPLE]
    )
    turnarounds = [f - s for s, f in recent]
    return {
        "page": page,
        "state": state,
        "waiting_count": waiting.count() if state == "evaluated" else page.paginator.count,
        "median_turnaround": format_duration(statistics.median(turnarounds)) if turnarounds else "",
        "turnaround_sample": len(turnarounds),
    }


@dataclass
class RubricRow:
    point: KeyPoint
    match: coverage.PointMatch


def evaluation_page(answer: MainsAnswer, *, now) -> dict:
    """What the mentor sees beside the form: the answer (text and pages), the key points with
    the matcher's hints, the model answer, waiting time or turnaround."""
    question = answer.question
    points = list(question.key_points.all())
    matches = coverage.match_points(
        answer.text, [(p.pk, p.keywords, p.synonyms) for p in points], question=question.text
    )
    return {
        "answer": answer,
        "question": question,
        "points": points,
        "rows": [RubricRow(p, m) for p, m in zip(points, matches, strict=True)],
        "pages": list(answer.pages.order_by("order", "pk")),
        "model_answer": model_answer_for(question),
        "waiting_for": format_duration(now - answer.submitted_at),
        "turnaround": format_duration(answer.turnaround),
    }


def evaluation_initial(answer: MainsAnswer, rows: list[RubricRow]) -> dict:
    """The form's starting values: the saved evaluation, or the matcher's hints for a new one."""
    if answer.feedback_at:
        initial = {f"point_{pk}": v for pk, v in answer.rubric.items()}
        initial |= {
            "score": answer.mentor_score,
            "structure_score": answer.structure_score,
            "comments": answer.mentor_feedback,
        }
        return initial
    verdicts = {coverage.COVERED: "covered", coverage.PARTIAL: "partial"}
    return {f"point_{r.point.pk}": verdicts.get(r.match.status, "missed") for r in rows}
