"""Mentors' evaluations of Mains answers (the queue at /staff/mains/), and telling the learner.

An evaluation judges every key point (covered / partial / missed), gives marks out of the
question's marks and structure marks out of MainsAnswer.STRUCTURE_MARKS, and comments. It
sets `feedback_at`, so the learner's home and answer page show the feedback as new, and, when
email is configured (settings.EMAIL_CONFIGURED) and the learner has an address, one email is
sent after the transaction commits. A failing mail server never undoes or breaks the save.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from quizzes import coverage
from quizzes.models import MainsAnswer
from quizzes.services.mains import MAX_FEEDBACK_CHARS, AnswerClosed, AnswerRefused

log = logging.getLogger(__name__)

VERDICTS = ("covered", "partial", "missed")


@transaction.atomic
def answer_evaluate(
    *,
    mentor,
    answer_id: int,
    rubric: dict[int, str],
    score: Decimal,
    structure_score: Decimal | None,
    comments: str,
    now: dt.datetime,
) -> MainsAnswer:
    """Record a mentor's evaluation of a submitted answer; returns the answer.

    Raises AnswerRefused (nothing written) for a non-staff user, a verdict missing or unknown
    for a key point, a point of another question, or marks out of range; AnswerClosed for a
    draft. Evaluating again replaces the evaluation and marks it new for the learner again.
    """
    if not mentor.is_staff:
        raise AnswerRefused("Only mentors can evaluate answers.")
    answer = (
        MainsAnswer.objects.select_for_update()
        .select_related("question", "learner")
        .get(pk=answer_id)
    )
    if answer.is_draft:
        raise AnswerClosed("This answer is still a draft: it can be evaluated once submitted.")
    points = set(answer.question.key_points.values_list("pk", flat=True))
    if set(rubric) != points:
        raise AnswerRefused("Judge every key point of this question (and only those).")
    if any(verdict not in VERDICTS for verdict in rubric.values()):
        raise AnswerRefused("A key point is covered, partly covered or missed.")
    marks = answer.question.marks
    if score is None or not (0 <= score <= marks):
        raise AnswerRefused(f"Give marks from 0 to {marks}.")
    top = MainsAnswer.STRUCTURE_MARKS
    if structure_score is not None and not (0 <= structure_score <= top):
        raise AnswerRefused(f"Structure marks are from 0 to {top}.")
    comments = coverage.clean_text(comments).strip()
    if len(comments) > MAX_FEEDBACK_CHARS:
        raise AnswerRefused(f"Comments can be at most {MAX_FEEDBACK_CHARS:,} characters.")
    answer.mentor = mentor
    answer.rubric = {str(pk): rubric[pk] for pk in sorted(rubric)}
    answer.mentor_score = score
    answer.structure_score = structure_score
    answer.mentor_feedback = comments
    answer.feedback_at = now
    answer.save(
        update_fields=[
            "mentor", "rubric", "mentor_score", "structure_score", "mentor_feedback",
            "feedback_at",
        ]
    )  # fmt: skip
    if settings.EMAIL_CONFIGURED and answer.learner.email:
        transaction.on_commit(lambda: feedback_email_send(answer=answer))
    return answer


def feedback_email_send(*, answer: MainsAnswer) -> bool:
    """Tell the learner their answer was evaluated (a link, not the feedback itself: the page
    is behind their login). True if sent; a mail failure is logged, never raised."""
    url = settings.SITE_URL.rstrip("/") + reverse("quizzes:mains-answer", args=[answer.pk])
    context = {"answer": answer, "question": answer.question, "url": url}
    body = render_to_string("quizzes/mentor/feedback_email.txt", context)
    try:
        send_mail(
            "Your Mains answer has been evaluated",
            body,
            None,
            [answer.learner.email],
        )
    except Exception:  # noqa: BLE001 - any mail failure: the evaluation is saved regardless
        log.exception("Could not email feedback on Mains answer %s", answer.pk)
        return False
    return True
