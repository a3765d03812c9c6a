"""manage.py seed_demo: a demo learner with six weeks of realistic history, idempotently."""

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from content.models import Question
from quizzes.management.commands.seed_demo import DEMO_PASSWORD, MENTOR_USERNAME
from quizzes.models import Attempt, AttemptItem, CardState, MainsAnswer, NoteProgress, ReviewLog
from tests.factories import (
    FlashcardFactory,
    MainsQuestionFactory,
    NoteFactory,
    PairsQuestionFactory,
    QuestionFactory,
    StatementsQuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
MODELS = [ReviewLog, CardState, Attempt, AttemptItem, MainsAnswer, NoteProgress]


@pytest.fixture
def pack():
    """A small published bank: four topics with notes, cards, three formats, Mains."""
    for _ in range(4):
        topic = TopicFactory()
        NoteFactory(topic=topic)
        FlashcardFactory.create_batch(6, topic=topic)
        QuestionFactory.create_batch(4, topic=topic)
        StatementsQuestionFactory.create_batch(3, topic=topic)
        PairsQuestionFactory.create_batch(2, topic=topic)
        MainsQuestionFactory(topic=topic)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        m.__name__: (m.objects.count(), max(m.objects.values_list("pk", flat=True), default=0))
        for m in MODELS
    }


def test_without_content_it_explains_and_creates_nothing():
    output = seed()
    assert "No published content" in output and "load_content" in output
    assert not User.objects.filter(username="demo").exists()


def test_demo_learner_gets_six_weeks_of_history_and_a_second_run_changes_nothing(pack, client):
    output = seed()
    assert "demo:" in output and DEMO_PASSWORD in output
    demo = User.objects.get(username="demo")
    assert demo.check_password(DEMO_PASSWORD)
    profile = demo.profile
    days_to_exam = (profile.exam_date - timezone.localdate()).days
    assert 170 <= days_to_exam <= 190
    assert profile.timezone == "Asia/Kolkata"

    # Card reviews through FSRS, on most of the last six weeks.
    logs = ReviewLog.objects.filter(learner=demo)
    days = set(logs.annotate(day=TruncDate("reviewed_at")).values_list("day", flat=True))
    assert logs.count() > 80 and len(days) >= 20
    first = logs.order_by("reviewed_at").first().reviewed_at
    assert dt.timedelta(days=38) <= timezone.now() - first <= dt.timedelta(days=43)
    assert CardState.objects.filter(learner=demo, state=CardState.State.REVIEW).exists()
    assert logs.filter(state_before__isnull=False).exists()  # cards came back for review

    # Practice sets and three submitted mocks, with snapshots of real questions.
    attempts = Attempt.objects.filter(learner=demo)
    assert attempts.filter(mode="practice", submitted_at__isnull=False).count() >= 5
    mocks = attempts.filter(mode="mock")
    assert mocks.count() == 3 and not mocks.filter(submitted_at__isnull=True).exists()
    item = AttemptItem.objects.filter(attempt__in=mocks).select_related("question").first()
    live = Question.objects.with_parts().get(pk=item.question_id).snapshot()
    assert item.snapshot == live and item.key == live["key"]
    assert all(m.score_thirds is not None and m.question_count for m in mocks)

    # Two Mains answers, self-assessed, one with a mentor's feedback.
    answers = MainsAnswer.objects.filter(learner=demo)
    assert answers.count() == 2 and not answers.filter(submitted_at__isnull=True).exists()
    assert not answers.filter(self_score__isnull=True).exists()
    marked = answers.get(feedback_at__isnull=False)
    assert marked.mentor.username == MENTOR_USERNAME and marked.mentor_score is not None
    assert not marked.mentor.has_usable_password()
    assert NoteProgress.objects.filter(learner=demo).count() == 4

    # The dashboard is worth looking at.
    client.force_login(demo)
    ctx = client.get(reverse("quizzes:progress")).context
    assert ctx["streak"].current >= 5
    assert len(ctx["mocks"]["rows"]) == 3 and len(ctx["mains"]["rows"]) == 2

    # Idempotent: a second run writes nothing.
    before = counts()
    assert "already has history" in seed()
    assert counts() == before


def test_reset_rebuilds_the_same_history_and_extra_learners_are_made(pack):
    seed()
    demo_rows = ReviewLog.objects.filter(learner__username="demo").count()
    seed("--reset", "--learners", "2")
    assert ReviewLog.objects.filter(learner__username="demo").count() == demo_rows
    assert User.objects.filter(username__in=["learner-01", "learner-02"]).count() == 2
    assert ReviewLog.objects.filter(learner__username="learner-02").exists()
    assert User.objects.filter(username=MENTOR_USERNAME).count() == 1


def test_a_bad_learner_count_is_refused(pack):
    with pytest.raises(CommandError, match="between 0 and 500"):
        seed("--learners", "-3")


# ---- the demo's guarantees hold whatever day and hour it is built ---------------------------

KOLKATA = ZoneInfo("Asia/Kolkata")
FIRST_DAY = dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC)
BUILD_MOMENTS = [FIRST_DAY + dt.timedelta(days=n) for n in range(31)] + [
    # Either side of midnight where the demo learner lives, and where the server counts.
    dt.datetime(2026, 11, 26, 23, 55, tzinfo=KOLKATA),
    dt.datetime(2026, 11, 27, 0, 5, tzinfo=KOLKATA),
    dt.datetime(2026, 11, 26, 23, 55, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 27, 0, 5, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("moment", BUILD_MOMENTS, ids=lambda m: m.isoformat())
def test_the_demo_shows_what_it_is_for_on_any_day_it_is_built(pack, client, moment):
    """A streak through yesterday with card reviews, a mock in the last week, mentor feedback."""
    with time_machine.travel(moment, tick=False):
        seed()
        demo = User.objects.get(username="demo")
        client.force_login(demo)

        home = client.get(reverse("home")).content.decode()
        assert "Welcome back, Demo" in home  # six weeks of history: not a new account
        yesterday = re.search(r'class="today-yesterday[^"]*">(.*?)</p>', home, re.S)
        assert yesterday and "reviewed" in yesterday.group(1), yesterday

        local_yesterday = moment.astimezone(KOLKATA).date() - dt.timedelta(days=1)
        reviewed_days = {
            r.astimezone(KOLKATA).date()
            for r in ReviewLog.objects.filter(learner=demo).values_list("reviewed_at", flat=True)
        }
        assert local_yesterday in reviewed_days
        streak = client.get(reverse("quizzes:progress")).context["streak"]
        assert streak.current >= 2 and not streak.active_today

        week_ago = moment - dt.timedelta(days=7)
        mocks = Attempt.objects.filter(learner=demo, mode="mock", submitted_at__isnull=False)
        assert mocks.filter(started_at__gte=week_ago).exists()
        assert MainsAnswer.objects.filter(
            learner=demo, feedback_at__isnull=False, feedback_at__lte=moment
        ).exists()
