import datetime as dt
import os

import pytest
import time_machine

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import StaffFactory, UserFactory  # noqa: E402

PASSWORD = "correct-horse-battery-9"

# Every test that is not a browser test runs on a clock that starts at this instant and ticks
# on, so no test depends on the date, the hour or the machine's time zone. Set
# STUDYAPP_TEST_NOW (ISO 8601 with an offset) to run the suite at another moment, e.g. a minute
# before midnight in Asia/Kolkata: STUDYAPP_TEST_NOW=2026-11-26T23:59:00+05:30 make test.
TEST_NOW = dt.datetime.fromisoformat(
    os.environ.get("STUDYAPP_TEST_NOW", "2026-03-10T12:30:00+05:30")
)


@pytest.fixture(autouse=True)
def fixed_clock(request):
    """Start the clock at TEST_NOW; browser tests keep the real clock (Chromium shares it)."""
    if request.node.get_closest_marker("e2e"):
        yield None
        return
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with empty throttle counters (django-ratelimit keeps them in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield


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


@pytest.fixture
def page_cache_on(settings):
    """Learner pages kept as the site runs them (studyapp.freshness), from an empty cache."""
    from django.core.cache import cache

    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()
