"""Per-question statistics for authors: times answered, facility, discrimination, option picks."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes import progress
from quizzes.models import Attempt, AttemptItem, QuestionStats
from tests.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
KEY = 1  # QuestionFactory: (b) is correct


@pytest.fixture
def cohort():
    """Six learners ranked by their mock average, best first (100%, 80% ... 0%)."""
    now = timezone.now()
    learners = []
    for i, percent in enumerate([100, 80, 60, 40, 20, 0]):
        user = User.objects.create(username=f"cohort{i}")
        Profile.objects.create(user=user)
        Attempt.objects.create(
            learner=user,
            mode=Attempt.Mode.MOCK,
            started_at=now,
            submitted_at=now,
            question_count=10,
            score_thirds=percent * 60 // 100,
        )
        learners.append(user)
    return learners


def answer(learner, question, chosen):
    """One answered item of `question` by `learner`, in a practice set of its own."""
    now = timezone.now()
    attempt = Attempt.objects.create(
        learner=learner, mode=Attempt.Mode.PRACTICE, started_at=now, submitted_at=now
    )
    AttemptItem.objects.create(
        attempt=attempt,
        question=question,
        order=1,
        snapshot={"kind": question.kind, "topic": question.topic.slug},
        key=KEY,
        chosen=chosen,
        is_correct=None if chosen is None else chosen == KEY,
        answered_at=now,
    )


def stats(question, cohort):
    top, bottom = progress.top_and_bottom_thirds(list(Attempt.objects.mock_average()))
    return QuestionStats.objects.with_stats(top=top, bottom=bottom).get(pk=question.pk)


def test_learners_are_split_into_top_and_bottom_thirds_by_mock_score(cohort):
    ranked = list(Attempt.objects.mock_average())
    assert ranked == [u.pk for u in cohort]
    top, bottom = progress.top_and_bottom_thirds(ranked)
    assert top == [cohort[0].pk, cohort[1].pk] and bottom == [cohort[4].pk, cohort[5].pk]
    assert progress.top_and_bottom_thirds([1, 2]) == ([], [])


def test_facility_picks_and_discrimination_of_a_question(cohort):
    topic = TopicFactory()
    question = QuestionFactory(topic=topic)
    for learner, chosen in zip(cohort, [KEY, KEY, KEY, 0, 2, 0], strict=True):
        answer(learner, question, chosen)
    answer(cohort[3], question, None)  # a blank is not an answer
    s = stats(question, cohort)
    assert (s.answered, s.correct) == (6, 3)
    assert s.facility == pytest.approx(0.5)
    assert [s.picks_0, s.picks_1, s.picks_2, s.picks_3] == [2, 3, 1, 0]
    assert [s.keyed_0, s.keyed_1, s.keyed_2, s.keyed_3] == [0, 6, 0, 0]
    # Top third both right (1.0), bottom third both wrong (0.0).
    assert s.discrimination == pytest.approx(1.0)


def test_a_question_nobody_answered_has_no_facility_or_discrimination(cohort):
    s = stats(QuestionFactory(), cohort)
    assert (s.answered, s.facility, s.discrimination) == (0, None, None)


def test_looks_broken_finds_hard_questions_and_dead_distractors(cohort):
    topic = TopicFactory()
    too_hard, dead_option, fine, too_few = QuestionFactory.create_batch(4, topic=topic)
    for learner in cohort[:5]:
        answer(learner, too_hard, 0)  # facility 0
    for learner, chosen in zip(cohort[:5], [KEY, KEY, 0, 2, KEY], strict=True):
        answer(learner, dead_option, chosen)  # nobody ever picks (d)
    for learner, chosen in zip(cohort, [KEY, KEY, 0, 2, 3, KEY], strict=True):
        answer(learner, fine, chosen)
    for learner in cohort[:2]:
        answer(learner, too_few, 0)  # wrong, but only twice: too little to say
    qs = QuestionStats.objects.with_stats().looks_broken(min_answers=5)
    assert set(qs.values_list("pk", flat=True)) == {too_hard.pk, dead_option.pk}


def test_admin_lists_question_statistics_with_a_looks_broken_filter(staff_client, cohort):
    topic = TopicFactory()
    broken, fine = QuestionFactory.create_batch(2, topic=topic)
    for learner in cohort[:5]:
        answer(learner, broken, 3)
    for learner, chosen in zip(cohort, [KEY, KEY, 0, 2, 3, KEY], strict=True):
        answer(learner, fine, chosen)
    url = reverse("admin:quizzes_questionstats_changelist")
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert broken.slug in html and fine.slug in html
    assert "0.50" in html  # fine's facility
    assert "looks broken" in html
    filtered = staff_client.get(url, {"broken": "yes"}).content.decode()
    assert broken.slug in filtered and fine.slug not in filtered
    sorted_page = staff_client.get(url, {"o": "4"})  # by facility
    assert sorted_page.status_code == 200
    page = staff_client.get(reverse("admin:quizzes_questionstats_change", args=[broken.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("admin:content_question_change", args=[broken.pk]) in body
    assert "d 5 ✓" not in body and "d 5" in body


def test_learners_cannot_see_question_statistics(learner_client):
    url = reverse("admin:quizzes_questionstats_changelist")
    assert learner_client.get(url).status_code == 302  # to the admin login


def test_question_statistics_are_read_only(staff_client):
    assert staff_client.get(reverse("admin:quizzes_questionstats_add")).status_code == 403


def test_admin_statistics_query_count_does_not_grow_with_answers(
    staff_client, cohort, django_assert_max_num_queries
):
    topic = TopicFactory()
    questions = QuestionFactory.create_batch(3, topic=topic)
    url = reverse("admin:quizzes_questionstats_changelist")
    with django_assert_max_num_queries(12) as few:
        staff_client.get(url)
    for question in questions:
        for learner in cohort:
            answer(learner, question, KEY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(url, {"broken": "yes"}).status_code == 200


def test_content_never_imports_quizzes():
    root = Path(__file__).resolve().parents[2] / "content"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "quizzes" or n.startswith("quizzes.") for n in names), path


def test_staff_can_review_learner_records_read_only_in_admin(staff_client, learner):
    from tests.factories import AttemptFactory, CardStateFactory

    attempt = AttemptFactory(learner=learner, question_count=10, score_thirds=23)
    CardStateFactory(learner=learner)
    for name in ("attempt", "cardstate", "reviewlog", "noteprogress"):
        response = staff_client.get(f"/admin/quizzes/{name}/")
        assert response.status_code == 200, name
    page = staff_client.get(f"/admin/quizzes/attempt/{attempt.pk}/change/").content.decode()
    assert "7.67 / 20" in staff_client.get("/admin/quizzes/attempt/").content.decode()
    assert 'name="_save"' not in page  # read-only: no save button
    assert staff_client.get("/admin/quizzes/attempt/add/").status_code == 403
