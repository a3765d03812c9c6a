"""Learner pages kept per learner and content version (studyapp.freshness): a repeat view costs
no page queries, yet every write (in a request, outside one, with a bulk statement, by someone
else, to the study material) and the passing minute show on the next view; each request gets
its own CSRF token and each learner only their own page."""

import datetime as dt
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Status, Topic
from profiles.models import Profile
from quizzes.models import MainsAnswer, NoteProgress
from quizzes.services.activity import note_mark
from quizzes.services.mistakes import mistakes_bring_back
from tests.factories import (
    AttemptFactory,
    CardStateFactory,
    FactFactory,
    FlashcardFactory,
    MainsAnswerFactory,
    QuestionFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
TOPICS = reverse("quizzes:topic-list")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def without_tokens(html: str) -> str:
    return re.sub(r'value="[A-Za-z0-9]{64}"|"x-csrftoken": "[A-Za-z0-9]{64}"', "TOKEN", html)


def test_a_repeat_view_costs_no_page_query_and_gets_its_own_csrf_token(
    learner_client, django_assert_max_num_queries
):
    TopicFactory(title="Defence cooperation")
    first = learner_client.get(TOPICS)
    with django_assert_max_num_queries(2):  # the session and the user (with both versions)
        second = learner_client.get(TOPICS)
    assert "Defence cooperation" in text(second)
    assert without_tokens(first.content.decode()) == without_tokens(second.content.decode())
    tokens = CSRF_INPUT.findall(second.content.decode())
    assert tokens and "standin" not in second.content.decode()


def test_a_form_on_a_kept_page_posts_with_its_token(learner):
    topic = TopicFactory(slug="economy")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = topic.get_absolute_url()
    client.get(url)
    page = client.get(url).content.decode()  # from the cache
    token = CSRF_INPUT.search(page).group(1)
    response = client.post(
        reverse("quizzes:topic-studied", args=[topic.slug]),
        {"studied": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # not 403: the token put back is the session's


def test_marking_a_note_studied_shows_on_the_topic_list(learner_client):
    topic = TopicFactory(title="Defence cooperation")
    before = text(learner_client.get(TOPICS))
    assert before == text(learner_client.get(TOPICS))  # kept
    learner_client.post(reverse("quizzes:topic-studied", args=[topic.slug]), {"studied": "1"})
    assert text(learner_client.get(TOPICS)) != before


def test_a_write_outside_a_request_shows_on_the_next_view(learner_client, learner):
    """Another worker, a command or the shell: the version moves in the database."""
    topic = TopicFactory(title="Defence cooperation")
    before = text(learner_client.get(TOPICS))
    note_mark(learner=learner, topic=topic, studied=True, now=timezone.now())
    assert text(learner_client.get(TOPICS)) != before


def test_a_bulk_statement_moves_the_version_too(learner_client, learner):
    """mistakes_bring_back writes with UPDATE and INSERT ... ON CONFLICT (no model signal)."""
    topic = TopicFactory()
    fact = FactFactory(topic=topic)
    card = FlashcardFactory(topic=topic)
    card.facts.add(fact)
    question = QuestionFactory(topic=topic)
    question.facts.add(fact)
    CardStateFactory(learner=learner, card=card, due=timezone.now() + dt.timedelta(days=9))
    home = reverse("home")
    assert "mistake" not in text(learner_client.get(home)).lower()
    mistakes_bring_back(learner=learner, question_ids=[question.pk], now=timezone.now())
    assert "mistake" in text(learner_client.get(home)).lower()


def test_a_mentors_feedback_shows_on_the_learners_home(learner_client, learner, staff_user):
    answer = MainsAnswerFactory(learner=learner, submitted_at=timezone.now())
    home = reverse("home")
    assert "feedback" not in text(learner_client.get(home)).lower()
    answer = MainsAnswer.objects.get(pk=answer.pk)  # the mentor's save, as answer_feedback does
    answer.mentor = staff_user
    answer.mentor_feedback = "Add the 1958 yen loan."
    answer.mentor_score = 5
    answer.feedback_at = timezone.now()
    answer.save(update_fields=["mentor", "mentor_feedback", "mentor_score", "feedback_at"])
    assert "feedback" in text(learner_client.get(home)).lower()


def test_an_admin_bulk_action_on_content_shows_to_every_learner(
    learner_client, staff_user, settings
):
    topic = TopicFactory(title="Defence cooperation")
    assert "Defence cooperation" in text(learner_client.get(TOPICS))
    admin = Client()
    admin.force_login(staff_user)
    changelist = reverse("admin:content_topic_changelist")
    response = admin.post(changelist, {"action": "retire", "_selected_action": [topic.pk]})
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).status == Status.RETIRED
    assert "Defence cooperation" not in text(learner_client.get(TOPICS))


def test_a_settings_change_without_a_signal_still_shows(client, learner, fixed_clock):
    fixed_clock.move_to(dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC))  # 20:30 in Kolkata
    client.force_login(learner)
    learner_client = client
    CardStateFactory(learner=learner, due=dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC))
    review = reverse("quizzes:review")
    Profile.objects.filter(user=learner).update(timezone="Asia/Kolkata")
    first = text(learner_client.get(review))
    assert "tomorrow at 07:30" in first
    Profile.objects.filter(user=learner).update(timezone="Asia/Tokyo")
    assert "at 11:00" in text(learner_client.get(review))  # midnight in Tokyo: today there


