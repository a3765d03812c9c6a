"""The rules every page shares: one percent helper and one definition of "weakest topic"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import progress, scoring
from quizzes.models import Attempt
from quizzes.selectors.staff import learner_list_page
from quizzes.services import prelims as svc
from quizzes.services.prelims import PrelimsAction
from tests.factories import QuestionFactory, TopicFactory


def test_one_percent_helper_rounds_half_up_everywhere():
    # 1 right of 8 is 12.5 %: every page shows 13 % (half up, exact), never 12 % (half even).
    assert progress.percent is scoring.percent
    assert progress.percent(1, 8) == 13
    assert progress.percent(3, 8) == 38
    assert progress.percent(5, 200) == 3
    assert progress.percent(0, 0) is None


def test_mastery_parts_use_the_same_rounding():
    m = progress.mastery(
        note_studied=False, cards_total=0, cards_seen=0, reviews=0, recalled=0,
        questions_total=8, questions_answered=8, answers=8, correct=1,
    )  # fmt: skip
    assert m.accuracy == 13
    assert m.question_coverage == 100


def row(name, answers, correct, order=0):
    return {"name": name, "answers": answers, "correct": correct, "order": order}


def test_the_strongest_topic_is_never_weak_even_with_misses():
    # The learner: weak spots listed their best topic. The best, a tie for best and a
    # lone topic are never weak, whatever their misses.
    rows = [row("best", 10, 8), row("mid", 10, 6), row("worst", 10, 2)]
    assert [r["name"] for r in progress.weakest_topics(rows)] == ["worst", "mid"]
    assert progress.weakest_topics([row("only", 10, 2)]) == []
    tied = [row("x", 4, 2), row("y", 8, 4)]
    assert progress.weakest_topics(tied) == []


def test_weakest_topic_needs_three_answers_and_a_miss():
    rows = [row("new", 2, 0), row("perfect", 9, 9), row("weak", 3, 2)]
    assert [r["name"] for r in progress.weakest_topics(rows)] == ["weak"]


def test_weakest_topic_is_lowest_exact_accuracy_then_more_answers_then_syllabus_order():
    rows = [
        row("a", 8, 4, order=1),  # 50 %: the strongest, never weak
        row("b", 3, 1, order=2),  # 33.3 % (rounds like c, but is lower)
        row("c", 100, 34, order=3),  # 34 %
        row("d", 6, 2, order=4),  # 33.3 %, more answers than b
        row("e", 6, 2, order=0),  # same as d, earlier in the syllabus
    ]
    assert [r["name"] for r in progress.weakest_topics(rows)] == ["e", "d", "b", "c"]
    assert [r["name"] for r in progress.weakest_topics(rows, limit=1)] == ["e"]


@pytest.fixture
def one_right_of_eight(learner):
    """A submitted mock of 8 questions in two topics: Trade 1 right of 5, Defence 0 of 3."""
    trade, defence = TopicFactory(title="Trade", order=1), TopicFactory(title="Defence", order=2)
    QuestionFactory.create_batch(5, topic=trade)
    QuestionFactory.create_batch(3, topic=defence)
    attempt = svc.attempt_start(learner=learner, mode=Attempt.Mode.MOCK, count=8)
    right_given = False
    for item in attempt.items.select_related("question__topic"):
        right = item.question.topic == trade and not right_given
        right_given = right_given or right
        chosen = item.key if right else (item.key + 1) % 4
        svc.attempt_answer(
            attempt_id=attempt.pk, learner=learner, order=item.order,
            action=PrelimsAction.SAVE, chosen=chosen,
        )  # fmt: skip
    svc.attempt_submit(attempt_id=attempt.pk, learner=learner)
    return attempt, trade, defence


@pytest.mark.django_db
def test_result_page_and_dashboard_agree_on_one_right_of_eight(learner_client, one_right_of_eight):
    attempt, _, _ = one_right_of_eight
    result = learner_client.get(reverse("quizzes:attempt-result", args=[attempt.pk]))
    dashboard = learner_client.get(reverse("quizzes:progress"))
    assert result.context["accuracy"] == "13%"
    assert dashboard.context["totals"]["accuracy"] == 13


@pytest.mark.django_db
def test_dashboard_and_staff_list_name_the_same_weakest_topic(
    learner, staff_client, one_right_of_eight
):
    _, trade, defence = one_right_of_eight
    dashboard = staff_client.get(reverse("quizzes:staff-learner", args=[learner.pk]))
    weak = [r["topic"] for r in dashboard.context["weak"]["topics"]]
    assert weak == [defence]  # 0 of 3; Trade (1 of 5) is the strongest, never weak
    page = learner_list_page(now=timezone.now(), search="", sort="name", page_number=1)
    (row,) = [r for r in page["rows"] if r["user"] == learner]
    assert row["weak"] == {"title": "Defence", "accuracy": 0, "answers": 3}
