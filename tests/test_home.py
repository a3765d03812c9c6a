"""The home page: the landing page for visitors, the Today panel for a learner."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Status
from profiles.models import Profile
from quizzes.models import Attempt, CardState, NoteProgress
from quizzes.selectors.today import days_until, today_panel
from tests.factories import CardStateFactory, FlashcardFactory, TopicFactory

pytestmark = pytest.mark.django_db

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_visitor_sees_what_studyapp_offers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for offer in ("Topic notes", "FSRS", "Prelims mocks", "−⅔", "Mains answer writing"):
        assert offer in html
    assert reverse("signup") in html and reverse("login") in html
    assert 'id="today"' not in html


def test_home_page_has_landmarks_and_loads_htmx_locally(client):
    html = client.get(reverse("home")).content.decode()
    assert '<main id="main"' in html and '<nav class="nav" aria-label="Main"' in html
    assert 'href="#main"' in html  # skip link
    assert "htmx" in html and "https://" not in html.split("</head>")[0]


def test_learner_with_nothing_yet_gets_a_today_panel_with_next_steps(learner_client):
    topic = TopicFactory(title="History and milestones", order=1)
    response = learner_client.get(reverse("home"))
    html = response.content.decode()
    assert 'id="today"' in html
    assert "Welcome, asha" in html and "Welcome back" not in html  # signed up just now
    assert "No cards due right now" in html
    assert topic.title in html and topic.get_absolute_url() in html
    assert "No test in progress" in html
    assert "Set your exam date" in html


def test_today_panel_shows_due_cards_next_topic_and_unfinished_mock(learner_client, learner):
    now = timezone.now()
    first, second = TopicFactory(order=1), TopicFactory(order=2, title="Defence and security")
    TopicFactory(order=0, status=Status.DRAFT)  # drafts are never suggested
    NoteProgress.objects.create(learner=learner, topic=first, studied_at=now)
    CardStateFactory.create_batch(3, learner=learner, due=now - dt.timedelta(hours=1))
    CardStateFactory(learner=learner, due=now + dt.timedelta(days=2))  # not due yet
    retired = FlashcardFactory(status=Status.RETIRED)
    CardStateFactory(learner=learner, card=retired, due=now - dt.timedelta(days=1))
    mock = Attempt.objects.create(
        learner=learner,
        mode=Attempt.Mode.MOCK,
        title="Full mock 1",
        started_at=now - dt.timedelta(minutes=20),
        deadline=now + dt.timedelta(minutes=100),
    )
    profile = Profile.objects.get(user=learner)
    profile.exam_date = timezone.localdate(now, KOLKATA) + dt.timedelta(days=30)
    profile.save()

    html = learner_client.get(reverse("home")).content.decode()
    assert "3 cards due for review now" in html.replace("</p>\n        <p>", " ")
    assert reverse("quizzes:review") in html
    assert "Defence and security" in html and second.get_absolute_url() in html
    assert "Full mock 1" in html and "Resume the test" in html
    assert reverse("quizzes:attempt", args=[mock.pk]) in html
    assert "30 days" in html


def test_flashcards_tile_counts_new_cards_ready_today(learner_client, learner):
    """20 new cards and nothing due: the tile says 20 are ready, not 0."""
    FlashcardFactory.create_batch(25)
    html = learner_client.get(reverse("home")).content.decode()
    tile = html.split("<h3>Flashcards</h3>")[1].split("</article>")[0]
    assert '<p class="stat-value">20</p>' in tile
    assert "new cards ready to learn now" in tile and "No cards due" not in tile
    assert reverse("quizzes:review") in tile and "Start learning" in tile


def test_flashcards_tile_adds_due_cards_to_new_ones_and_respects_the_daily_limit(
    learner_client, learner
):
    now = timezone.now()
    FlashcardFactory.create_batch(4)
    CardStateFactory.create_batch(2, learner=learner, due=now - dt.timedelta(hours=1))
    Profile.objects.filter(user=learner).update(daily_new_cards=3)
    panel = learner_client.get(reverse("home")).context["today"]
    assert (panel["cards_due"], panel["cards_new"]) == (2, 3)
    html = " ".join(learner_client.get(reverse("home")).content.decode().split())
    assert '<p class="stat-value">5</p> <p>cards ready now: 2 due for review, 3 new.</p>' in html
    # Three new cards introduced today (the limit): the four never seen wait for tomorrow.
    CardStateFactory.create_batch(
        3, learner=learner, due=now + dt.timedelta(days=1), introduced_at=now
    )
    CardState.objects.filter(learner=learner, due__lte=now).update(due=now + dt.timedelta(days=2))
    html = " ".join(learner_client.get(reverse("home")).content.decode().split())
    assert "No cards due right now. Today's new cards are done: 4 more wait for tomorrow." in html


def test_flashcards_tile_counts_extra_new_cards_asked_for_today(learner_client, learner):
    FlashcardFactory.create_batch(12)
    today = timezone.localdate(timezone.now(), KOLKATA)
    Profile.objects.filter(user=learner).update(
        daily_new_cards=3, extra_new_cards=5, extra_new_day=today
    )
    assert learner_client.get(reverse("home")).context["today"]["cards_new"] == 8


def test_a_new_account_is_welcomed_and_a_returning_learner_welcomed_back(client, fixed_clock):
    response = client.post(
        reverse("signup"),
        {
            "username": "meera",
            "email": "meera@example.com",
            "password1": "saffron-lotus-2025",
            "password2": "saffron-lotus-2025",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "<h1>Welcome, meera</h1>" in html and "Welcome back" not in html
    # Later the same day, still the first visit's session: still a welcome.
    fixed_clock.shift(dt.timedelta(hours=2))
    assert "<h1>Welcome, meera</h1>" in client.get(reverse("home")).content.decode()
    # Logging in again is coming back.
    client.post(reverse("logout"))
    fixed_clock.shift(dt.timedelta(minutes=10))
    client.post(reverse("login"), {"username": "meera", "password": "saffron-lotus-2025"})
    assert "<h1>Welcome back, meera</h1>" in client.get(reverse("home")).content.decode()


def test_a_learner_who_signed_up_on_an_earlier_day_is_welcomed_back(learner, fixed_clock):
    fixed_clock.shift(dt.timedelta(days=1))
    now = timezone.now()
    assert today_panel(learner, now)["welcome_back"] is True


def test_today_panel_only_counts_the_learners_own_data(learner, other_learner):
    now = timezone.now()
    CardStateFactory(learner=other_learner, due=now - dt.timedelta(hours=1))
    Attempt.objects.create(learner=other_learner, mode=Attempt.Mode.MOCK, started_at=now)
    Attempt.objects.create(learner=learner, mode=Attempt.Mode.PRACTICE, started_at=now)
    Attempt.objects.create(
        learner=learner, mode=Attempt.Mode.MOCK, started_at=now, submitted_at=now
    )
    panel = today_panel(learner, now)
    assert panel["cards_due"] == 0
    assert panel["unfinished_mock"] is None


def test_next_topic_tells_all_studied_from_no_topics(learner_client, learner):
    assert today_panel(learner)["next_topic"] is None
    assert "No topic notes are published yet" in learner_client.get("/").content.decode()
    now = timezone.now()
    for topic in TopicFactory.create_batch(2):
        NoteProgress.objects.create(learner=learner, topic=topic, studied_at=now)
    assert today_panel(learner, now)["next_topic"].studied is True
    assert "You have studied every topic note" in learner_client.get("/").content.decode()


def _long_history(learner, size):
    now = timezone.now()
    topics = TopicFactory.create_batch(size)
    for topic in topics[:-1]:
        NoteProgress.objects.create(learner=learner, topic=topic, studied_at=now)
    for _ in range(size):
        CardStateFactory(learner=learner, due=now - dt.timedelta(hours=1))
        Attempt.objects.create(
            learner=learner, mode=Attempt.Mode.MOCK, started_at=now, submitted_at=now
        )
    Attempt.objects.create(learner=learner, mode=Attempt.Mode.MOCK, started_at=now)


@pytest.mark.parametrize("size", [1, 40])
def test_home_query_count_does_not_grow_with_history(
    learner_client, learner, size, django_assert_max_num_queries
):
    _long_history(learner, size)
    # session, user, profile, overdue mocks, new feedback, cards due, new cards, mistakes due,
    # next topic, unfinished mock, yesterday
    with django_assert_max_num_queries(11):
        response = learner_client.get(reverse("home"))
    assert response.context["today"]["cards_due"] == size


def test_today_panel_is_eight_queries(learner, django_assert_num_queries):
    _long_history(learner, 5)
    # profile, new feedback, cards due, new cards, mistakes due, next topic, unfinished mock,
    # yesterday's results
    with django_assert_num_queries(8):
        today_panel(learner)


@pytest.mark.parametrize(
    ("exam", "expected"),
    [
        (None, None),
        (dt.date(2026, 5, 24), 0),
        (dt.date(2026, 5, 25), 1),
        (dt.date(2026, 5, 1), None),
    ],
)
def test_days_until_counts_from_the_learners_local_date(exam, expected):
    # 20:00 UTC on 23 May is already 24 May in India.
    now = dt.datetime(2026, 5, 23, 20, 0, tzinfo=dt.UTC)
    assert days_until(exam, now, KOLKATA) == expected
    if exam == dt.date(2026, 5, 24):
        assert days_until(exam, now, zoneinfo.ZoneInfo("Europe/London")) == 1


def test_non_get_requests_to_home_are_refused(client):
    assert client.post(reverse("home")).status_code == 405


def test_home_submits_a_mock_whose_time_ran_out(learner_client, learner):
    from quizzes.models import Attempt
    from tests.factories import AttemptFactory

    attempt = AttemptFactory(learner=learner, submitted_at=None, score_thirds=None)
    page = learner_client.get("/").content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.auto_submitted
    assert Attempt.objects.filter(learner=learner, submitted_at__isnull=True).count() == 0
    assert "Resume" not in page
