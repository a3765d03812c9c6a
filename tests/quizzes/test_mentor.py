"""The mentor queue (/staff/mains/), the evaluation page, and what the learner then sees."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from quizzes.models import MainsAnswer
from tests.factories import MainsAnswerFactory, MainsQuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
QUEUE = reverse("quizzes:mentor-queue")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def submitted(learner, question, hours_ago: float, **kw) -> MainsAnswer:
    at = NOW - dt.timedelta(hours=hours_ago)
    return MainsAnswerFactory(
        learner=learner, question=question, submitted_at=at, saved_at=at, **kw
    )


def evaluation(answer, *, score="6", structure="3.5", comments="Good intro.", verdicts=None):
    points = list(answer.question.key_points.all())
    verdicts = verdicts or ["covered"] * len(points)
    data = {f"point_{p.pk}": v for p, v in zip(points, verdicts, strict=True)}
    return data | {"score": score, "structure_score": structure, "comments": comments}


def test_queue_and_evaluation_are_staff_only(learner_client, learner):
    answer = MainsAnswerFactory(learner=learner)
    url = reverse("quizzes:mentor-evaluate", args=[answer.pk])
    assert Client().get(QUEUE).status_code == 302
    assert learner_client.get(QUEUE).status_code == 403
    assert learner_client.get(url).status_code == 403
    assert learner_client.post(url, evaluation(answer)).status_code == 403
    answer.refresh_from_db()
    assert answer.feedback_at is None


def test_queue_lists_waiting_answers_oldest_first_without_drafts(
    staff_client, learner, other_learner, clock
):
    q = MainsQuestionFactory()
    newer = submitted(learner, q, 2, text="newer")
    older = submitted(other_learner, q, 30, text="older")
    MainsAnswerFactory(learner=learner, question=q, submitted_at=None)
    submitted(learner, q, 50, feedback_at=NOW - dt.timedelta(hours=1), mentor_score=5)
    response = staff_client.get(QUEUE)
    assert response.status_code == 200
    assert [a.pk for a in response.context["page"]] == [older.pk, newer.pk]
    html = response.content.decode()
    assert "2 waiting" in html
    assert "Waiting 1 d 6 h" in html and "Waiting 2 h 0 min" in html


def test_queue_filters_by_topic_question_and_state(staff_client, learner, clock):
    oda, quad = TopicFactory(slug="oda"), TopicFactory(slug="quad")
    q1, q2 = MainsQuestionFactory(topic=oda), MainsQuestionFactory(topic=quad)
    a1, a2 = submitted(learner, q1, 5), submitted(learner, q2, 4)
    done = submitted(learner, q2, 10, feedback_at=NOW - dt.timedelta(hours=2), mentor_score=7)

    def ids(query):
        return [a.pk for a in staff_client.get(QUEUE, query).context["page"]]

    assert ids({"topic": "oda"}) == [a1.pk]
    assert ids({"question": q2.pk}) == [a2.pk]
    assert ids({"state": "evaluated"}) == [done.pk]
    html = staff_client.get(QUEUE, {"state": "evaluated"}).content.decode()
    assert "turnaround 8 h 0 min" in html
    assert "median turnaround 8 h 0 min" in html


@pytest.mark.parametrize(
    "query", [{"state": "lost"}, {"question": "abc"}, {"question": "999999"}, {"topic": "nope"}]
)
def test_bad_queue_filters_are_a_400_with_a_message(staff_client, query):
    response = staff_client.get(QUEUE, query)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_evaluation_page_prefills_the_rubric_from_the_matcher(staff_client, learner, clock):
    q = MainsQuestionFactory()
    answer = submitted(learner, q, 3, text="Japan gives official development assistance.")
    response = staff_client.get(reverse("quizzes:mentor-evaluate", args=[answer.pk]))
    assert response.status_code == 200
    first, second = q.key_points.all()
    initial = response.context["form"].initial
    assert initial[f"point_{first.pk}"] == "covered"
    assert initial[f"point_{second.pk}"] == "missed"
    html = response.content.decode()
    assert "Japan gives official development assistance." in html
    assert "Marks out of 10" in html and "Structure out of 5" in html


def test_mentor_evaluates_and_the_learner_sees_new_feedback_on_home_and_answer(
    client, staff_user, learner, clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_CONFIGURED = True
    learner.email = "asha@example.com"
    learner.save()
    q = MainsQuestionFactory()
    answer = submitted(learner, q, 26)
    client.force_login(staff_user)
    url = reverse("quizzes:mentor-evaluate", args=[answer.pk])
    data = evaluation(answer, verdicts=["covered", "partial"], comments="Add the 1958 loan.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, data)
    assert len(callbacks) == 1  # the email goes after the commit
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    answer.refresh_from_db()
    assert answer.mentor == staff_user
    assert answer.feedback_at == NOW
    assert str(answer.mentor_score) == "6.0" and str(answer.structure_score) == "3.5"
    first, second = q.key_points.all()
    assert answer.rubric == {str(first.pk): "covered", str(second.pk): "partial"}

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["asha@example.com"]
    assert "Marks: 6 out of 10" in email.body
    assert f"/mains/answers/{answer.pk}/" in email.body
    assert "Add the 1958 loan" not in email.body  # the feedback stays behind the login

    client.force_login(learner)
    home = client.get(reverse("home")).content.decode()
    assert "New feedback" in home
    assert reverse("quizzes:mains-answer", args=[answer.pk]) in home
    page = client.get(reverse("quizzes:mains-answer", args=[answer.pk])).content.decode()
    assert "Your mentor has reviewed this answer" in page
    assert "Marks 6/10" in page and "Structure 3.5/5" in page
    assert "turnaround 1 d 2 h" in page
    assert "Add the 1958 loan." in page
    assert '<li data-verdict="partial"><span class="badge warning">Partly</span>' in page
    # Opened: no longer new on home.
    assert "New feedback" not in client.get(reverse("home")).content.decode()


def test_no_email_when_email_is_not_configured_or_no_address(
    staff_client, learner, clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_CONFIGURED = False
    learner.email = "asha@example.com"
    learner.save()
    answer = submitted(learner, MainsQuestionFactory(), 2)
    url = reverse("quizzes:mentor-evaluate", args=[answer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, evaluation(answer)).status_code == 302
    settings.EMAIL_CONFIGURED = True
    nobody = submitted(UserFactory(email=""), MainsQuestionFactory(), 2)
    url = reverse("quizzes:mentor-evaluate", args=[nobody.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, evaluation(nobody)).status_code == 302
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_lose_the_evaluation(
    staff_client, learner, clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "tests.quizzes.test_mentor.BrokenBackend"
    learner.email = "asha@example.com"
    learner.save()
    answer = submitted(learner, MainsQuestionFactory(), 2)
    url = reverse("quizzes:mentor-evaluate", args=[answer.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert staff_client.post(url, evaluation(answer)).status_code == 302
    assert len(callbacks) == 1
    answer.refresh_from_db()
    assert answer.feedback_at == NOW


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": "11"}, "less than or equal to 10"),
        ({"score": "-1"}, "greater than or equal to 0"),
        ({"score": ""}, "This field is required"),
        ({"score": "6.3"}, "steps of 0.5"),
        ({"structure_score": "6"}, "less than or equal to 5"),
        ({"point": "brilliant"}, "Select a valid choice"),
        ({"point": None}, "Judge this key point"),
    ],
)
def test_bad_evaluations_are_refused_and_nothing_changes(
    staff_client, learner, clock, change, message
):
    answer = submitted(learner, MainsQuestionFactory(), 2)
    data = evaluation(answer)
    first = answer.question.key_points.first()
    if "point" in change:
        if change["point"] is None:
            del data[f"point_{first.pk}"]
        else:
            data[f"point_{first.pk}"] = change["point"]
    else:
        data |= change
    response = staff_client.post(reverse("quizzes:mentor-evaluate", args=[answer.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    answer.refresh_from_db()
    assert answer.feedback_at is None and answer.rubric == {}


def test_a_draft_cannot_be_evaluated(staff_client, learner):
    draft = MainsAnswerFactory(learner=learner, submitted_at=None)
    url = reverse("quizzes:mentor-evaluate", args=[draft.pk])
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, evaluation(draft)).status_code == 404


def test_save_and_next_opens_the_next_waiting_answer(staff_client, learner, clock):
    q = MainsQuestionFactory()
    first, second = submitted(learner, q, 9), submitted(learner, q, 3)
    url = reverse("quizzes:mentor-evaluate", args=[first.pk])
    response = staff_client.post(url, evaluation(first) | {"next": "1"})
    assert response["Location"] == reverse("quizzes:mentor-evaluate", args=[second.pk])


@pytest.mark.parametrize("n", [3, 40])
def test_queue_query_count_does_not_grow(staff_client, n, django_assert_max_num_queries, clock):
    q = MainsQuestionFactory()
    for i in range(n):
        submitted(UserFactory(), q, i + 1)
    # session, user, topics, questions, count, page, turnaround sample
    with django_assert_max_num_queries(7):
        assert staff_client.get(QUEUE).status_code == 200


def test_staff_who_are_not_superusers_never_see_a_superusers_answer(learner, clock):
    staff_client = Client()
    staff_client.force_login(UserFactory(username="meera-mentor", is_staff=True))
    q = MainsQuestionFactory()
    mine = submitted(learner, q, 3)
    boss = submitted(UserFactory(username="root-admin", is_superuser=True, is_staff=True), q, 5)
    listed = [a.pk for a in staff_client.get(QUEUE).context["page"]]
    assert listed == [mine.pk]
    for url in (
        reverse("quizzes:mentor-evaluate", args=[boss.pk]),
        reverse("quizzes:mains-answer", args=[boss.pk]),
    ):
        assert staff_client.get(url).status_code == 404
    superuser = Client()
    superuser.force_login(UserFactory(username="chief", is_superuser=True, is_staff=True))
    assert {a.pk for a in superuser.get(QUEUE).context["page"]} == {mine.pk, boss.pk}
    assert superuser.get(reverse("quizzes:mentor-evaluate", args=[boss.pk])).status_code == 200
