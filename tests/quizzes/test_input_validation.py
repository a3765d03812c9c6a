"""Inputs that used to reach a 500 now get a 4xx or are ignored (found by tests/test_no_500.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from profiles.models import Profile
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("param", ["day", "start", "end"])
def test_far_dates_in_history_filters_are_a_400_with_a_message(learner_client, param, value):
    response = learner_client.get(reverse("quizzes:history"), {param: value})
    assert response.status_code == 400
    assert "Pick a date between 2000 and 2100" in response.content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "0001-01-01T00:00:00+05:30~1~1",
        "9999-12-31T23:59:59-05:00~1~1",
        "2024-01-01T00:00:00+00:00~1~²",
    ],
)
def test_hostile_history_cursors_are_refused_as_broken_links(learner_client, cursor):
    response = learner_client.get(reverse("quizzes:history"), {"before": cursor})
    assert response.status_code == 400
    assert "That page link is broken" in response.content.decode()


@pytest.mark.parametrize("card", ["²", "١٢", "9" * 40])
def test_review_ignores_a_card_id_that_is_not_plain_digits(learner_client, card):
    assert learner_client.get(reverse("quizzes:review"), {"card": card}).status_code == 200


def test_bookmark_with_a_next_that_is_not_a_path_goes_to_prelims(learner_client):
    question = QuestionFactory()
    url = reverse("quizzes:bookmark", args=[question.pk])
    response = learner_client.post(url, {"next": "9999-12-31"})
    assert response.status_code == 302
    assert response.url == reverse("quizzes:prelims")


def test_exam_date_more_than_five_years_ahead_is_refused(learner_client, learner):
    data = {"exam_date": "9999-12-31", "daily_new_cards": 20, "timezone": "Asia/Kolkata",
            "desired_retention": "0.9"}  # fmt: skip
    response = learner_client.post(reverse("profile"), data)
    assert response.status_code == 400
    assert "within the next 5 years" in response.content.decode()
    assert Profile.objects.get(user=learner).exam_date is None


def test_an_absurd_exam_date_stored_earlier_does_not_break_progress(learner_client, learner):
    Profile.objects.filter(user=learner).update(exam_date=dt.date(9999, 12, 31))
    assert learner_client.get(reverse("quizzes:progress")).status_code == 200
    assert learner_client.get(reverse("home")).status_code == 200
