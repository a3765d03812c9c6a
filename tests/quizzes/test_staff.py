"""Staff review of learners: the list (search, sort, columns) and one learner, read-only."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes.models import Attempt, MainsAnswer, ReviewLog
from quizzes.selectors.staff import NEVER, learners_for_staff
from quizzes.services import prelims as svc
from quizzes.services.activity import recount
from quizzes.services.prelims import PrelimsAction
from tests.factories import (
    AttemptFactory,
    MainsAnswerFactory,
    bulk_history,
    history_content,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

LIST = reverse("quizzes:staff-learners")


@pytest.fixture
def content():
    return history_content()


def quick_user(username: str, **fields):
    """A learner without a hashed password (hashing is the slow part of UserFactory)."""
    user = User.objects.create(username=username, **fields)
    Profile.objects.create(user=user)
    return user


def detail(user) -> str:
    return reverse("quizzes:staff-learner", args=[user.pk])


def test_staff_pages_need_login(client, learner):
    for url in (LIST, detail(learner)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_learners_cannot_see_staff_pages(learner_client, other_learner):
    assert learner_client.get(LIST).status_code == 403
    assert learner_client.get(detail(other_learner)).status_code == 403


def test_list_shows_each_learner_with_activity_streak_due_mock_average_and_weak_topic(
    staff_client, learner, other_learner, content
):
    now = timezone.now()
    bulk_history(learner, content, size=200, now=now)  # Prelims answers in the first topic
    weaker = content["topics"][1]
    practice = svc.attempt_start(
        learner=learner, mode=Attempt.Mode.PRACTICE, count=3, topics=[weaker.slug]
    )
    for item in practice.items.all():  # three wrong answers: the second topic is the weaker
        svc.attempt_answer(
            attempt_id=practice.pk, learner=learner, order=item.order,
            action=PrelimsAction.CHECK, chosen=(item.key + 1) % 4,
        )  # fmt: skip
    response = staff_client.get(LIST)
    assert response.status_code == 200
    rows = {row["user"].username: row for row in response.context["rows"]}
    assert set(rows) == {"asha", "ravi"}  # staff accounts are not learners
    asha = rows["asha"]
    assert asha["last_active"] is not None and now - asha["last_active"] < dt.timedelta(hours=1)
    assert asha["streak"].current >= 1
    assert asha["user"].cards_due == 5  # every other card of ten is due
    # Every mock in the history scores 30 of 60 thirds: 50% of the maximum.
    assert asha["mock_avg"] == 50 and asha["user"].mocks >= 1
    assert asha["weak"]["title"] == weaker.title
    ravi = rows["ravi"]
    assert ravi["last_active"] is None and ravi["mock_avg"] is None and ravi["weak"] is None
    html = response.content.decode()
    assert detail(learner) in html and "Never" in html


def test_list_is_searchable_by_name_and_email(staff_client, learner, other_learner):
    quick_user("meera", email="meera@upsc.example", first_name="Meera")
    rows = staff_client.get(LIST, {"q": "upsc.example"}).context["rows"]
    assert [r["user"].username for r in rows] == ["meera"]
    rows = staff_client.get(LIST, {"q": "ASH"}).context["rows"]
    assert [r["user"].username for r in rows] == ["asha"]
    html = staff_client.get(LIST, {"q": "nobody"}).content.decode()
    assert "No learner matches" in html


def test_list_sorts_by_each_column_both_ways(staff_client, content):
    now = timezone.now()
    busy, idle, middling = (quick_user(n) for n in ("busy", "idle", "middling"))
    bulk_history(busy, content, size=40, now=now)
    AttemptFactory(learner=middling, score_thirds=6 * 20, question_count=25)  # 80%
    ReviewLog.objects.create(
        learner=middling,
        card=content["cards"][0],
        rating=3,
        reviewed_at=now - dt.timedelta(days=3),
        state_after={},
        reps_before=0,
    )
    recount()  # rows written directly, not through the services that keep the counters

    def order(sort):
        return [r["user"].username for r in staff_client.get(LIST, {"sort": sort}).context["rows"]]

    assert order("name") == ["busy", "idle", "middling"]
    assert order("-name") == ["middling", "idle", "busy"]
    assert order("-active") == ["busy", "middling", "idle"]
    assert order("-mock") == ["middling", "busy", "idle"]  # no mocks: last either way
    assert order("mock") == ["busy", "middling", "idle"]
    assert order("-due")[0] == "busy"
    assert order("nonsense") == order("-active")  # an unknown sort falls back quietly
    html = staff_client.get(LIST, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-name" in html


def test_list_pages_and_answers_htmx_with_the_table_only(staff_client):
    for i in range(30):
        quick_user(f"aspirant{i:02d}")
    first = staff_client.get(LIST, {"sort": "name"})
    assert len(first.context["rows"]) == 25 and first.context["page"].has_next()
    second = staff_client.get(LIST, {"sort": "name", "page": 2})
    assert [r["user"].username for r in second.context["rows"]] == [
        f"aspirant{i:02d}" for i in range(25, 30)
    ]
    fragment = staff_client.get(LIST, {"q": "aspirant0"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="learner-table"') and "<html" not in html


def test_last_active_is_never_for_a_learner_without_history(learner):
    row = learners_for_staff(now=timezone.now()).get(pk=learner.pk)
    assert row.last_active == NEVER and row.cards_due == 0 and row.mock_avg is None


def test_staff_see_one_learners_dashboard_and_history_read_only(staff_client, learner, content):
    bulk_history(learner, content, size=100)
    waiting = MainsAnswerFactory(learner=learner, question=content["mains"][0])
    response = staff_client.get(detail(learner))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Read-only view" in html
    assert response.context["learner"] == learner
    assert response.context["totals"]["cards"] == 60
    # No buttons that would act for the learner.
    assert reverse("quizzes:prelims-start") not in html
    assert "Review now" not in html
    # Mains answers awaiting feedback link to the answer page, where mentors write it.
    awaiting = response.context["awaiting"]
    assert waiting in awaiting
    assert all(a.feedback_at is None for a in awaiting)
    assert reverse("quizzes:mains-answer", args=[waiting.pk]) in html
    # History rows: attempts are not linked (their pages are the learner's own).
    rows = response.context["rows"]
    assert rows and all(r.url == "" for r in rows if r.kind in ("practice", "mock"))
    attempt = Attempt.objects.filter(learner=learner).first()
    assert reverse("quizzes:attempt-result", args=[attempt.pk]) not in html


def test_staff_history_filters_and_pages_stay_on_the_staff_page(staff_client, learner, content):
    bulk_history(learner, content, size=400)
    response = staff_client.get(detail(learner), {"kind": "mains"})
    rows = response.context["rows"]
    assert rows and {r.kind for r in rows} == {"mains"}
    older = response.context["older_url"]
    assert older.startswith(detail(learner) + "?")
    fragment = staff_client.get(older, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="history-results"')
    assert staff_client.get(detail(learner), {"before": "garbage"}).status_code == 400


def test_unknown_learner_is_404(staff_client):
    assert staff_client.get(reverse("quizzes:staff-learner", args=[999_999])).status_code == 404


def test_streaks_on_the_list_use_each_learners_time_zone(staff_client, learner, content):
    # Two ratings 6 hours apart: the same day in UTC, two days in New York.
    Profile.objects.filter(user=learner).update(timezone="America/New_York")
    now = timezone.now()
    local = timezone.localtime(now, dt.timezone(dt.timedelta(hours=-5)))
    midnight_ny = (local.replace(hour=0, minute=0, second=0, microsecond=0)).astimezone(dt.UTC)
    for i, at in enumerate(
        [midnight_ny + dt.timedelta(hours=1), midnight_ny - dt.timedelta(hours=2)]
    ):
        ReviewLog.objects.create(
            learner=learner,
            card=content["cards"][i],
            rating=3,
            reviewed_at=min(at, now),
            state_after={},
            reps_before=0,
        )
    row = staff_client.get(LIST).context["rows"][0]
    assert row["streak"].current == 2


@pytest.mark.parametrize("size", [20, 20_000])
def test_staff_pages_query_counts_do_not_grow_with_history(
    staff_client, learner, other_learner, content, size, django_assert_max_num_queries
):
    bulk_history(learner, content, size=size)
    bulk_history(other_learner, content, size=20)
    MainsAnswer.objects.filter(learner=learner).update(feedback_at=None)
    pages = [
        # session, user, count, page, cards due of the page, 4 streak sources (one time
        # zone), weak topics
        (LIST, {}, 10),
        (LIST, {"sort": "mock", "q": "a"}, 10),
        (LIST, {"sort": "-due"}, 9),  # sorted by cards due: counted in the page's query
        (detail(learner), {}, 25),
        (detail(learner), {"kind": "reviews"}, 23),
    ]
    for url, params, limit in pages:
        with django_assert_max_num_queries(limit):
            response = staff_client.get(url, params)
        assert response.status_code == 200
