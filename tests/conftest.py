import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import StaffFactory, UserFactory  # noqa: E402

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def learner(db):
    return UserFactory(username="asha")


@pytest.fixture
def other_learner(db):
    return UserFactory(username="ravi")


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="mentor")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
