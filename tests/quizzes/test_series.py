"""Test series: ranked first attempts, counters kept on submit, the paper pages, the standing
on the result page, public names, exam mode, like-with-like comparisons, constant queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from content import models as cm
from profiles.models import Profile
from quizzes.models import Attempt, PaperQuestionStat, PaperScore
from quizzes.services import prelims as prelims_service
from quizzes.services import series as service
from quizzes.services.prelims import AttemptError
from quizzes.services.prelims import PrelimsAction as Action
from tests.factories import QuestionFactory, TopicFactory

User = get_user_model()

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def make_paper(n=4, *, slug="sectional-1", family="sectional", minutes=5, **fields) -> cm.Paper:
    topic = TopicFactory()
    fields.setdefault("status", cm.Status.PUBLISHED)  # new papers default to Draft
    paper = cm.Paper.objects.create(
        slug=slug, title=f"Paper {slug}", family=family, minutes=minutes, **fields
    )
    for order in range(1, n + 1):
        question = QuestionFactory(topic=topic)  # the key is option (b), index 1
        cm.PaperQuestion.objects.create(paper=paper, question=question, order=order)
    return paper


def sit(learner, paper, answers, *, now=NOW) -> Attempt:
    """Start the paper, pick `answers` (option index or None per question), submit."""
    attempt = service.paper_attempt_start(learner=learner, paper=paper, now=now)
    for order, chosen in enumerate(answers, start=1):
        if chosen is not None:
            prelims_service.attempt_answer(
                attempt_id=attempt.pk,
                learner=learner,
                order=order,
                action=Action.PICK,
                chosen=chosen,
                now=now,
            )
    attempt, _ = prelims_service.attempt_submit(
        attempt_id=attempt.pk, learner=learner, now=now + dt.timedelta(minutes=1)
    )
    return attempt


# ---- services ----------------------------------------------------------------------------


def test_paper_attempt_has_the_papers_questions_in_order_and_its_time_limit(learner):
    paper = make_paper(4, minutes=7)
    attempt = service.paper_attempt_start(learner=learner, paper=paper, now=NOW)
    ordered = list(paper.items.values_list("question_id", flat=True))
    assert list(attempt.items.values_list("question_id", flat=True)) == ordered
    assert attempt.mode == "mock" and attempt.deadline == NOW + dt.timedelta(minutes=7)
    assert attempt.ranked and attempt.paper == paper and attempt.family == "sectional"


def test_starting_twice_resumes_the_running_attempt(learner):
    paper = make_paper(2)
    first = service.paper_attempt_start(learner=learner, paper=paper, now=NOW)
    again = service.paper_attempt_start(learner=learner, paper=paper, now=NOW)
    assert first.pk == again.pk and Attempt.objects.count() == 1


def test_first_attempt_counts_for_rank_and_a_retake_is_practice(learner):
    paper = make_paper(3)
    first = sit(learner, paper, [1, 1, 1])
    retake = sit(learner, paper, [0, None, None], now=NOW + dt.timedelta(days=1))
    assert first.ranked and not retake.ranked
    assert dict(PaperScore.objects.values_list("score_thirds", "takers")) == {18: 1}
    stat = PaperQuestionStat.objects.get(paper=paper, question__paper_items__order=1)
    assert (stat.picks, stat.blank, stat.right) == ([0, 1, 0, 0], 0, 1)


def test_submit_counts_every_option_pick_blank_and_right_answer(learner, other_learner):
    paper = make_paper(2)
    sit(learner, paper, [1, None])
    sit(other_learner, paper, [3, 1])
    stats = {
        s.question.paper_items.get().order: s
        for s in PaperQuestionStat.objects.select_related("question")
    }
    assert (stats[1].picks, stats[1].blank, stats[1].right) == ([0, 1, 0, 1], 0, 1)
    assert (stats[2].picks, stats[2].blank, stats[2].right) == ([0, 1, 0, 0], 1, 1)
    # +2 -0 = 6 thirds; -2/3 + 2 = 4 thirds.
    assert dict(PaperScore.objects.values_list("score_thirds", "takers")) == {6: 1, 4: 1}


def test_a_paper_not_open_yet_refuses_to_start(learner):
    paper = make_paper(2, opens_at=NOW + dt.timedelta(days=1))
    with pytest.raises(AttemptError, match="opens on"):
        service.paper_attempt_start(learner=learner, paper=paper, now=NOW)
    assert not Attempt.objects.exists()


def test_an_attempt_after_the_paper_closes_is_practice(learner):
    paper = make_paper(2, closes_at=NOW - dt.timedelta(hours=1))
    attempt = sit(learner, paper, [1, 1])
    assert not attempt.ranked and not PaperScore.objects.exists()


def test_an_auto_submitted_paper_is_counted_too(learner):
    paper = make_paper(2, minutes=1)
    attempt = service.paper_attempt_start(learner=learner, paper=paper, now=NOW)
    prelims_service.attempts_expire(learner=learner, now=NOW + dt.timedelta(minutes=5))
    attempt.refresh_from_db()
    assert attempt.auto_submitted and PaperScore.objects.get().takers == 1


# ---- pages -------------------------------------------------------------------------------


def test_series_page_lists_published_papers_with_the_learners_state(learner_client, learner):
    paper = make_paper(2)
    make_paper(2, slug="hidden", status=cm.Status.DRAFT)
    sit(learner, paper, [1, 1])
    response = learner_client.get(reverse("quizzes:series"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Paper sectional-1" in body and "Paper hidden" not in body
    assert "Ranked score 4.00 / 4" in body


def test_paper_page_shows_instructions_before_the_clock_starts(learner_client):
    paper = make_paper(4, minutes=5)
    response = learner_client.get(reverse("quizzes:paper", args=[paper.slug]))
    body = response.content.decode()
    assert "The clock starts when you press" in body
    assert "+2 right · −⅔ (0.67) wrong · 0 blank" in body
    assert "Marked for review" in body  # the palette legend
    assert not Attempt.objects.exists()


def test_start_needs_the_instructions_read_and_then_opens_the_exam(learner_client, learner):
    paper = make_paper(2)
    url = reverse("quizzes:paper-start", args=[paper.slug])
    refused = learner_client.post(url)
    assert refused.status_code == 400 and not Attempt.objects.exists()
    response = learner_client.post(url, {"agree": "1"})
    attempt = Attempt.objects.get(learner=learner)
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])


def test_unknown_or_draft_paper_is_404(learner_client):
    make_paper(2, slug="draft-paper", status=cm.Status.DRAFT)
    assert learner_client.get("/tests/draft-paper/").status_code == 404
    assert learner_client.post("/tests/nope/start/", {"agree": "1"}).status_code == 404


def test_exam_mode_hides_the_site_menu_search_and_logout(learner_client, learner):
    paper = make_paper(2)
    attempt = service.paper_attempt_start(learner=learner, paper=paper)
    body = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "exam-mode" in body and "js/exam.js" in body
    assert 'role="search"' not in body and "Log out" not in body
    assert reverse("quizzes:topic-list") not in body
    assert 'id="palette-toggle"' in body  # the phone drawer


def test_practice_keeps_the_site_menu(learner_client, learner):
    QuestionFactory()
    attempt = prelims_service.attempt_start(learner=learner, mode="practice", count=1)
    body = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert 'role="search"' in body and "exam.js" not in body


def _takers(paper, scores: list[int]):
    """Many ranked takers at once: their attempts (for the top ten) and the counters."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(username=f"taker-{start + i}", password="!") for i in range(len(scores))
    )
    if not users or users[0].pk is None:  # backends that do not return ids on bulk insert
        users = list(User.objects.filter(username__startswith="taker-").order_by("pk"))
    Profile.objects.bulk_create(Profile(user=u) for u in users)
    Attempt.objects.bulk_create(
        Attempt(
            learner=u,
            mode="mock",
            paper=paper,
            ranked=True,
            family=paper.family,
            started_at=NOW,
            submitted_at=NOW + dt.timedelta(minutes=i % 50),
            score_thirds=s,
            question_count=paper.items.count(),
        )
        for i, (u, s) in enumerate(zip(users, scores, strict=True))
    )
    counts: dict[int, int] = {}
    for s in scores:
        counts[s] = counts.get(s, 0) + 1
    for s, n in counts.items():
        bin_, _ = PaperScore.objects.get_or_create(paper=paper, score_thirds=s)
        PaperScore.objects.filter(pk=bin_.pk).update(takers=bin_.takers + n)
    return users


