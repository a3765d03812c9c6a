"""Mains answers: autosave a draft, submit it, self-assess it, and mentors' feedback on it.

A learner has at most one draft per question: a MainsAnswer with `submitted_at` null. Saves and
submits lock the learner's user row first, so two tabs (or an autosave racing the submit
button) never make a second draft or write into an answer already handed in. Submitting
freezes the text; writing the question again later starts a new answer, and the old ones stay
for comparison.

Time taken is counted on the server: the write page carries the seconds already spent on the
draft (`base_seconds`) and when it was opened (`opened_at`, server time), so each save stores
base + time since opening — a reload, a closed tab or a second sitting adds up, and a page left
open overnight counts at most MAX_SITTING.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from content.models import MainsQuestion
from quizzes import coverage
from quizzes.models import MainsAnswer
from quizzes.services import WriteRefused
from quizzes.services.activity import record_activity
from quizzes.services.uploads import pages_attach, pages_used
from studyapp.freshness import learner_changed

# An answer is 150 or 250 words; ten times the longest is plenty for notes and rewrites, and
# stops a paste of a whole article from being stored and matched on every page view.
MAX_WORDS = 2_500
MAX_CHARS = 30_000
MAX_SITTING = dt.timedelta(hours=3)
MAX_SECONDS = 24 * 3600
MAX_FEEDBACK_CHARS = 10_000

EMPTY_MESSAGE = (
    "Your answer is empty, so nothing was submitted. Write your answer or upload photos of "
    "your handwritten pages first — your saved draft is kept."
)


class AnswerRefused(WriteRefused):
    """A refused write to a Mains answer; `message` is shown to the learner as it is."""

    code = "answer_refused"


class AnswerClosed(AnswerRefused):
    """The answer was submitted already: it can no longer be written (or a draft assessed)."""

    status = 409
    code = "answer_closed"

    def __init__(self, message: str, *, answer: MainsAnswer | None = None):
        super().__init__(message)
        self.answer = answer


def text_problem(text: str) -> str | None:
    """Why a (cleaned) answer text cannot be stored, or None when it can."""
    words = coverage.count_words(text)
    if words > MAX_WORDS:
        return (
            f"Your answer has {words:,} words; the most an answer can hold is {MAX_WORDS:,} "
            f"(a Mains answer is 150 or 250 words). Shorten it — nothing was saved from this "
            f"version, your text is still in the box."
        )
    if len(text) > MAX_CHARS:
        return (
            f"Your answer has {len(text):,} characters; the most an answer can hold is "
            f"{MAX_CHARS:,}. Shorten it — nothing was saved from this version."
        )
    return None


def writing_seconds(*, base_seconds: int, opened_at: dt.datetime, now: dt.datetime) -> int:
    """Seconds spent on the answer: before this sitting plus this sitting (at most MAX_SITTING)."""
    sitting = min(max(now - opened_at, dt.timedelta(0)), MAX_SITTING)
    return min(max(base_seconds, 0) + int(sitting.total_seconds()), MAX_SECONDS)


def _checked(text: str) -> str:
    text = coverage.clean_text(text)
    problem = text_problem(text)
    if problem:
        raise AnswerRefused(problem)
    return text


def _locked_target(
    *, learner, question: MainsQuestion, answer_id: int | None, opened_at: dt.datetime
) -> MainsAnswer | None:
    """The draft a save or submit writes to, locked; None when a new one is to be made.

    Raises MainsAnswer.DoesNotExist for an answer id that is not this learner's answer to this
    question, and AnswerClosed (carrying the answer) when the page's answer — or, for a page
    without one, an answer submitted since the page was opened — has been handed in.
    """
    # Serialise this learner's writes: the one-draft rule has no database constraint.
    get_user_model().objects.select_for_update().filter(pk=learner.pk).first()
    mine = MainsAnswer.objects.select_for_update().filter(learner=learner, question=question)
    if answer_id is not None:
        answer = mine.get(pk=answer_id)
        if not answer.is_draft:
            raise AnswerClosed(
                "This answer has already been submitted. Open the writing page again to start "
                "a new answer.",
                answer=answer,
            )
        return answer
    draft = mine.drafts().order_by("-saved_at", "-pk").first()
    if draft is None:
        since = mine.filter(submitted_at__gte=opened_at).order_by("-submitted_at").first()
        if since is not None:
            raise AnswerClosed(
                "You submitted this question after this page was opened (in another tab?). "
                "Open the writing page again to start a new answer.",
                answer=since,
            )
    return draft


def _write(
    answer: MainsAnswer | None,
    *,
    learner,
    question: MainsQuestion,
    text: str,
    seconds: int,
    now: dt.datetime,
    fields: dict,
    pages: Sequence = (),
) -> MainsAnswer:
    values = {"text": text, "words": coverage.count_words(text), "seconds": seconds}
    values.update(fields)
    if answer is None:
        started = now - dt.timedelta(seconds=seconds)
        answer = MainsAnswer.objects.create(
            learner=learner, question=question, started_at=started, saved_at=now, **values
        )
    else:
        for name, value in values.items():
            setattr(answer, name, value)
        answer.saved_at = now
        answer.save(update_fields=[*values, "saved_at"])
    try:
        pages_attach(answer=answer, pages=pages, now=now)
    except ValueError as exc:
        raise AnswerRefused(f"Nothing was saved: {exc}.") from None
    return answer


@transaction.atomic
def answer_autosave(
    *,
    learner,
    question: MainsQuestion,
    text: str,
    answer_id: int | None,
    opened_at: dt.datetime,
    base_seconds: int,
    now: dt.datetime,
    pages: Sequence = (),
) -> MainsAnswer:
    """Save the learner's draft of `question` (making it on the first save); returns it.

    An empty text is saved too (the learner cleared the box); a submitted answer is never
    written (AnswerClosed), and a text over the limits is refused (AnswerRefused). `pages`
    (checked by quizzes.uploads) are added to the draft's uploaded pages.
    """
    text = _checked(text)
    draft = _locked_target(
        learner=learner, question=question, answer_id=answer_id, opened_at=opened_at
    )
    seconds = writing_seconds(base_seconds=base_seconds, opened_at=opened_at, now=now)
    return _write(
        draft,
        learner=learner,
        question=question,
        text=text,
        seconds=seconds,
        now=now,
        fields={},
        pages=pages,
    )


@transaction.atomic
def answer_submit(
    *,
    learner,
    question: MainsQuestion,
    text: str,
    answer_id: int | None,
    opened_at: dt.datetime,
    base_seconds: int,
    now: dt.datetime,
    pages: Sequence = (),
) -> MainsAnswer:
    """Hand in the learner's answer to `question`: the draft (or a new row) gets the final
    text, word count, time taken, any new uploaded `pages` and the key points the matcher
    finds, and is frozen.

    An empty answer (no text and no uploaded page) is refused and the draft left as it was. A
    repeated submit of the same text (a double click, a resent form) returns the answer
    already submitted.
    """
    text = _checked(text)
    try:
        draft = _locked_target(
            learner=learner, question=question, answer_id=answer_id, opened_at=opened_at
        )
    except AnswerClosed as closed:
        if closed.answer is not None and closed.answer.text == text and not pages:
            return closed.answer
        raise
    if not text.strip() and not pages and not pages_used(draft)[0]:
        raise AnswerRefused(EMPTY_MESSAGE)
    points = question.key_points.order_by("order", "pk").values_list("pk", "keywords", "synonyms")
    suggested = coverage.suggested_ids(coverage.match_points(text, points, question=question.text))
    seconds = writing_seconds(base_seconds=base_seconds, opened_at=opened_at, now=now)
    answer = _write(
        draft,
        learner=learner,
        question=question,
        text=text,
        seconds=seconds,
        now=now,
        fields={"submitted_at": now, "suggested_points": suggested},
        pages=pages,
    )
    record_activity(learner, now)
    return answer


def _check_score(score: Decimal | None, marks: int, who: str) -> None:
    if score is not None and not (0 <= score <= marks):
        raise AnswerRefused(f"{who} score must be between 0 and {marks}.")


@transaction.atomic
def answer_assess(
    *, learner, answer_id: int, covered_ids: Iterable[int], self_score: Decimal | None
) -> MainsAnswer:
    """Record the learner's self-assessment: the key points they covered and a self-score.

    Raises MainsAnswer.DoesNotExist for someone else's answer, AnswerClosed for a draft and
    AnswerRefused for a point of another question or a score outside 0..marks; nothing is
    written then.
    """
    answer = (
        MainsAnswer.objects.select_for_update()
        .select_related("question")
        .get(pk=answer_id, learner=learner)
    )
    if answer.is_draft:
        raise AnswerClosed("Submit the answer before assessing it.", answer=answer)
    covered = set(covered_ids)
    valid = set(answer.question.key_points.values_list("pk", flat=True))
    if not covered <= valid:
        raise AnswerRefused("Some ticked key points do not belong to this question.")
    _check_score(self_score, answer.question.marks, "Your")
    answer.covered_points.set(sorted(covered))
    answer.self_score = self_score
    answer.save(update_fields=["self_score"])
    return answer


@transaction.atomic
def answer_feedback(
    *, mentor, answer_id: int, feedback: str, score: Decimal | None, now: dt.datetime
) -> MainsAnswer:
    """A mentor's feedback and score on a submitted answer; the learner sees it marked new.

    Writing again replaces the feedback and marks it new again.
    """
    if not mentor.is_staff:
        raise AnswerRefused("Only mentors can give feedback.")
    answer = MainsAnswer.objects.select_for_update().select_related("question").get(pk=answer_id)
    if answer.is_draft:
        raise AnswerClosed("This answer is still a draft: feedback waits until it is submitted.")
    feedback = coverage.clean_text(feedback).strip()
    if not feedback and score is None:
        raise AnswerRefused("Write some feedback or give a score.")
    if len(feedback) > MAX_FEEDBACK_CHARS:
        raise AnswerRefused(f"Feedback can be at most {MAX_FEEDBACK_CHARS:,} characters.")
    _check_score(score, answer.question.marks, "The")
    answer.mentor = mentor
    answer.mentor_feedback = feedback
    answer.mentor_score = score
    answer.feedback_at = now
    answer.save(update_fields=["mentor", "mentor_feedback", "mentor_score", "feedback_at"])
    return answer


def answer_feedback_seen(*, answer: MainsAnswer, now: dt.datetime) -> bool:
    """Mark the answer's mentor feedback as opened by the learner; True if it was new.

    One conditional UPDATE, so two page loads at once cannot both count as the first view.
    """
    updated = (
        MainsAnswer.objects.filter(pk=answer.pk)
        .filter(MainsAnswer.new_feedback_q())
        .update(feedback_seen_at=now)
    )
    if updated:
        answer.feedback_seen_at = now
        learner_changed(answer.learner_id)
    return bool(updated)
