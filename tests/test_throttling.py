"""Throttling: logins (django-axes, in the database), password reset, sign-up, test starts and
autosaves (django-ratelimit, in the cache)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import MainsQuestionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password, address="203.0.113.7", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client):
    UserFactory(username="asha")
    for _ in range(9):
        assert _login(client, "asha", "wrong-guess").status_code == 200
    tenth = _login(client, "asha", "wrong-guess")
    assert tenth.status_code == 429

    right = _login(client, "asha", PASSWORD)
    assert right.status_code == 429
    assert not _logged_in(client)
    page = right.content.decode()
    assert "Too many failed logins" in page
    assert "Try again after" in page
    assert right["Retry-After"] == "900"

    # The lock holds for every client address (it is the account's), until the cool-off ends.
    assert _login(client, "asha", PASSWORD, address="198.51.100.9").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _login(client, "asha", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_guessing_many_usernames_from_one_address_locks_that_address_only(client):
    UserFactory(username="asha")
    for n in range(10):
        _login(client, f"nobody{n}", "guess", address="203.0.113.50")
    assert _login(client, "asha", PASSWORD, address="203.0.113.50").status_code == 429
    assert _login(client, "asha", PASSWORD, address="198.51.100.1").status_code == 302


def test_admin_login_is_throttled_too(client):
    StaffFactory(username="boss", is_superuser=True)
    url = reverse("admin:login")
    for _ in range(10):
        _login(client, "boss", "wrong", url=url)
    response = _login(client, "boss", PASSWORD, url=url)
    assert response.status_code == 429
    assert not _logged_in(client)


def test_a_successful_login_clears_the_failures(client):
    UserFactory(username="asha")
    for _ in range(9):
        _login(client, "asha", "wrong")
    assert _login(client, "asha", PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        _login(client, "asha", "wrong")
    assert _login(client, "asha", PASSWORD).status_code == 302


def test_password_reset_sends_at_most_three_mails_an_hour_to_one_address(client):
    UserFactory(username="asha", email="asha@example.com")
    url = reverse("password_reset")
    statuses = [
        client.post(url, {"email": email}).status_code
        for email in [
            "asha@example.com",
            "ASHA@example.com",
            "asha@example.com",
            "asha@example.com",
        ]
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_client_address(client):
    url = reverse("password_reset")
    statuses = [client.post(url, {"email": f"x{n}@example.com"}).status_code for n in range(11)]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert (
        "Too many password-reset requests"
        in client.post(url, {"email": "y@e.com"}).content.decode()
    )


def test_signup_is_throttled_per_client_address(client):
    url = reverse("signup")
    for n in range(10):
        client.post(url, {"username": f"user{n}", "email": "bad"})
    response = client.post(url, {"username": "another", "email": "bad"})
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()


def test_starting_tests_is_limited_per_learner_with_a_clear_message(learner_client):
    url = reverse("quizzes:prelims-start")
    for _ in range(10):
        assert learner_client.post(url, {"mode": "practice"}).status_code != 429
    response = learner_client.post(url, {"mode": "practice"})
    assert response.status_code == 429
    assert "You have started many tests in a short time" in response.content.decode()


def test_autosave_is_limited_per_learner_and_answers_json(learner_client):
    question = MainsQuestionFactory()
    url = reverse("quizzes:mains-autosave", args=[question.pk])
    for _ in range(30):
        learner_client.post(url, {"text": "x"}, HTTP_ACCEPT="application/json")
    response = learner_client.post(url, {"text": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response.json()["error"].startswith("Saving too often")


def _worker_cache():
    """A fresh instance of the throttle store, as another gunicorn worker would have."""
    from studyapp.throttle_cache import DatabaseCounterCache

    return DatabaseCounterCache("", {})


def test_two_workers_share_one_count_without_redis():
    first, second = _worker_cache(), _worker_cache()
    assert first.add("rl:signup:203.0.113.7", 1, 60) is True
    assert second.add("rl:signup:203.0.113.7", 1, 60) is False  # already started elsewhere
    assert second.incr("rl:signup:203.0.113.7") == 2
    assert first.incr("rl:signup:203.0.113.7") == 3
    assert first.get("rl:signup:203.0.113.7") == 3


def test_a_count_lives_as_long_as_its_window():
    from studyapp.models import ThrottleCount

    _worker_cache().add("rl:minute", 1, 60)
    left = ThrottleCount.objects.get().expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(seconds=50) < left <= dt.timedelta(seconds=60)


def test_an_expired_count_starts_again():
    store = _worker_cache()
    store.add("rl:k", 1, 60)
    from studyapp.models import ThrottleCount

    ThrottleCount.objects.update(expires=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert store.get("rl:k") is None
    with pytest.raises(ValueError):
        store.incr("rl:k")
    assert store.add("rl:k", 1, 60) is True
    assert store.get("rl:k") == 1


def test_a_signup_throttle_holds_when_the_next_request_reaches_another_worker(client):
    from django.core.cache import caches

    url = reverse("signup")
    for n in range(10):
        client.post(url, {"username": f"user{n}", "email": "bad"})
    # A worker's in-process state is gone (a new process); the count is not.
    caches["default"].clear()
    del caches["throttle"]
    response = client.post(url, {"username": "another", "email": "bad"})
    assert response.status_code == 429


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite locks)"
)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_all_counted_on_postgresql():
    import threading

    _worker_cache().add("rl:burst", 0, 60)

    def bump():
        try:
            for _ in range(25):
                _worker_cache().incr("rl:burst")
        finally:
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _worker_cache().get("rl:burst") == 200