def test_result_shows_rank_percentile_average_topper_and_cutoff(learner_client, learner):
    paper = make_paper(4, cutoff_marks=5, cutoff_note="Set for this test.")
    top = _takers(paper, [24, 12])[0]
    Profile.objects.filter(user=top).update(public_name="Kavya R")
    attempt = sit(learner, paper, [1, 1, 0, None])  # 2 + 2 - 2/3 = 10 thirds
    body = learner_client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    text = re.sub(r"\s+", " ", body)
    assert 'id="rank">3 <span class="out-of">of 3</span>' in text
    assert 'id="percentile">33.33<' in text
    assert "top score by Kavya R" in text
    assert "Cut-off (set by the authors)" in text and "You are below it." in text
    assert top.username not in body  # only the public name


def test_result_of_a_retake_is_placed_but_not_counted(learner_client, learner):
    paper = make_paper(2)
    sit(learner, paper, [None, None])
    retake = sit(learner, paper, [1, 1], now=NOW + dt.timedelta(days=1))
    body = learner_client.get(reverse("quizzes:attempt-result", args=[retake.pk])).content.decode()
    assert "Practice retake: not counted" in body and "Would rank" in body
    assert PaperScore.objects.get().score_thirds == 0


def test_review_shows_the_share_of_takers_per_option(learner_client, learner, other_learner):
    paper = make_paper(1)
    sit(other_learner, paper, [0])
    attempt = sit(learner, paper, [1])
    body = learner_client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    text = re.sub(r"\s+", " ", body)
    assert "<strong>50%</strong> of 2 takers got this right" in text
    assert "(a) 50%" in text and "(c) 0%" in text and "blank 0%" in text


