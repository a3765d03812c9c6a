"""The profile's activity counters (quizzes.services.activity): kept by every write that makes
history, so the staff list sorts any number of learners on indexed columns."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes.models import Attempt, MainsAnswer
from quizzes.services import mains as mains_svc
from quizzes.services import prelims as svc
from quizzes.services.activity import note_mark, recount
from quizzes.services.cards import card_review
from quizzes.services.prelims import PrelimsAction
from tests.factories import history_content

pytestmark = pytest.mark.django_db
LIST = reverse("quizzes:staff-learners")


@pytest.fixture
def content():
    return history_content()


def counters(user) -> tuple:
    p = Profile.objects.get(user=user)
    return p.last_active, p.mocks_taken, p.mocks_scored, round(p.mock_percent_sum, 6)


def take_mock(learner, now, right: int):
    mock = svc.attempt_start(learner=learner, mode=Attempt.Mode.MOCK, count=4, now=now)
    for item in mock.items.order_by("order")[:3]:
        chosen = item.key if item.order <= right else (item.key + 1) % 4
        svc.attempt_answer(
            attempt_id=mock.pk, learner=learner, order=item.order,
            action=PrelimsAction.SAVE, chosen=chosen, seconds=5, now=now,
        )  # fmt: skip
    return svc.attempt_submit(attempt_id=mock.pk, learner=learner, now=now)[0]


def test_each_kind_of_study_moves_last_active_forward_and_never_back(learner, content):
    profile = Profile.objects.for_user(learner)
    assert counters(learner)[0] is None
    t0 = timezone.now()
    card_review(learner=learner, profile=profile, card=content["cards"][0], rating=3,
                shown_reps=0, now=t0)  # fmt: skip
    assert counters(learner)[0] == t0
    note_mark(learner=learner, topic=content["topics"][0], studied=True, now=t0 + dt.timedelta(1))
    assert counters(learner)[0] == t0 + dt.timedelta(1)
    question = content["mains"][0]
    later = t0 + dt.timedelta(2)
    mains_svc.answer_submit(
        learner=learner, question=question, text="Japan is the largest ODA partner.",
        answer_id=None, opened_at=later - dt.timedelta(minutes=5), base_seconds=0, now=later,
    )  # fmt: skip
    assert counters(learner)[0] == later
    take_mock(learner, t0, right=2)  # answered "earlier" than the Mains answer
    assert counters(learner)[0] == later


def test_mock_counters_match_the_attempts_and_a_recount(learner, other_learner, content):
    now = timezone.now()
    first = take_mock(learner, now, right=2)  # 2 right, 1 wrong, 1 blank of 4
    second = take_mock(learner, now, right=3)
    svc.attempt_start(learner=learner, mode=Attempt.Mode.PRACTICE, count=2, now=now)
    expected = sum(a.score_thirds * 100 / (a.question_count * 6) for a in (first, second))
    kept = counters(learner)
    assert kept[1:] == (2, 2, round(expected, 6))
    Profile.objects.update(last_active=None, mocks_taken=0, mocks_scored=0, mock_percent_sum=0)
    assert recount() == 1  # only the learner with history changes
    assert counters(learner) == kept
    assert counters(other_learner) == (None, 0, 0, 0)
    assert MainsAnswer.objects.count() == 0


def test_the_staff_list_shows_a_rating_at_once_and_sorts_by_it(
    staff_client, learner, other_learner, content
):
    now = timezone.now()
    for user, when in ((learner, now - dt.timedelta(days=2)), (other_learner, now)):
        card_review(learner=user, profile=Profile.objects.for_user(user),
                    card=content["cards"][0], rating=3, shown_reps=0, now=when)  # fmt: skip
    rows = staff_client.get(LIST).context["rows"]
    assert [r["user"] for r in rows] == [other_learner, learner]
    assert rows[1]["last_active"] == now - dt.timedelta(days=2)
    tomorrow = now + dt.timedelta(1)
    card_review(learner=learner, profile=Profile.objects.for_user(learner),
                card=content["cards"][1], rating=3, shown_reps=0, now=tomorrow)  # fmt: skip
    assert [r["user"] for r in staff_client.get(LIST).context["rows"]] == [learner, other_learner]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_the_default_staff_sort_reads_no_history_table(staff_client, learner):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        staff_client.get(LIST)
    page_query = next(q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"]
                      and "auth_user" in q["sql"] and "LIMIT" in q["sql"])  # fmt: skip
    for table in ("quizzes_reviewlog", "quizzes_attemptitem", "quizzes_mainsanswer"):
        assert table not in page_query
