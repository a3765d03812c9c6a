"""Prelims attempts: start (with a balanced draw), answer, submit, and expire overdue tests.

Each write is one transaction. Answers and submissions lock the attempt row first and then
the item (always in that order, so they never deadlock), which makes concurrent posts for the
same item serialise and keeps a submission from racing a late answer. The deadline is checked
on the server with `settings.PRELIMS_DEADLINE_GRACE_SECONDS` of grace for the network.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import FirstValue
from django.utils import timezone

from content.formats import FormatError
from content.models import Question
from quizzes import scoring
from quizzes.draw import balanced_draw, too_few_message
from quizzes.models import Attempt, AttemptItem, Bookmark
from quizzes.services import WriteRefused
from quizzes.services.activity import record_activity, record_mock
from quizzes.services.mistakes import mistakes_bring_back, mock_mistakes
from quizzes.services.paper_stats import paper_record_submission
from studyapp.freshness import learner_changed, unkept_writes

MAX_QUESTIONS = scoring.FULL_PAPER_QUESTIONS


class Pool:
    """Which questions a draw may use."""

    ALL = "all"
    UNSEEN_OR_WRONG = "unseen_or_wrong"
    WRONG = "wrong"
    BOOKMARKED = "bookmarked"

    choices = [
        (ALL, "All questions"),
        (UNSEEN_OR_WRONG, "Only questions I got wrong or never saw"),
        (WRONG, "Only my mistakes"),
        (BOOKMARKED, "Only my bookmarks"),
    ]


class AttemptError(WriteRefused):
    """A refused write to a Prelims attempt; `message` is shown to the learner as it is."""

    code = "attempt_refused"


class AttemptClosed(AttemptError):
    """The attempt is submitted or its time is up: it can no longer be written."""

    status = 409
    code = "attempt_closed"


# ---- reads the draw and the pages share -------------------------------------------------


def latest_answers(learner, *, right: bool) -> QuerySet:
    """Ids of the questions whose latest answer by the learner was right (`right=True`) or
    wrong: only answers the learner gave count (blank items do not), from every attempt,
    newest `answered_at` first.

    A window over the learner's own answers (through Attempt.learner and AttemptItem.attempt),
    so its cost follows this learner's history, not every learner's answers to a question.
    """
    latest_verdict = Window(
        FirstValue("is_correct"),
        partition_by=F("question_id"),
        order_by=[F("answered_at").desc(), F("pk").desc()],
    )
    # Filtering on the window itself (not on is_correct) keeps every answer in the window.
    return (
        AttemptItem.objects.filter(attempt__learner=learner, chosen__isnull=False)
        .annotate(latest_right=latest_verdict)
        .filter(latest_right=right)
        .values("question_id")
    )


def question_pool(
    *, learner, pool: str = Pool.ALL, topics: Sequence[str] = (), kinds: Sequence[str] = ()
) -> QuerySet[Question]:
    """Published questions a draw may take, filtered by topic slugs, formats and pool.

    The mistakes set ("wrong") is every question whose latest answer by this learner was
    wrong: answering it right later takes it out again.
    """
    qs = Question.objects.visible()
    if topics:
        qs = qs.filter(topic__slug__in=topics)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if pool == Pool.WRONG:
        qs = qs.filter(pk__in=latest_answers(learner, right=False))
    elif pool == Pool.UNSEEN_OR_WRONG:  # never answered, or last answered wrongly
        qs = qs.exclude(pk__in=latest_answers(learner, right=True))
    elif pool == Pool.BOOKMARKED:
        qs = qs.filter(Exists(Bookmark.objects.filter(learner=learner, question=OuterRef("pk"))))
    return qs


def mistakes_count(learner) -> int:
    """How many published questions the learner last answered wrongly."""
    return question_pool(learner=learner, pool=Pool.WRONG).count()


# ---- writes -------------------------------------------------------------------------------


@transaction.atomic
def attempt_start(
    *,
    learner,
    mode: str,
    count: int,
    topics: Sequence[str] = (),
    kinds: Sequence[str] = (),
    pool: str = Pool.ALL,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
    exact: bool = False,
) -> Attempt:
    """Create a practice set or a mock test with up to `count` questions and their snapshots
    (`exact`: refuse, naming how many match per topic, when fewer than `count` do).

    Each item stores the question as shown (`Question.snapshot()`) and its key, so results and
    reviews never change when the question is edited later. A mock gets a deadline of 1.2
    minutes a question. Raises AttemptError when nothing matches the choice.
    """
    now = now or timezone.now()
    rng = rng or random.Random()
    if not 1 <= count <= MAX_QUESTIONS:
        raise AttemptError(f"Choose between 1 and {MAX_QUESTIONS} questions.")
    if mode not in Attempt.Mode.values:
        raise AttemptError("Choose practice or a mock test.")
    candidates = question_pool(learner=learner, pool=pool, topics=topics, kinds=kinds)
    rows = list(candidates.values_list("pk", "topic_id", "kind", "topic__title"))
    if exact and rows and len(rows) < count:
        raise AttemptError(too_few_message(rows, count))
    ids = balanced_draw([row[:3] for row in rows], count, rng)
    questions = {q.pk: q for q in Question.objects.with_parts().filter(pk__in=ids)}
    items = []
    for pk in ids:
        try:
            snapshot = questions[pk].snapshot()
        except FormatError:
            continue  # an impossible structure: the loader refuses these; never show one
        items.append(AttemptItem(question_id=pk, snapshot=snapshot, key=snapshot["key"]))
    if not items:
        raise AttemptError(
            "No published question matches that choice: pick more topics or formats, "
            "or a wider pool."
        )
    n = len(items)
    attempt = Attempt.objects.create(
        learner=learner,
        mode=mode,
        title=_title(mode, n, topics, questions),
        settings={
            "count": count,
            "topics": list(topics),
            "kinds": list(kinds),
            "pool": pool,
            "seconds": scoring.mock_seconds(n) if mode == Attempt.Mode.MOCK else None,
        },
        started_at=now,
        deadline=now + dt.timedelta(seconds=scoring.mock_seconds(n))
        if mode == Attempt.Mode.MOCK
        else None,
        question_count=n,
    )
    for order, item in enumerate(items, start=1):
        item.attempt = attempt
        item.order = order
    AttemptItem.objects.bulk_create(items)
    return attempt


def _title(mode: str, n: int, topics: Sequence[str], questions: dict[int, Question]) -> str:
    titles = sorted({q.topic.title for q in questions.values() if q.topic.slug in topics})
    if not titles:
        where = "all topics"
    elif len(titles) <= 2:
        where = " & ".join(titles)
    else:
        where = f"{len(titles)} topics"
    label = "Mock test" if mode == Attempt.Mode.MOCK else "Practice"
    return f"{label} · {n} question{'s' if n != 1 else ''} · {where}"


def _lock_open(attempt_id: int, learner) -> Attempt:
    """Lock the learner's attempt row; refuse a submitted one."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt_id, learner=learner)
    if attempt.submitted_at is not None:
        raise AttemptClosed("This test has been submitted: it can no longer be changed.")
    return attempt