def test_anonymous_unless_a_public_name_is_chosen(learner_client, learner):
    paper = make_paper(2)
    others = _takers(paper, [12, 6])
    Profile.objects.filter(user=others[1]).update(public_name="Dev")
    body = learner_client.get(reverse("quizzes:paper", args=[paper.slug])).content.decode()
    assert "Anonymous aspirant" in body and "Dev" in body
    assert others[0].username not in body and others[1].username not in body


def test_profile_refuses_a_public_name_with_markup(learner_client):
    response = learner_client.post(
        reverse("profile"),
        {
            "exam_date": "",
            "daily_new_cards": 20,
            "timezone": "Asia/Kolkata",
            "desired_retention": 0.9,
            "public_name": "<b>me</b>",
        },
    )
    assert response.status_code in (200, 400)
    assert Profile.objects.get(user__username="asha").public_name == ""


def test_result_compares_only_with_earlier_tests_of_the_same_kind_and_length(
    learner_client, learner
):
    QuestionFactory.create_batch(3)
    short = prelims_service.attempt_start(learner=learner, mode="mock", count=2, now=NOW)
    prelims_service.attempt_submit(attempt_id=short.pk, learner=learner, now=NOW)
    paper = make_paper(2)
    attempt = sit(learner, paper, [1, 1], now=NOW + dt.timedelta(hours=1))
    body = learner_client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    assert "first 2-question paper of this kind" in body
    assert "Mock test · 2 questions" not in body


@pytest.mark.parametrize("takers", [10, 10_000])
def test_result_and_paper_pages_cost_the_same_queries_however_many_took_it(
    learner_client, learner, django_assert_num_queries, takers
):
    paper = make_paper(25, family="sectional")
    # Scores spread over the whole range, as many distinct values as a real paper gets.
    _takers(paper, [(i * 37) % 200 - 50 for i in range(takers)])
    attempt = sit(learner, paper, [1] * 20 + [0] * 5)
    url = reverse("quizzes:attempt-result", args=[attempt.pk])
    learner_client.get(url)  # warm the session and the profile
    with django_assert_num_queries(QUERIES["result"]):
        assert learner_client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES["paper"]):
        assert learner_client.get(reverse("quizzes:paper", args=[paper.slug])).status_code == 200
    with django_assert_num_queries(QUERIES["series"]):
        assert learner_client.get(reverse("quizzes:series")).status_code == 200


# + the takers count the cached pages are keyed by (studyapp.freshness)
QUERIES = {"result": 13, "paper": 9, "series": 7}


def test_percentile_and_rank_with_many_takers_match_a_direct_count(learner_client, learner):
    paper = make_paper(4)
    scores = [(i * 7) % 25 - 8 for i in range(500)]
    _takers(paper, scores)
    attempt = sit(learner, paper, [1, 1, None, None])  # 12 thirds
    body = learner_client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    everyone = [*scores, 12]
    rank = 1 + sum(s > 12 for s in everyone)
    at_or_below = sum(s <= 12 for s in everyone)
    assert f'id="rank">{rank:,} <span class="out-of">of {len(everyone):,}' in body
    assert f"{100 * at_or_below / len(everyone):.2f}" in body


def test_the_real_pack_ships_a_full_paper_and_four_sectionals():
    from content.loader import load_packs

    load_packs()
    papers = {p.slug: p for p in cm.Paper.objects.for_series()}
    full = [p for p in papers.values() if p.family == "full"]
    sectional = [p for p in papers.values() if p.family == "sectional"]
    assert len(full) == 1 and full[0].question_count == 100 and full[0].minutes == 120
    assert len(sectional) == 4 and all(p.question_count == 25 for p in sectional)
    kinds = dict(
        cm.PaperQuestion.objects.filter(paper=full[0])
        .values_list("question__kind")
        .annotate(n=Count("pk"))
    )
    assert kinds["statements"] >= 50 and len(kinds) == 4  # every format, statements the most
    per_topic = (
        cm.PaperQuestion.objects.filter(paper=full[0])
        .values("question__topic")
        .annotate(n=Count("pk"))
    )
    assert len(per_topic) == cm.Topic.objects.published().count()
    assert max(r["n"] for r in per_topic) - min(r["n"] for r in per_topic) <= 2
    assert timezone.now()  # the pack loads on any date
