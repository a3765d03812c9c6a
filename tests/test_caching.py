"""What is cached is never stale: rendered notes are keyed by their own text (an edit is a new
key), and learner pages by the learner's and the content's versions (studyapp.freshness), so a
write shows on the next page view — with the local-memory cache and with Redis as the cache
and session store (tests/test_page_cache.py covers each kind of write)."""

import re

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from content import markdown
from content.models import Note
from tests.factories import FlashcardFactory, NoteFactory, TopicFactory

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/11",
        "KEY_PREFIX": "studyapp-tests",
    }
}
STORES = [
    pytest.param((LOCMEM, "django.contrib.sessions.backends.db"), id="local-memory"),
    pytest.param((REDIS, "django.contrib.sessions.backends.cache"), id="redis"),
]


@pytest.fixture(params=STORES)
def store(request, settings):
    settings.PAGE_CACHE = True
    cache_settings, session_engine = request.param
    with override_settings(CACHES=cache_settings | {"throttle": cache_settings["default"]},
                           SESSION_ENGINE=session_engine):  # fmt: skip
        for alias in ("default", "throttle"):
            caches[alias].clear()
        yield
        for alias in ("default", "throttle"):
            caches[alias].clear()


def test_a_note_rendered_once_is_reused_and_an_edit_shows_at_once(store, learner_client):
    topic = TopicFactory(slug="economy")
    note = NoteFactory(topic=topic, body="## Trade\n\nBilateral trade was **$22.8 billion**.")
    url = topic.get_absolute_url()
    markdown._render_cached.cache_clear()
    assert "$22.8 billion" in learner_client.get(url).content.decode()
    assert "$22.8 billion" in learner_client.get(url).content.decode()
    info = markdown._render_cached.cache_info()
    assert info.misses == 1  # rendered once for two views (the second: the kept page or the LRU)
    note = Note.objects.get(pk=note.pk)  # as the admin saves it
    note.body = "## Trade\n\nBilateral trade was **$22.85 bn**."
    note.save()
    html = learner_client.get(url).content.decode()
    assert "$22.85 bn" in html and "$22.8 billion" not in html


def test_a_rating_is_reflected_on_the_next_page_views(store, client, learner):
    client.force_login(learner)
    topic = TopicFactory(slug="defence")
    FlashcardFactory(
        topic=topic, front="Malabar includes which navies?", back="India, US, Japan, Australia"
    )
    review = reverse("quizzes:review")
    page = client.get(review).content.decode()
    card = re.search(r'name="card" value="(\d+)"', page).group(1)
    reps = re.search(r'name="reps" value="(\d+)"', page).group(1)
    decks = reverse("quizzes:cards")
    for _ in range(2):  # the second view comes from the cache
        assert "0 reviews in the last 30 days" in " ".join(
            client.get(decks).content.decode().split()
        )
    response = client.post(reverse("quizzes:review-rate"),
                           {"card": card, "reps": reps, "rating": 3})  # fmt: skip
    assert response.status_code in (200, 302)
    assert "1 review in the last 30 days" in " ".join(client.get(decks).content.decode().split())
    progress = client.get(reverse("quizzes:progress")).content.decode()
    assert "1 card" in progress or "1 review" in progress
    # The card is learning now (shown again within the learn-ahead window): its next showing.
    after = client.get(review).content.decode()
    assert re.search(r'name="reps" value="(\d+)"', after).group(1) == str(int(reps) + 1)