def test_a_card_coming_due_shows_within_a_minute(learner_client, learner, fixed_clock):
    state = CardStateFactory(learner=learner, due=timezone.now() + dt.timedelta(days=2))
    cards = reverse("quizzes:cards")
    before = text(learner_client.get(cards))
    assert before == text(learner_client.get(cards))  # kept
    # Time alone: the card falls due with no write at all.
    fixed_clock.shift(dt.timedelta(days=2, minutes=1))
    assert state.due < timezone.now()
    assert text(learner_client.get(cards)) != before


def test_the_dashboard_is_kept_until_a_card_comes_due(
    learner_client, learner, fixed_clock, django_assert_max_num_queries
):
    due = timezone.now() + dt.timedelta(minutes=55)
    CardStateFactory(learner=learner, due=due)
    progress = reverse("quizzes:progress")
    before = text(learner_client.get(progress))
    assert "Cards due now 0" in before
    # Most of an hour passes with nothing coming due: the kept page, long past the minute
    # (no page queries).
    fixed_clock.shift(dt.timedelta(minutes=54))
    with django_assert_max_num_queries(2):
        assert text(learner_client.get(progress)) == before
    fixed_clock.move_to(due + dt.timedelta(seconds=1))
    assert "Cards due now 1" in text(learner_client.get(progress))


def test_a_result_is_kept_across_the_hour_and_follows_the_learner(
    learner_client, learner, fixed_clock, django_assert_max_num_queries
):
    attempt = AttemptFactory(learner=learner)
    url = reverse("quizzes:attempt-result", args=[attempt.pk])
    before = text(learner_client.get(url))
    fixed_clock.shift(dt.timedelta(minutes=50))
    with django_assert_max_num_queries(4):
        assert text(learner_client.get(url)) == before
    attempt.title = "Renamed by a write"
    attempt.save()
    assert "Renamed by a write" in text(learner_client.get(url))


def test_the_series_list_is_kept_until_a_paper_opens(
    learner_client, fixed_clock, django_assert_max_num_queries
):
    from tests.quizzes.test_series import make_paper

    opens = timezone.now() + dt.timedelta(minutes=30)
    make_paper(opens_at=opens)
    url = reverse("quizzes:series")
    before = text(learner_client.get(url))
    assert "opens" in before
    fixed_clock.shift(dt.timedelta(minutes=29))
    with django_assert_max_num_queries(4):  # session, user, the learner's expired attempts
        assert text(learner_client.get(url)) == before
    fixed_clock.move_to(opens + dt.timedelta(seconds=1))
    assert "opens" not in text(learner_client.get(url))


def test_each_learner_gets_only_their_own_kept_page(learner, other_learner):
    TopicFactory()
    pages = {}
    for user in (learner, other_learner, learner, other_learner):
        client = Client()
        client.force_login(user)
        pages.setdefault(user.username, set()).add(
            without_tokens(client.get(reverse("quizzes:progress")).content.decode())
        )
    assert all(len(bodies) == 1 for bodies in pages.values())
    for name, bodies in pages.items():
        assert name in next(iter(bodies))
    assert pages[learner.username] != pages[other_learner.username]


def test_the_staff_learner_page_follows_the_learners_writes(learner, staff_user):
    topic = TopicFactory(title="Defence cooperation")
    staff = Client()
    staff.force_login(staff_user)
    url = reverse("quizzes:staff-learner", args=[learner.pk])
    before = text(staff.get(url))
    assert before == text(staff.get(url))  # kept
    note_mark(learner=learner, topic=topic, studied=True, now=timezone.now())
    assert text(staff.get(url)) != before


def test_the_staff_list_says_how_old_its_figures_are(staff_user, learner, fixed_clock):
    staff = Client()
    staff.force_login(staff_user)
    url = reverse("quizzes:staff-learners")
    shown = timezone.localtime(timezone.now()).strftime("%H:%M")
    assert f"Figures as of {shown} (refreshed every minute)" in text(staff.get(url))
    fixed_clock.shift(dt.timedelta(minutes=2))
    later = timezone.localtime(timezone.now()).strftime("%H:%M")
    assert f"Figures as of {later}" in text(staff.get(url))


def _through_middleware(learner, view):
    from django.test import RequestFactory

    from studyapp.freshness import versions_after_writes

    request = RequestFactory().post("/somewhere/")
    request.user = request._cached_user = learner
    versions_after_writes(lambda r: view() or HttpResponse())(request)
    return Profile.objects.get(user=learner).data_version


def test_a_services_own_profile_update_moves_the_version_once(learner):
    from quizzes.services.activity import record_activity

    before = Profile.objects.get(user=learner).data_version
    after = _through_middleware(learner, lambda: record_activity(learner, timezone.now()))
    assert after == before + 1  # in the same UPDATE as last_active; none at the end


def test_a_write_after_the_services_update_moves_the_version_again(learner):
    from quizzes.services.activity import record_activity

    topic = TopicFactory()

    def view():
        record_activity(learner, timezone.now())
        # A bulk statement with no signal after it: the end of the request moves it again.
        NoteProgress.objects.bulk_create([NoteProgress(learner=learner, topic=topic,
                                                       studied_at=timezone.now())])  # fmt: skip

    before = Profile.objects.get(user=learner).data_version
    assert _through_middleware(learner, view) == before + 2
