"""Prelims services: the balanced draw, answers, deadlines, submission and the mistakes set."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from content import models as cm
from quizzes.models import Attempt, AttemptItem, Bookmark
from quizzes.services import prelims as svc
from quizzes.services.prelims import AttemptClosed, AttemptError, Pool
from quizzes.services.prelims import PrelimsAction as Action
from tests.factories import (
    AssertionReasonQuestionFactory,
    PairsQuestionFactory,
    QuestionFactory,
    StatementsQuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
FORMATS = [QuestionFactory, StatementsQuestionFactory, PairsQuestionFactory]


@pytest.fixture
def bank():
    """Five topics, each with 2 single, 2 statements and 2 pairs questions (30 in all)."""
    topics = [TopicFactory() for _ in range(5)]
    for topic in topics:
        for factory in FORMATS:
            factory.create_batch(2, topic=topic)
    return topics


def start(learner, **kwargs):
    kwargs.setdefault("mode", Attempt.Mode.MOCK)
    kwargs.setdefault("count", 10)
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("rng", random.Random(7))
    return svc.attempt_start(learner=learner, **kwargs)


# ---- the draw ---------------------------------------------------------------------------


def test_balanced_draw_spreads_over_topics_and_formats():
    candidates = [
        (t * 100 + k * 10 + i, f"t{t}", f"k{k}")
        for t in range(5)
        for k in range(3)
        for i in range(6)
    ]
    ids = svc.balanced_draw(candidates, 15, random.Random(1))
    assert len(ids) == len(set(ids)) == 15
    by_topic = Counter(pk // 100 for pk in ids)
    by_kind = Counter(pk // 10 % 10 for pk in ids)
    assert set(by_topic.values()) == {3}
    assert set(by_kind.values()) == {5}


def test_balanced_draw_takes_what_a_small_bank_has():
    candidates = [(1, "a", "single"), (2, "a", "pairs"), (3, "b", "single")]
    assert sorted(svc.balanced_draw(candidates, 10, random.Random(0))) == [1, 2, 3]


def test_balanced_draw_is_even_when_topics_are_uneven():
    candidates = [(i, "big", "single") for i in range(20)] + [(100, "small", "single")]
    ids = svc.balanced_draw(candidates, 6, random.Random(3))
    assert 100 in ids and len(ids) == 6


def test_mock_stores_snapshots_keys_and_a_deadline(learner, bank):
    attempt = start(learner, count=25)
    assert attempt.question_count == 25
    assert attempt.deadline == NOW + dt.timedelta(minutes=30)
    items = list(attempt.items.all())
    assert [i.order for i in items] == list(range(1, 26))
    assert len({i.question_id for i in items}) == 25  # no question repeated
    topics = Counter(i.snapshot["topic"] for i in items)
    assert set(topics.values()) == {5}
    kinds = Counter(i.snapshot["kind"] for i in items)
    assert max(kinds.values()) - min(kinds.values()) <= 1
    for item in items:
        assert item.key == item.snapshot["key"]
        assert len(item.snapshot["options"]) == 4
    assert attempt.settings["count"] == 25 and attempt.settings["pool"] == Pool.ALL


def test_custom_size_keeps_one_point_two_minutes_a_question(learner, bank):
    attempt = start(learner, count=10)
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=12)


def test_practice_has_no_deadline(learner, bank):
    attempt = start(learner, mode=Attempt.Mode.PRACTICE, count=5)
    assert attempt.deadline is None and attempt.question_count == 5


def test_draw_respects_topics_and_formats(learner, bank):
    attempt = start(learner, count=10, topics=[bank[0].slug], kinds=[cm.QuestionKind.PAIRS])
    assert attempt.question_count == 2
    for item in attempt.items.all():
        assert item.snapshot["topic"] == bank[0].slug
        assert item.snapshot["kind"] == "pairs"


def test_drafts_and_retired_questions_are_never_drawn(learner):
    QuestionFactory(status=cm.Status.DRAFT)
    QuestionFactory(status=cm.Status.RETIRED)
    live = QuestionFactory()
    attempt = start(learner, count=5)
    assert [i.question_id for i in attempt.items.all()] == [live.pk]


def test_nothing_to_draw_is_refused_with_a_message(learner):
    with pytest.raises(AttemptError, match="No published question matches"):
        start(learner, count=5)
    assert not Attempt.objects.exists()


def test_count_out_of_range_is_refused(learner, bank):
    with pytest.raises(AttemptError):
        start(learner, count=101)


def test_assertion_reason_snapshot_keeps_both_statements(learner):
    AssertionReasonQuestionFactory(truths=[True, False])
    item = start(learner, count=1).items.get()
    assert item.key == 2  # (c) Statement-I is correct but Statement-II is incorrect
    assert [s["true"] for s in item.snapshot["statements"]] == [True, False]


# ---- answering ----------------------------------------------------------------------------


def answer(attempt, order=1, action=Action.PICK, chosen=0, **kwargs):
    kwargs.setdefault("now", NOW + dt.timedelta(minutes=1))
    return svc.attempt_answer(
        attempt_id=attempt.pk,
        learner=attempt.learner,
        order=order,
        action=action,
        chosen=chosen,
        **kwargs,
    )


def test_mock_answer_can_be_changed_cleared_and_marked(learner, bank):
    attempt = start(learner)
    item = answer(attempt, chosen=2)
    assert item.chosen == 2 and item.is_correct == (item.key == 2)
    item = answer(attempt, action=Action.SAVE, chosen=3)
    assert item.chosen == 3 and not item.marked_for_review
    item = answer(attempt, action=Action.MARK, chosen=None)
    assert item.chosen == 3 and item.marked_for_review  # answered and marked
    item = answer(attempt, action=Action.CLEAR, chosen=None)
    assert item.chosen is None and item.is_correct is None and item.marked_for_review


def test_option_out_of_range_is_refused_and_nothing_changes(learner, bank):
    attempt = start(learner)
    answer(attempt, chosen=1)
    with pytest.raises(
        AttemptError, match=r"Option 4 does not exist: question 1 has options \(a\) to \(d\)"
    ):
        answer(attempt, chosen=4)
    assert attempt.items.get(order=1).chosen == 1


def test_unknown_question_number_is_refused(learner, bank):
    attempt = start(learner, count=3)
    with pytest.raises(AttemptError, match="no question 9"):
        answer(attempt, order=9)


def test_another_learners_attempt_cannot_be_answered(learner, other_learner, bank):
    attempt = start(learner)
    with pytest.raises(Attempt.DoesNotExist):
        svc.attempt_answer(
            attempt_id=attempt.pk, learner=other_learner, order=1, action=Action.PICK, chosen=0
        )
    assert attempt.items.get(order=1).chosen is None


def test_answer_after_deadline_and_grace_is_refused_and_the_test_submitted(learner, bank):
    attempt = start(learner)
    answer(attempt, order=1, chosen=0)
    late = attempt.deadline + dt.timedelta(seconds=11)
    with pytest.raises(AttemptClosed, match="Time is up"):
        answer(attempt, order=2, chosen=1, now=late)
    attempt.refresh_from_db()
    assert attempt.items.get(order=2).chosen is None
    assert attempt.submitted_at == attempt.deadline and attempt.auto_submitted
    assert attempt.correct_count + attempt.wrong_count == 1


@override_settings(PRELIMS_DEADLINE_GRACE_SECONDS=10)
def test_answer_within_the_grace_period_is_kept(learner, bank):
    attempt = start(learner)
    answer(attempt, chosen=0, now=attempt.deadline + dt.timedelta(seconds=9))
    assert attempt.items.get(order=1).chosen == 0


def test_submitted_attempt_is_read_only(learner, bank):
    attempt = start(learner)
    svc.attempt_submit(attempt_id=attempt.pk, learner=learner, now=NOW + dt.timedelta(minutes=2))
    with pytest.raises(AttemptClosed, match="submitted"):
        answer(attempt, chosen=0, now=NOW + dt.timedelta(minutes=3))


def test_practice_answer_is_final_once_the_key_is_shown(learner, bank):
    attempt = start(learner, mode=Attempt.Mode.PRACTICE, count=3)
    item = answer(attempt, action=Action.CHECK, chosen=1)
    assert item.is_correct == (item.key == 1)
    with pytest.raises(AttemptError, match="already answered"):
        answer(attempt, action=Action.CHECK, chosen=2)
    with pytest.raises(AttemptError, match="Check answer"):
        answer(attempt, action=Action.PICK, chosen=2)
    assert attempt.items.get(order=1).chosen == 1


def test_mock_never_checks_answers(learner, bank):
    attempt = start(learner)
    with pytest.raises(AttemptError, match="shows no answers"):
        answer(attempt, action=Action.CHECK, chosen=1)


def test_time_on_a_question_adds_up_and_is_capped(learner, bank):
    attempt = start(learner)
    answer(attempt, action=Action.SAVE, chosen=0, seconds=40, now=NOW + dt.timedelta(seconds=50))
    answer(attempt, action=Action.GOTO, chosen=None, seconds=30, now=NOW + dt.timedelta(seconds=90))
    assert attempt.items.get(order=1).seconds_spent == 70
    answer(
        attempt, action=Action.GOTO, chosen=None, seconds=5000, now=NOW + dt.timedelta(seconds=95)
    )
    assert attempt.items.get(order=1).seconds_spent == 95  # never more than the time elapsed


# ---- submission -----------------------------------------------------------------------------


def test_submit_scores_with_upsc_marking(learner, bank):
    attempt = start(learner, count=10)
    items = list(attempt.items.all())
    for item in items[:5]:
        answer(attempt, order=item.order, chosen=item.key)
    for item in items[5:8]:
        answer(attempt, order=item.order, chosen=(item.key + 1) % 4)
    attempt, done = svc.attempt_submit(
        attempt_id=attempt.pk, learner=learner, now=NOW + dt.timedelta(minutes=5)
    )
    assert done and not attempt.auto_submitted
    assert (attempt.correct_count, attempt.wrong_count, attempt.blank_count) == (5, 3, 2)
    assert attempt.score_thirds == 5 * 6 - 3 * 2  # 10 - 2 = 8 marks
    verdicts = Counter(attempt.items.values_list("is_correct", flat=True))
    assert verdicts == {True: 5, False: 3, None: 2}


def test_double_submit_is_idempotent(learner, bank):
    attempt = start(learner)
    answer(attempt, chosen=0)
    first, done1 = svc.attempt_submit(
        attempt_id=attempt.pk, learner=learner, now=NOW + dt.timedelta(minutes=2)
    )
    second, done2 = svc.attempt_submit(
        attempt_id=attempt.pk, learner=learner, now=NOW + dt.timedelta(minutes=9)
    )
    assert done1 and not done2
    assert second.submitted_at == first.submitted_at
    assert second.score_thirds == first.score_thirds


def test_expire_submits_only_overdue_attempts_of_that_learner(learner, other_learner, bank):
    mine = start(learner)
    fresh = start(learner, now=NOW + dt.timedelta(minutes=30))
    practice = start(learner, mode=Attempt.Mode.PRACTICE, count=2)
    theirs = start(other_learner)
    answer(mine, chosen=0)
    later = NOW + dt.timedelta(minutes=13)
    assert svc.attempts_expire(learner=learner, now=later) == [mine.pk]
    mine.refresh_from_db()
    assert mine.auto_submitted and mine.submitted_at == mine.deadline
    assert mine.correct_count + mine.wrong_count == 1
    for attempt in (fresh, practice, theirs):
        attempt.refresh_from_db()
        assert attempt.submitted_at is None
    assert svc.attempts_expire(learner=learner, now=later) == []


def test_stored_attempt_never_changes_when_the_question_is_edited(learner):
    question = StatementsQuestionFactory(truths=[True, False, True])
    attempt = start(learner, count=1)
    item = attempt.items.get()
    answer(attempt, chosen=item.key)
    svc.attempt_submit(attempt_id=attempt.pk, learner=learner, now=NOW + dt.timedelta(minutes=1))
    before = dict(item.snapshot)
    # An author rewrites the question and flips a statement: the key changes.
    question.stem = "Rewritten stem"
    question.explanation = "New explanation"
    question.save()
    question.statements.filter(order=2).update(is_true=True, text="Rewritten statement")
    item.refresh_from_db()
    attempt.refresh_from_db()
    assert item.snapshot == before
    assert attempt.score_thirds == 6 and attempt.correct_count == 1


# ---- the mistakes set and bookmarks ---------------------------------------------------------


def test_mistakes_are_questions_whose_latest_answer_was_wrong(learner, other_learner):
    right, wrong, fixed, unseen = QuestionFactory.create_batch(4)
    first = start(learner, mode=Attempt.Mode.PRACTICE, count=4, now=NOW)
    by_q = {i.question_id: i for i in first.items.all()}
    t = NOW + dt.timedelta(minutes=1)
    answer(first, order=by_q[right.pk].order, action=Action.CHECK, chosen=1, now=t)
    answer(first, order=by_q[wrong.pk].order, action=Action.CHECK, chosen=0, now=t)
    answer(first, order=by_q[fixed.pk].order, action=Action.CHECK, chosen=0, now=t)
    # Later the learner gets `fixed` right: it leaves the mistakes set.
    second = start(learner, mode=Attempt.Mode.PRACTICE, count=4, now=NOW + dt.timedelta(days=1))
    order = second.items.get(question=fixed).order
    answer(second, order=order, action=Action.CHECK, chosen=1, now=NOW + dt.timedelta(days=1))
    # Another learner's wrong answer never counts for this one.
    theirs = start(other_learner, mode=Attempt.Mode.PRACTICE, count=4)
    answer(theirs, order=theirs.items.get(question=right).order, action=Action.CHECK, chosen=3)

    wrong_pool = set(
        svc.question_pool(learner=learner, pool=Pool.WRONG).values_list("pk", flat=True)
    )
    assert wrong_pool == {wrong.pk}
    assert svc.mistakes_count(learner) == 1
    fresh = svc.question_pool(learner=learner, pool=Pool.UNSEEN_OR_WRONG)
    assert set(fresh.values_list("pk", flat=True)) == {wrong.pk, unseen.pk}


def test_practice_can_draw_only_mistakes(learner):
    questions = QuestionFactory.create_batch(3)
    first = start(learner, mode=Attempt.Mode.PRACTICE, count=3)
    item = first.items.get(question=questions[0])
    answer(first, order=item.order, action=Action.CHECK, chosen=0)
    retry = start(learner, mode=Attempt.Mode.PRACTICE, count=10, pool=Pool.WRONG)
    assert [i.question_id for i in retry.items.all()] == [questions[0].pk]


def test_bookmark_toggles_and_feeds_the_bookmarks_pool(learner):
    q1, _ = QuestionFactory.create_batch(2)
    assert svc.bookmark_toggle(learner=learner, question_id=q1.pk) is True
    assert list(svc.question_pool(learner=learner, pool=Pool.BOOKMARKED)) == [q1]
    assert svc.bookmark_toggle(learner=learner, question_id=q1.pk) is False
    assert not Bookmark.objects.exists()


# ---- concurrency (PostgreSQL: real row locks) -----------------------------------------------

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def run_in_threads(target, args_list):
    results = [None] * len(args_list)
    barrier = threading.Barrier(len(args_list))

    def worker(i, args):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[i] = ("ok", target(*args))
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = ("error", error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_practice_answers_leave_exactly_one_answer():
    learner = UserFactory()
    QuestionFactory.create_batch(2)
    attempt = svc.attempt_start(
        learner=learner, mode=Attempt.Mode.PRACTICE, count=2, now=timezone.now()
    )

    def post(choice):
        return svc.attempt_answer(
            attempt_id=attempt.pk, learner=learner, order=1, action=Action.CHECK, chosen=choice
        ).chosen

    results = run_in_threads(post, [(c,) for c in (0, 1, 2, 3, 0, 1, 2, 3)])
    accepted = [value for status, value in results if status == "ok"]
    refused = [value for status, value in results if status == "error"]
    assert len(accepted) == 1
    assert all(isinstance(e, AttemptError) and "already answered" in e.message for e in refused)
    assert AttemptItem.objects.get(attempt=attempt, order=1).chosen == accepted[0]


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_mock_answers_never_lose_an_update():
    learner = UserFactory()
    QuestionFactory.create_batch(2)
    start_time = timezone.now() - dt.timedelta(minutes=1)  # 2 questions: 2.4 minutes
    attempt = svc.attempt_start(learner=learner, mode=Attempt.Mode.MOCK, count=2, now=start_time)

    def post(choice):
        return svc.attempt_answer(
            attempt_id=attempt.pk,
            learner=learner,
            order=1,
            action=Action.GOTO,
            chosen=choice,
            seconds=3,
        ).chosen

    results = run_in_threads(post, [(c % 4,) for c in range(10)])
    assert all(status == "ok" for status, _ in results), results
    item = AttemptItem.objects.get(attempt=attempt, order=1)
    assert item.chosen in {0, 1, 2, 3}
    assert item.seconds_spent == 30  # ten posts of 3 seconds, none lost to a race


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_score_once():
    learner = UserFactory()
    QuestionFactory.create_batch(3)
    attempt = svc.attempt_start(learner=learner, mode=Attempt.Mode.MOCK, count=3)

    def post():
        return svc.attempt_submit(attempt_id=attempt.pk, learner=learner)[1]

    results = run_in_threads(post, [()] * 6)
    assert sorted(value for _, value in results) == [False] * 5 + [True]
