"""The Mains pages: the question list (`/mains/`), the write page (`/mains/<id>/write/`) and
the answer page (`/mains/answers/<id>/`).

Indexes relied on: MainsAnswer (learner, submitted_at) and its learner/question foreign keys;
the published question bank is read by topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from content.models import KeyPoint, MainsQuestion, Topic, visible_q
from quizzes import coverage
from quizzes.models import MainsAnswer
from quizzes.selectors.mentor import format_duration
from quizzes.selectors.model_answer import model_answer_for
from quizzes.services.mains import MAX_WORDS
from quizzes.services.uploads import MAX_PAGES
from quizzes.uploads import MAX_FILES, MAX_TOTAL_BYTES

RECENT_ANSWERS = 10
ATTEMPTS_SHOWN = 10
EARLIER_ON_WRITE_PAGE = 5
MARKS_CHOICES = [(None, "All"), (10, "10 marks · 150 words"), (15, "15 marks · 250 words")]


def ms(moment) -> int:
    """Milliseconds since the epoch, as JavaScript's Date.now() counts."""
    return int(moment.timestamp() * 1000)


def question_list_page(learner, *, topic: Topic | None, marks: int | None) -> dict:
    """The question list (`/mains/`): published Mains questions by topic (optionally one topic,
    one marks value), each with the learner's attempts, best score, draft and new feedback;
    and the learner's latest answers."""
    questions = (
        MainsQuestion.objects.visible()
        .select_related("topic")
        .annotate(point_count=Count("key_points"))
        .order_by("topic__order", "topic__title", "marks", "pk")
    )
    if topic is not None:
        questions = questions.filter(topic=topic)
    if marks is not None:
        questions = questions.filter(marks=marks)
    stats = MainsAnswer.objects.stats_by_question(learner)
    groups: list[dict] = []
    for question in questions:
        question.stats = stats.get(question.pk, {})
        if not groups or groups[-1]["topic"].pk != question.topic_id:
            groups.append({"topic": question.topic, "questions": []})
        groups[-1]["questions"].append(question)
    topics = (
        Topic.objects.visible()
        .filter(visible_q(MainsQuestion, "mains_questions"))
        .distinct()
        .order_by("order", "title")
    )
    return {
        "groups": groups,
        "topics": topics,
        "topic": topic,
        "marks": marks,
        "marks_choices": MARKS_CHOICES,
        "recent": MainsAnswer.objects.recent(learner, limit=RECENT_ANSWERS),
        "new_feedback": sum(row["new_feedback"] for row in stats.values()),
    }


def draft_of(learner, question: MainsQuestion) -> MainsAnswer | None:
    """The learner's latest unsubmitted answer to `question`, if any."""
    return (
        MainsAnswer.objects.drafts()
        .filter(learner=learner, question=question)
        .order_by("-saved_at", "-pk")
        .first()
    )


def write_page(
    learner, question: MainsQuestion, draft: MainsAnswer | None, *, text: str, now,
    base_seconds: int, opened_at,
) -> dict:  # fmt: skip
    """The write page without its form: the draft, earlier answers and the clocks."""
    earlier = list(
        MainsAnswer.objects.filter(learner=learner, question=question)
        .submitted()
        .only("pk", "submitted_at", "words", "seconds", "self_score", "mentor_score")
        .order_by("-submitted_at", "-pk")[:EARLIER_ON_WRITE_PAGE]
    )
    return {
        "question": question,
        "draft": draft,
        "draft_pages": list(draft.pages.all()) if draft else [],
        "upload_limits": {"files": MAX_FILES, "pages": MAX_PAGES, "mb": MAX_TOTAL_BYTES >> 20},
        "words": coverage.count_words(text),
        "earlier": earlier,
        "base_seconds": base_seconds,
        "elapsed_seconds": max(0, int((now - opened_at).total_seconds())),
        "limit_seconds": question.minutes * 60,
        "max_words": MAX_WORDS,
        "saved_at_ms": ms(draft.saved_at) if draft else 0,
        "last_submitted_ms": ms(earlier[0].submitted_at) if earlier else 0,
        "storage_key": f"studyapp:mains:{learner.pk}:{question.pk}",
    }


@dataclass
class PointRow:
    """One key point on the answer page: the matcher's hint and the learner's tick."""

    point: KeyPoint
    match: coverage.PointMatch
    ticked: bool
    verdict: str = ""  # the mentor's: covered / partial / missed ("" before evaluation)


def answer_page(answer: MainsAnswer, *, viewer) -> dict:
    """The answer page without its forms: key points with the matcher's hints and the
    learner's ticks, structure hints and earlier attempts side by side. `ticked` (key point
    ids) and `points` are included for the self-assessment form."""
    question = answer.question
    points = list(question.key_points.all())
    ticked = set(answer.covered_points.values_list("pk", flat=True))
    matches = coverage.match_points(
        answer.text, [(p.pk, p.keywords, p.synonyms) for p in points], question=question.text
    )
    rubric = answer.rubric or {}
    rows = [
        PointRow(p, m, p.pk in ticked, rubric.get(str(p.pk), ""))
        for p, m in zip(points, matches, strict=True)
    ]
    attempts = list(
        MainsAnswer.objects.attempts_at(answer.learner, question.pk, limit=ATTEMPTS_SHOWN)
    )
    return {
        "answer": answer,
        "question": question,
        # Only beside a submitted answer: never before the learner has written their own.
        "model_answer": None if answer.is_draft else model_answer_for(question),
        "pages": list(answer.pages.all()),
        "turnaround": format_duration(answer.turnaround),
        "is_owner": answer.learner_id == viewer.pk,
        "over_time": answer.seconds > question.minutes * 60,
        "submitted_ms": ms(answer.submitted_at) if answer.submitted_at else 0,
        # Toppers' GS marks are about 40-50%: what that is on this question.
        "good_score": f"{question.marks * 0.4:g}–{question.marks * 0.5:g}",
        "rows": rows,
        "points": points,
        "ticked": ticked,
        "suggested_count": sum(1 for m in matches if m.covered),
        "ticked_count": len(ticked),
        "hints": coverage.structure_hints(answer.text, word_limit=question.word_limit),
        "attempts": attempts if len(attempts) > 1 else [],
    }