LATE_MESSAGE = (
    "Time is up: this answer came after the deadline and was not saved. "
    "The test was submitted with the answers saved before it."
)


def is_overdue(attempt: Attempt, now: dt.datetime) -> bool:
    """Past the deadline plus the grace period (never true for untimed practice)."""
    if attempt.deadline is None:
        return False
    grace = dt.timedelta(seconds=settings.PRELIMS_DEADLINE_GRACE_SECONDS)
    return now > attempt.deadline + grace


class PrelimsAction:
    """What an answer post does (the buttons of the UPSC computer-based test)."""

    PICK = "pick"  # an option was clicked: save it, stay (autosave)
    SAVE = "save"  # Save & Next
    MARK = "mark"  # Mark for Review & Next (keeps any chosen option)
    CLEAR = "clear"  # Clear Response
    GOTO = "goto"  # palette / previous / next: save what is chosen, move
    CHECK = "check"  # practice: answer and see the explanation

    values = (PICK, SAVE, MARK, CLEAR, GOTO, CHECK)


def attempt_answer(
    *,
    attempt_id: int,
    learner,
    order: int,
    action: str,
    chosen: int | None = None,
    seconds: int = 0,
    now: dt.datetime | None = None,
) -> AttemptItem:
    """Record what the learner did on question `order` of their open attempt.

    Refuses (AttemptError, nothing written) an option index the item does not have, an
    unknown question number, a second answer to a practice question (its key has been shown),
    and anything after submission or the deadline (AttemptClosed). An answer that arrives
    after the deadline plus grace submits the attempt with what was saved before it, and that
    submission is committed even though the answer is refused. `seconds` (time on the
    question) is added to the item, capped by the time since the attempt started.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _lock_open(attempt_id, learner)
        if is_overdue(attempt, now):
            _submit_locked(attempt, now=now, auto=True)
            item = None
        else:
            item = _write_answer(attempt, order, action, chosen, seconds, now)
    if item is None:
        raise AttemptClosed(LATE_MESSAGE)
    return item


def _write_answer(
    attempt: Attempt, order: int, action: str, chosen: int | None, seconds: int, now
) -> AttemptItem:
    try:
        item = AttemptItem.objects.select_for_update().get(attempt=attempt, order=order)
        item.attempt = attempt  # the locked row: its learner is known without a query
    except AttemptItem.DoesNotExist:
        raise AttemptError(f"This test has no question {order}.") from None
    n_options = len(item.snapshot.get("options", []))
    if chosen is not None and not 0 <= chosen < n_options:
        raise AttemptError(
            f"Option {chosen} does not exist: question {order} has options (a) to "
            f"({'abcd'[n_options - 1] if n_options else '?'})."
        )
    if action not in PrelimsAction.values:
        raise AttemptError(f"Unknown action {action!r}.")
    practice = attempt.mode == Attempt.Mode.PRACTICE
    if practice:
        if action == PrelimsAction.CHECK:
            if item.chosen is not None:
                raise AttemptError(
                    f"Question {order} is already answered: its explanation is shown below."
                )
            if chosen is None:
                raise AttemptError("Choose one of the options (a)–(d) first.")
        elif action == PrelimsAction.GOTO:
            chosen = None  # moving on in practice never answers
        else:
            raise AttemptError("In practice, answer with “Check answer”.")
    elif action == PrelimsAction.CHECK:
        raise AttemptError("A mock test shows no answers before it is submitted.")

    answered = False
    if action == PrelimsAction.CLEAR:
        item.chosen = None
        item.is_correct = None
        item.answered_at = None
    elif chosen is not None:
        item.chosen = chosen
        item.is_correct = chosen == item.key
        item.answered_at = now
        answered = True
    if action == PrelimsAction.MARK:
        item.marked_for_review = True
    elif action == PrelimsAction.SAVE:
        item.marked_for_review = False
    item.visited = True
    elapsed = max(0, int((now - attempt.started_at).total_seconds()))
    item.seconds_spent = min(item.seconds_spent + max(0, seconds), elapsed)
    item.save(
        update_fields=[
            "chosen",
            "is_correct",
            "answered_at",
            "marked_for_review",
            "visited",
            "seconds_spent",
        ]
    )
    if answered:  # after the item, so its UPDATE also moves the data version of both
        record_activity(attempt.learner_id, now)
    if practice and action == PrelimsAction.CHECK and item.is_correct is False:
        mistakes_bring_back(learner=attempt.learner_id, question_ids=[item.question_id], now=now)
    return item


def attempt_visit(*, attempt: Attempt, order: int) -> None:
    """Mark question `order` visited (the palette's "not answered" instead of "not visited")."""
    if attempt.submitted_at is None:
        # The palette (the attempt page, never kept) alone shows it: no version to move.
        with unkept_writes():
            items = AttemptItem.objects.filter(attempt=attempt, order=order, visited=False)
            items.update(visited=True)


def _submit_locked(attempt: Attempt, *, now: dt.datetime, auto: bool) -> Attempt:
    """Score a locked open attempt from its saved answers and close it."""
    items = AttemptItem.objects.filter(attempt=attempt)
    answers = list(items.values_list("question_id", "chosen", "key"))
    result = scoring.tally([(chosen, key) for _, chosen, key in answers])
    # is_correct is recomputed from the stored key so the verdicts and the score always agree.
    items.filter(chosen__isnull=True).update(is_correct=None)
    items.filter(chosen__isnull=False).exclude(chosen=F("key")).update(is_correct=False)
    items.filter(chosen=F("key")).update(is_correct=True)
    learner_changed(attempt.learner_id)
    attempt.submitted_at = min(now, attempt.deadline) if auto and attempt.deadline else now
    attempt.auto_submitted = auto
    attempt.score_thirds = result.score_thirds
    attempt.correct_count = result.correct
    attempt.wrong_count = result.wrong
    attempt.blank_count = result.blank
    attempt.question_count = result.questions
    attempt.save(
        update_fields=[
            "submitted_at",
            "auto_submitted",
            "score_thirds",
            "correct_count",
            "wrong_count",
            "blank_count",
            "question_count",
        ]
    )
    paper_record_submission(attempt=attempt)  # test series: rank and share counters
    if attempt.mode == Attempt.Mode.MOCK:  # wrong and blank answers bring their cards back
        mock_mistakes(attempt=attempt, items=answers, now=now)
    record_mock(attempt)  # the staff list's mock average
    return attempt


@transaction.atomic
def attempt_submit(
    *, attempt_id: int, learner, now: dt.datetime | None = None, auto: bool = False
) -> tuple[Attempt, bool]:
    """Submit the learner's attempt; idempotent. Returns (attempt, submitted_now).

    A second submit (a double click, a retry, the timer and the button together) finds the
    attempt submitted under the row lock and returns it unchanged. A submit after the
    deadline plus grace is recorded as an automatic submission at the deadline.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().get(pk=attempt_id, learner=learner)
    if attempt.submitted_at is not None:
        return attempt, False
    return _submit_locked(attempt, now=now, auto=auto or is_overdue(attempt, now)), True


def attempts_expire(*, learner, now: dt.datetime | None = None) -> list[int]:
    """Submit every open attempt of the learner whose time is up; returns their ids.

    Called when the learner opens the Prelims page, an attempt or the home page, so no
    background worker is needed: an abandoned mock is scored with what was saved the next
    time its owner looks. One query when nothing is overdue.
    """
    now = now or timezone.now()
    expired = []
    for pk in Attempt.objects.filter(learner=learner).overdue(now=now).values_list("pk", flat=True):
        _, done = attempt_submit(attempt_id=pk, learner=learner, now=now, auto=True)
        if done:
            expired.append(pk)
    return expired


@transaction.atomic
def bookmark_toggle(*, learner, question_id: int) -> bool:
    """Bookmark the question, or remove the bookmark; returns whether it is now bookmarked."""
    deleted, _ = Bookmark.objects.filter(learner=learner, question_id=question_id).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(learner=learner, question_id=question_id)
    return True
