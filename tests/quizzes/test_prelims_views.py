"""Prelims pages: start, take (page and htmx fragments), answer, submit, result, bookmarks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content import models as cm
from quizzes.models import Attempt, AttemptItem, Bookmark
from quizzes.services import prelims as svc
from quizzes.services.prelims import PrelimsAction as Action
from tests.factories import (
    AssertionReasonQuestionFactory,
    PairsQuestionFactory,
    QuestionFactory,
    SourceFactory,
    StatementsQuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
CONFIRM = {"confirm": "1"}  # the learner said yes to "N questions unanswered: submit?"


@pytest.fixture
def bank():
    topics = [TopicFactory(title="Defence"), TopicFactory(title="Trade")]
    source = SourceFactory(title="The Hindu, 2024")
    for topic in topics:
        for factory in (QuestionFactory, StatementsQuestionFactory, PairsQuestionFactory):
            for q in factory.create_batch(2, topic=topic):
                q.sources.add(source)
    return topics


def make_attempt(learner, *, mode=Attempt.Mode.MOCK, count=6, **kwargs):
    return svc.attempt_start(learner=learner, mode=mode, count=count, **kwargs)


def url(name, attempt):
    return reverse(f"quizzes:{name}", args=[attempt.pk])


def post_answer(client, attempt, *, hx=False, **data):
    data.setdefault("order", 1)
    return client.post(url("attempt-answer", attempt), data, **(HX if hx else {}))


# ---- /prelims/ ----------------------------------------------------------------------------


def test_prelims_home_needs_login(client):
    response = client.get(reverse("quizzes:prelims"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_prelims_home_offers_practice_and_mock_with_counts(learner_client, bank):
    response = learner_client.get(reverse("quizzes:prelims"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Start practice" in html and "Start the mock test" in html
    assert "Only questions I got wrong or never saw" in html
    assert "25 questions · 30 minutes" in html
    assert "Defence (6)" in html
    assert "Match the pairs (4)" in html


def test_topic_link_preselects_the_topic(learner_client, bank):
    response = learner_client.get(reverse("quizzes:prelims") + f"?topic={bank[1].slug}")
    html = response.content.decode()
    checked = re.findall(r'<input type="checkbox" name="topics" value="([^"]+)"[^>]*checked', html)
    assert checked == [bank[1].slug, bank[1].slug]  # in the practice and the mock form


def test_home_lists_unfinished_and_past_attempts(learner_client, learner, bank):
    open_one = make_attempt(learner)
    done = make_attempt(learner, count=2)
    svc.attempt_submit(attempt_id=done.pk, learner=learner)
    html = learner_client.get(reverse("quizzes:prelims")).content.decode()
    assert url("attempt", open_one) in html and "Resume" in html
    assert url("attempt-result", done) in html


def test_opening_prelims_submits_an_overdue_mock(learner_client, learner, bank):
    attempt = make_attempt(learner)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    response = learner_client.get(reverse("quizzes:prelims"))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.auto_submitted
    assert "submitted automatically" in response.content.decode()


# ---- start ----------------------------------------------------------------------------------


def test_start_practice_redirects_to_the_attempt(learner_client, learner, bank):
    response = learner_client.post(
        reverse("quizzes:prelims-start"),
        {"mode": "practice", "count": 4, "pool": "all", "topics": [bank[0].slug]},
    )
    attempt = Attempt.objects.get(learner=learner)
    assert response.status_code == 302 and response["Location"] == url("attempt", attempt)
    assert attempt.mode == "practice" and attempt.question_count == 4
    assert attempt.settings["topics"] == [bank[0].slug]


def test_start_mock_default_is_25_questions_in_30_minutes(learner_client, learner):
    QuestionFactory.create_batch(30)
    learner_client.post(reverse("quizzes:prelims-start"), {"mode": "mock", "pool": "all"})
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.question_count == 25
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=30)


def test_start_mock_custom_size(learner_client, learner, bank):
    learner_client.post(
        reverse("quizzes:prelims-start"),
        {"mode": "mock", "size": "custom", "custom": 5, "pool": "all"},
    )
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.question_count == 5
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=6)


def test_start_with_a_bad_count_is_refused_with_a_message(learner_client, learner, bank):
    response = learner_client.post(
        reverse("quizzes:prelims-start"), {"mode": "practice", "count": 500, "pool": "all"}
    )
    assert response.status_code == 400
    assert "less than or equal to 100" in response.content.decode()
    assert not Attempt.objects.exists()


def test_start_with_nothing_to_draw_is_refused_with_a_message(learner_client, learner, bank):
    response = learner_client.post(
        reverse("quizzes:prelims-start"), {"mode": "practice", "count": 5, "pool": "wrong"}
    )
    assert response.status_code == 400
    assert "No published question matches" in response.content.decode()
    assert not Attempt.objects.exists()


def test_start_is_post_only(learner_client):
    assert learner_client.get(reverse("quizzes:prelims-start")).status_code == 405


# ---- taking ---------------------------------------------------------------------------------


def test_statements_question_in_upsc_layout(learner_client, learner):
    StatementsQuestionFactory(truths=[True, False, True])
    attempt = make_attempt(learner, count=1)
    html = learner_client.get(url("attempt", attempt)).content.decode()
    assert "Consider the following statements:" in html
    assert re.search(r'<span class="num">1\.</span>\s*<span class="text">Statement 1\.', html)
    assert "Which of the statements given above is/are correct?" in html
    for letter in "abcd":
        assert f"({letter})" in html
    assert "1 and 3 only" in html


def test_pairs_question_shows_a_two_column_table(learner_client, learner):
    PairsQuestionFactory()
    attempt = make_attempt(learner, count=1)
    html = learner_client.get(url("attempt", attempt)).content.decode()
    assert '<th scope="col">Project</th>' in html and '<th scope="col">State</th>' in html
    assert "How many of the pairs given above are correctly matched?" in html
    assert "Only two" in html


def test_assertion_reason_labels_statement_one_and_two(learner_client, learner):
    AssertionReasonQuestionFactory()
    attempt = make_attempt(learner, count=1)
    html = learner_client.get(url("attempt", attempt)).content.decode()
    assert "Statement-I:" in html and "Statement-II:" in html
    assert "Which one of the following is correct in respect of the above statements?" in html


def test_mock_page_never_shows_the_key_or_explanations(learner_client, learner):
    StatementsQuestionFactory(explanation="SECRET EXPLANATION")
    attempt = make_attempt(learner, count=1)
    html = learner_client.get(url("attempt", attempt)).content.decode()
    assert "SECRET EXPLANATION" not in html
    assert "is true." not in html and "is false." not in html
    assert "Key" not in re.sub(r"<[^>]+>", " ", html).split()


def test_taking_page_has_palette_timer_and_plain_form(learner_client, learner, bank):
    attempt = make_attempt(learner)
    html = learner_client.get(url("attempt", attempt)).content.decode()
    assert 'id="timer"' in html and 'id="palette"' in html
    assert html.count('name="goto"') >= 6
    assert 'action="' + url("attempt-answer", attempt) + '"' in html  # works without JS
    assert "Mark for Review &amp; Next" in html and "Clear Response" in html


def test_visiting_marks_the_question_visited(learner_client, learner, bank):
    attempt = make_attempt(learner)
    learner_client.get(url("attempt", attempt) + "?question=3")
    assert attempt.items.get(order=3).visited


def test_htmx_navigation_returns_the_exam_fragment(learner_client, learner, bank):
    attempt = make_attempt(learner)
    response = learner_client.get(url("attempt", attempt) + "?question=2", **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="exam"')
    assert "<html" not in html


# ---- answering ------------------------------------------------------------------------------


def test_save_and_next_without_js_redirects_to_the_next_question(learner_client, learner, bank):
    attempt = make_attempt(learner)
    response = post_answer(learner_client, attempt, choice=2, action="save")
    assert response.status_code == 302
    assert response["Location"] == url("attempt", attempt) + "?question=2"
    assert attempt.items.get(order=1).chosen == 2


def test_mark_for_review_keeps_the_answer(learner_client, learner, bank):
    attempt = make_attempt(learner)
    post_answer(learner_client, attempt, order=2, choice=1, action="mark")
    item = attempt.items.get(order=2)
    assert item.chosen == 1 and item.marked_for_review
    html = learner_client.get(url("attempt", attempt) + "?question=3").content.decode()
    assert 'class="pal answered-marked"' in html


def test_clear_response(learner_client, learner, bank):
    attempt = make_attempt(learner)
    post_answer(learner_client, attempt, choice=1, action="save")
    post_answer(learner_client, attempt, action="clear")
    assert attempt.items.get(order=1).chosen is None


def test_palette_button_saves_the_choice_and_moves(learner_client, learner, bank):
    attempt = make_attempt(learner)
    response = post_answer(learner_client, attempt, choice=3, goto=5)
    assert response["Location"].endswith("?question=5")
    assert attempt.items.get(order=1).chosen == 3


def test_htmx_pick_autosaves_and_returns_the_palette(learner_client, learner, bank):
    attempt = make_attempt(learner)
    response = post_answer(learner_client, attempt, choice=0, action="pick", hx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<nav id="palette"')
    assert 'class="pal answered current"' in html
    assert attempt.items.get(order=1).chosen == 0


def test_htmx_save_returns_the_next_question_and_pushes_its_url(learner_client, learner, bank):
    attempt = make_attempt(learner, now=timezone.now() - dt.timedelta(minutes=1))
    response = learner_client.post(
        url("attempt-answer", attempt),
        {"order": 1, "choice": 2, "action": "save", "shown_at": timezone.now().timestamp() - 20},
        **HX,
    )
    assert response["HX-Push-Url"] == url("attempt", attempt) + "?question=2"
    assert "Question 2" in response.content.decode()
    assert 19 <= attempt.items.get(order=1).seconds_spent <= 21


def test_option_index_out_of_range_is_400_with_a_message(learner_client, learner, bank):
    attempt = make_attempt(learner)
    response = post_answer(learner_client, attempt, choice=7, action="pick")
    assert response.status_code == 400
    assert "That option does not exist" in response.content.decode()
    response = post_answer(learner_client, attempt, choice=-1, action="pick", hx=True)
    assert response.status_code == 400
    assert response.content.decode() == "That option does not exist: choose one of (a) to (d)."
    assert attempt.items.get(order=1).chosen is None


def test_garbage_answer_post_is_400(learner_client, learner, bank):
    attempt = make_attempt(learner)
    response = post_answer(learner_client, attempt, order="x", action="pick")
    assert response.status_code == 400
    response = post_answer(learner_client, attempt, order=99, action="pick", choice=1)
    assert response.status_code == 400
    response = post_answer(learner_client, attempt, choice=1)  # no action, no goto
    assert response.status_code == 400
    assert not AttemptItem.objects.filter(chosen__isnull=False).exists()


def test_answer_after_deadline_is_refused_and_the_test_submitted(learner_client, learner, bank):
    attempt = make_attempt(learner)
    post_answer(learner_client, attempt, choice=1, action="pick")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=30))
    response = post_answer(learner_client, attempt, order=2, choice=1, action="pick", hx=True)
    assert response.status_code == 409
    assert "Time is up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.items.get(order=2).chosen is None
    assert attempt.correct_count + attempt.wrong_count == 1


def test_answer_to_a_submitted_attempt_is_refused(learner_client, learner, bank):
    attempt = make_attempt(learner)
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    response = post_answer(learner_client, attempt, choice=1, action="pick")
    assert response.status_code == 409
    assert "has been submitted" in response.content.decode()


def test_practice_check_shows_feedback_in_place(learner_client, learner):
    StatementsQuestionFactory(truths=[True, False, True], explanation="Why: the sources.")
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=1)
    key = attempt.items.get().key
    wrong = (key + 1) % 4
    response = post_answer(learner_client, attempt, choice=wrong, action="check", hx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wrong: the answer is" in html
    assert "Why: the sources." in html
    assert "Statement 2 is false." in html  # per-statement explanation
    assert 'class="badge success">Key</span>' in html
    again = post_answer(learner_client, attempt, choice=key, action="check")
    assert again.status_code == 400 and "already answered" in again.content.decode()


def test_practice_without_js_redirects_back_to_the_feedback(learner_client, learner, bank):
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=3)
    response = post_answer(learner_client, attempt, order=2, choice=1, action="check")
    assert response["Location"].endswith("?question=2")
    html = learner_client.get(response["Location"]).content.decode()
    assert "Explanation" in html


# ---- ownership ------------------------------------------------------------------------------


def test_other_learners_get_404_everywhere(client, other_learner, learner, bank):
    attempt = make_attempt(learner)
    client.force_login(other_learner)
    assert client.get(url("attempt", attempt)).status_code == 404
    assert client.get(url("attempt-result", attempt)).status_code == 404
    assert post_answer(client, attempt, choice=1, action="pick").status_code == 404
    assert client.post(url("attempt-submit", attempt)).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.items.get(order=1).chosen is None


# ---- submit and result ----------------------------------------------------------------------


def test_double_submit_is_idempotent(learner_client, learner, bank):
    attempt = make_attempt(learner)
    post_answer(learner_client, attempt, choice=attempt.items.get(order=1).key, action="pick")
    first = learner_client.post(url("attempt-submit", attempt), CONFIRM)
    attempt.refresh_from_db()
    stamp, score = attempt.submitted_at, attempt.score_thirds
    second = learner_client.post(url("attempt-submit", attempt), CONFIRM, **HX)
    attempt.refresh_from_db()
    assert first.status_code == 302 and first["Location"] == url("attempt-result", attempt)
    assert second["HX-Redirect"] == url("attempt-result", attempt)
    assert (attempt.submitted_at, attempt.score_thirds) == (stamp, score) == (stamp, 6)


def test_opening_a_submitted_attempt_goes_to_its_result(learner_client, learner, bank):
    attempt = make_attempt(learner)
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    response = learner_client.get(url("attempt", attempt))
    assert response["Location"] == url("attempt-result", attempt)


def test_opening_an_overdue_attempt_submits_it_automatically(learner_client, learner, bank):
    attempt = make_attempt(learner)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    response = learner_client.get(url("attempt", attempt), follow=True)
    assert response.redirect_chain[-1][0] == url("attempt-result", attempt)
    assert "submitted automatically" in response.content.decode()


def test_result_of_an_open_attempt_sends_back_to_the_test(learner_client, learner, bank):
    attempt = make_attempt(learner)
    assert learner_client.get(url("attempt-result", attempt))["Location"] == url("attempt", attempt)


def answer_all(client, attempt, pattern):
    """pattern: 'r' right, 'w' wrong, '-' blank, per question in order."""
    for item, what in zip(attempt.items.all(), pattern, strict=False):
        if what == "-":
            continue
        choice = item.key if what == "r" else (item.key + 1) % 4
        post_answer(client, attempt, order=item.order, choice=choice, action="pick")


def test_result_page_scores_breaks_down_and_reviews(learner_client, learner, bank):
    attempt = make_attempt(learner, count=12)
    answer_all(learner_client, attempt, "rrrrrwwww---")
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    response = learner_client.get(url("attempt-result", attempt))
    html = response.content.decode()
    assert response.status_code == 200
    # 5 right (10) - 4 wrong (2.67) = 7.33 of 24
    assert "7.33" in html and "/ 24" in html
    assert "−2.67" in html  # lost to negative marking
    assert "56%" in html  # accuracy 5 of 9
    assert "By format" in html and "Match the pairs" in html
    assert "By topic" in html and "Defence" in html and "Trade" in html
    assert html.count('class="card review-item') == 12
    assert "The Hindu, 2024" in html  # the source
    assert f'href="/topics/{bank[0].slug}/"' in html  # the topic note
    assert "Your answer" in html and "Key" in html
    assert "Practise your mistakes" in html


def test_result_review_can_show_only_wrong_answers(learner_client, learner, bank):
    attempt = make_attempt(learner, count=6)
    answer_all(learner_client, attempt, "rrww--")
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    html = learner_client.get(url("attempt-result", attempt) + "?show=wrong").content.decode()
    assert html.count('class="card review-item') == 2
    assert html.count("verdict-wrong") == 2


def test_guidance_quotes_the_marks_lost_in_a_format(learner_client, learner):
    StatementsQuestionFactory.create_batch(13)
    attempt = make_attempt(learner, count=13)
    answer_all(learner_client, attempt, "w" * 13)
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    html = learner_client.get(url("attempt-result", attempt)).content.decode()
    assert (
        "Your wrong answers in statement questions cost you 8.67 marks: "
        "attempt fewer guesses there." in html
    )


def test_result_compares_with_earlier_mocks(learner_client, learner, bank):
    first = make_attempt(learner, count=6)
    answer_all(learner_client, first, "rr----")
    learner_client.post(url("attempt-submit", first), CONFIRM)
    second = make_attempt(learner, count=6)
    answer_all(learner_client, second, "rrrr--")
    learner_client.post(url("attempt-submit", second), CONFIRM)
    html = learner_client.get(url("attempt-result", second)).content.decode()
    assert "Compared with your earlier 6-question custom mocks" in html
    assert url("attempt-result", first) in html
    assert "Your score is up 33 percentage points on your previous mock." in html


def test_result_never_changes_when_the_question_is_edited(learner_client, learner):
    question = StatementsQuestionFactory(
        truths=[True, False, True], stem="Consider the original statements:"
    )
    attempt = make_attempt(learner, count=1)
    item = attempt.items.get()
    post_answer(learner_client, attempt, choice=item.key, action="pick")
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    before = learner_client.get(url("attempt-result", attempt)).content.decode()

    question.stem = "EDITED STEM"
    question.explanation = "EDITED EXPLANATION"
    question.status = cm.Status.RETIRED
    question.save()
    question.statements.filter(order=2).update(is_true=True, text="EDITED STATEMENT")

    after = learner_client.get(url("attempt-result", attempt)).content.decode()
    assert "EDITED" not in after
    assert "Consider the original statements:" in after
    assert "2.00" in after
    strip = re.compile(r"[A-Za-z0-9]{64}")  # CSRF tokens differ per response
    assert strip.sub("", before) == strip.sub("", after)


# ---- bookmarks ------------------------------------------------------------------------------


def test_bookmark_toggle_with_htmx_and_without(learner_client, learner, bank):
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=2)
    qid = attempt.items.get(order=1).question_id
    response = learner_client.post(
        reverse("quizzes:bookmark", args=[qid]), {"next": url("attempt", attempt)}, **HX
    )
    assert "Bookmarked" in response.content.decode()
    assert Bookmark.objects.filter(learner=learner, question_id=qid).exists()
    response = learner_client.post(
        reverse("quizzes:bookmark", args=[qid]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("quizzes:prelims")  # no open redirect
    assert not Bookmark.objects.exists()


def test_bookmark_of_a_draft_question_is_404(learner_client):
    draft = QuestionFactory(status=cm.Status.DRAFT)
    response = learner_client.post(reverse("quizzes:bookmark", args=[draft.pk]))
    assert response.status_code == 404


# ---- query counts: 10 vs 100 questions --------------------------------------------------------


@pytest.fixture
def big_bank():
    topics = [TopicFactory() for _ in range(4)]
    for i in range(104):
        factory = (QuestionFactory, StatementsQuestionFactory, PairsQuestionFactory)[i % 3]
        factory(topic=topics[i % 4])
    return topics


def long_history(learner, n):
    """A submitted mock of n questions, half answered, plus an open one of n questions."""
    done = make_attempt(learner, count=n)
    for item in list(done.items.all())[: n // 2]:
        svc.attempt_answer(
            attempt_id=done.pk, learner=learner, order=item.order, action=Action.PICK, chosen=0
        )
    svc.attempt_submit(attempt_id=done.pk, learner=learner)
    live = make_attempt(learner, count=n)
    for item in list(live.items.all())[: n // 2]:
        svc.attempt_answer(
            attempt_id=live.pk, learner=learner, order=item.order, action=Action.MARK, chosen=1
        )
    return done, live


@pytest.mark.parametrize("n", [10, 100])
def test_query_counts_do_not_grow_with_the_attempt(
    n, learner_client, learner, big_bank, django_assert_max_num_queries
):
    done, live = long_history(learner, n)
    # The same bound for 10 and 100 questions: the palette is one query, snapshots one more.
    with django_assert_max_num_queries(7):
        assert learner_client.get(url("attempt", live) + "?question=3").status_code == 200
    with django_assert_max_num_queries(7):
        assert learner_client.get(url("attempt", live) + "?question=4", **HX).status_code == 200
    # + the profile's last_active (staff list), + the data version (the visit writes after it)
    with django_assert_max_num_queries(14):
        response = post_answer(learner_client, live, order=3, choice=2, action="save", hx=True)
        assert response.status_code == 200
    with django_assert_max_num_queries(9):  # + the profile's last_active
        response = post_answer(learner_client, live, order=3, choice=1, action="mark")
        assert response.status_code == 302
    with django_assert_max_num_queries(12):  # + the profile's last_active
        response = post_answer(learner_client, live, order=4, choice=2, action="pick", hx=True)
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert learner_client.get(url("attempt-result", done)).status_code == 200
    with django_assert_max_num_queries(8):
        assert learner_client.get(url("attempt-result", done) + "?show=wrong").status_code == 200
    with django_assert_max_num_queries(11):
        assert learner_client.get(reverse("quizzes:prelims")).status_code == 200


def test_question_number_does_not_fill_the_site_search_box(learner_client, learner, bank):
    attempt = make_attempt(learner)
    html = learner_client.get(url("attempt", attempt) + "?question=2").content.decode()
    assert "Question 2" in html
    assert not re.search(r'<input[^>]*name="q"[^>]*value="2"', html)


def test_assertion_reason_review_says_whether_statement_two_explains_one(learner_client, learner):
    AssertionReasonQuestionFactory(truths=[True, True], explains=False)
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=1)
    post_answer(learner_client, attempt, choice=1, action="check")
    html = learner_client.get(url("attempt", attempt)).content.decode()
    assert "Statement-II is correct but does not explain Statement-I." in html
    assert "Right: (b) is the answer." in html


# ---- copy and feedback (issue 20) -------------------------------------------------------------


def check_all(client, attempt, pattern):
    """Practice: 'r' right, 'w' wrong, '-' left blank, per question in order (Check answer)."""
    for item, what in zip(attempt.items.all(), pattern, strict=False):
        if what != "-":
            choice = item.key if what == "r" else (item.key + 1) % 4
            post_answer(client, attempt, order=item.order, choice=choice, action="check")


def test_finishing_practice_with_blanks_asks_first_without_js(learner_client, learner, bank):
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=4)
    check_all(learner_client, attempt, "rw--")
    response = learner_client.post(url("attempt-submit", attempt))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Finish practice?" in html
    assert "You have left <strong>2 of 4 questions</strong> unanswered (questions 3, 4)" in html
    assert 'name="confirm" value="1"' in html and "Finish practice anyway" in html
    assert url("attempt", attempt) + "?question=3" in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None  # nothing happened yet
    response = learner_client.post(url("attempt-submit", attempt), CONFIRM)
    assert response["Location"] == url("attempt-result", attempt)
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.blank_count == 2


def test_submitting_a_mock_with_blanks_asks_first_in_exam_mode(learner_client, learner, bank):
    attempt = make_attempt(learner, count=3)
    answer_all(learner_client, attempt, "r--")
    html = learner_client.post(url("attempt-submit", attempt)).content.decode()
    assert "Submit the test?" in html and "2 of 3 questions" in html
    assert "Exam mode" in html and 'aria-label="Main"' not in html  # no site menu mid-test
    assert not Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=False).exists()


def test_a_set_with_every_question_answered_finishes_without_asking(learner_client, learner, bank):
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=2)
    check_all(learner_client, attempt, "rw")
    response = learner_client.post(url("attempt-submit", attempt))
    assert response.status_code == 302


def test_the_clock_running_out_submits_without_asking(learner_client, learner, bank, fixed_clock):
    attempt = make_attempt(learner, count=3)
    fixed_clock.shift(attempt.deadline - timezone.now())
    response = learner_client.post(url("attempt-submit", attempt), {"timeout": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.auto_submitted


def test_after_a_practice_set_the_result_offers_another_practice_set(learner_client, learner, bank):
    attempt = make_attempt(
        learner, mode=Attempt.Mode.PRACTICE, count=3, topics=[bank[0].slug], kinds=["pairs"]
    )
    check_all(learner_client, attempt, "rw")
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    html = learner_client.get(url("attempt-result", attempt)).content.decode()
    again = html.split("Practise your mistakes", 1)[1].split("</form>")[1]
    assert "-question mock" not in html
    assert "Another practice set of 2" in again
    assert f'name="topics" value="{bank[0].slug}"' in again
    assert 'name="kinds" value="pairs"' in again and 'name="count" value="2"' in again
    # The button starts the same kind of set.
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', again))
    learner_client.post(reverse("quizzes:prelims-start"), fields)
    latest = Attempt.objects.filter(learner=learner).latest("pk")
    assert latest.mode == "practice" and latest.settings["topics"] == [bank[0].slug]
    assert latest.settings["kinds"] == ["pairs"]


def test_after_a_mock_the_result_offers_another_mock_of_the_same_length(
    learner_client, learner, bank
):
    attempt = make_attempt(learner, count=6)
    answer_all(learner_client, attempt, "rrw---")
    learner_client.post(url("attempt-submit", attempt), CONFIRM)
    html = learner_client.get(url("attempt-result", attempt)).content.decode()
    assert "Another 6-question mock" in html and "Another practice set" not in html


def test_a_statements_verdict_is_not_repeated_by_its_explanation(learner_client, learner):
    question = StatementsQuestionFactory(truths=[True, False])
    question.statements.filter(order=1).update(explanation="Correct. Japan joined in 1956.")
    question.statements.filter(order=2).update(explanation="Incorrect, because it was 1952.")
    attempt = make_attempt(learner, mode=Attempt.Mode.PRACTICE, count=1)
    html = post_answer(learner_client, attempt, choice=0, action="check", hx=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html.content.decode()).split())
    assert "Correct Japan joined in 1956." in text
    assert "Incorrect because it was 1952." in text
    assert "Correct Correct" not in text and "Incorrect Incorrect" not in text


def test_a_mock_longer_than_the_topics_allow_is_refused_with_the_counts(
    learner_client, learner, bank
):
    response = learner_client.post(
        reverse("quizzes:prelims-start"),
        {"mode": "mock", "size": "25", "pool": "all", "topics": [bank[0].slug]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "Only 6 questions match your choice (Defence: 6), not 25. Choose a custom mock of 6 "
        "or fewer, or tick more topics or formats."
    ) in html
    assert not Attempt.objects.filter(learner=learner).exists()
    # The whole bank (no topic or format chosen) is what the form says it is: it starts.
    response = learner_client.post(
        reverse("quizzes:prelims-start"), {"mode": "mock", "size": "100", "pool": "all"}
    )
    assert Attempt.objects.get(learner=learner).question_count == 12


def test_a_practice_set_longer_than_the_bank_starts_and_says_so(learner_client, learner, bank):
    response = learner_client.post(
        reverse("quizzes:prelims-start"),
        {"mode": "practice", "count": 10, "pool": "all", "topics": [bank[0].slug]},
        follow=True,
    )
    assert (
        "You asked for 10 questions but only 6 match your choice, so this practice has 6."
        in response.content.decode()
    )
