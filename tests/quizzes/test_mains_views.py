"""Mains answer writing: list, write (save/submit), autosave, answer page, assess, feedback,
admin. Integration tests through the views and services."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import KeyPoint, Status
from quizzes.models import MainsAnswer
from quizzes.services.mains import MAX_WORDS
from tests.factories import MainsAnswerFactory, MainsQuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
GOOD_TEXT = (
    "Japan is India's largest ODA partner since the yen loans of 1958.\n"
    "- Northeast connectivity projects support Act East.\n"
    "Way forward: deliver projects on time."
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def question():
    return MainsQuestionFactory(topic=TopicFactory(slug="oda", title="ODA and infrastructure"))


def write_url(q):
    return reverse("quizzes:mains-write", args=[q.pk])


def autosave_url(q):
    return reverse("quizzes:mains-autosave", args=[q.pk])


def answer_url(a):
    return reverse("quizzes:mains-answer", args=[a.pk])


def form(text="", *, answer=None, opened_ago=60.0, base=0, action=None):
    data = {"text": text, "opened_at": f"{time.time() - opened_ago:.3f}", "base_seconds": base}
    if answer is not None:
        data["answer"] = answer
    if action:
        data["action"] = action
    return data


def drafts(learner, q):
    return list(MainsAnswer.objects.filter(learner=learner, question=q, submitted_at=None))


# ---- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mains"])
def test_pages_need_login(client, name):
    response = client.get(reverse(f"quizzes:{name}"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_write_page_needs_login(client, question):
    assert client.get(write_url(question)).status_code == 302
    assert client.post(autosave_url(question), form("x")).status_code == 302
    assert not MainsAnswer.objects.exists()


def test_unpublished_question_is_404(learner_client):
    draft = MainsQuestionFactory(status=Status.DRAFT)
    assert learner_client.get(write_url(draft)).status_code == 404
    assert learner_client.post(autosave_url(draft), form("x")).status_code == 404


# ---- list -----------------------------------------------------------------------------------


def test_list_groups_questions_by_topic_with_attempts_and_best_score(learner_client, learner):
    t1, t2 = TopicFactory(title="History"), TopicFactory(title="Defence")
    q1 = MainsQuestionFactory(topic=t1, text="Trace the history of ties.")
    q2 = MainsQuestionFactory(topic=t2, marks=15, word_limit=250, minutes=11, text="Examine Q2.")
    MainsAnswerFactory(learner=learner, question=q1, self_score=Decimal("4"))
    MainsAnswerFactory(learner=learner, question=q1, self_score=Decimal("3"), mentor_score=5)
    MainsAnswerFactory(learner=learner, question=q2, submitted_at=None)
    MainsAnswerFactory(question=q2, self_score=9)  # someone else's

    page = learner_client.get(reverse("quizzes:mains")).content.decode()

    h1, h2 = f'id="topic-{t1.pk}">History', f'id="topic-{t2.pk}">Defence'
    assert page.index(h1) < page.index("Trace the history") < page.index(h2)
    assert "2 answers · best score 5/10" in page
    assert "Resume draft" in page
    assert "250 words · 11 min" in page
    assert "9/15" not in page


def test_list_filters_by_topic_and_marks(learner_client):
    t1, t2 = TopicFactory(slug="history"), TopicFactory(slug="defence")
    MainsQuestionFactory(topic=t1, text="About history.")
    MainsQuestionFactory(topic=t2, text="About defence, ten.")
    MainsQuestionFactory(topic=t2, marks=15, word_limit=250, minutes=11, text="Defence, fifteen.")
    url = reverse("quizzes:mains")

    page = learner_client.get(url, {"topic": "defence"}).content.decode()
    assert "About defence, ten." in page and "About history." not in page

    page = learner_client.get(url, {"topic": "defence", "marks": "15"}).content.decode()
    assert "Defence, fifteen." in page and "About defence, ten." not in page

    assert learner_client.get(url, {"topic": "no-such-topic"}).status_code == 404
    assert learner_client.get(url, {"marks": "99"}).status_code == 200  # ignored


def test_list_filter_with_htmx_returns_the_question_region_only(learner_client, question):
    response = learner_client.get(reverse("quizzes:mains"), {"topic": "oda"}, **HX)
    body = response.content.decode()
    assert 'id="mains-questions"' in body
    assert "<html" not in body and "Your latest answers" not in body


def test_list_marks_new_feedback(learner_client, learner, question):
    MainsAnswerFactory(learner=learner, question=question, feedback_at=timezone.now())
    page = learner_client.get(reverse("quizzes:mains")).content.decode()
    assert "New feedback" in page


# ---- write page -----------------------------------------------------------------------------


def test_write_page_explains_the_directive_and_shows_limits(learner_client, question):
    page = learner_client.get(write_url(question)).content.decode()
    assert "Look at the issue from several sides" in page  # "discuss"
    assert 'data-word-limit="150"' in page
    assert 'data-limit-seconds="420"' in page
    assert "Key points stay hidden" not in page  # no earlier answers
    assert "Japan is the largest source of ODA" not in page  # key points hidden before submit


def test_save_draft_without_javascript_then_resume_it(learner_client, learner, question):
    response = learner_client.post(write_url(question), form("First lines.", action="save"))
    assert response.status_code == 302
    assert response["Location"] == write_url(question)
    (draft,) = drafts(learner, question)
    assert draft.text == "First lines." and draft.words == 2

    response = learner_client.post(
        write_url(question), form("First lines, more.", action="save", answer=draft.pk)
    )
    assert response.status_code == 302
    (again,) = drafts(learner, question)
    assert again.pk == draft.pk and again.text == "First lines, more."

    page = learner_client.get(write_url(question)).content.decode()
    assert "First lines, more." in page
    assert f'name="answer" value="{draft.pk}"' in page


def test_submit_freezes_the_answer_and_suggests_key_points(learner_client, learner, question):
    learner_client.post(autosave_url(question), form("draft"))
    (draft,) = drafts(learner, question)

    response = learner_client.post(
        write_url(question), form(GOOD_TEXT, answer=draft.pk, action="submit", base=100)
    )

    answer = MainsAnswer.objects.get(pk=draft.pk)
    assert response.status_code == 302 and response["Location"] == answer_url(answer)
    assert answer.submitted_at is not None
    assert answer.text == GOOD_TEXT and answer.words == 24
    assert 150 <= answer.seconds <= 170  # 100 before + about 60 in this sitting
    points = list(question.key_points.values_list("pk", flat=True))
    assert answer.suggested_points == points  # ODA and Northeast / Act East both found


def test_writing_again_after_submitting_starts_a_new_answer(learner_client, learner, question):
    old = MainsAnswerFactory(
        learner=learner,
        question=question,
        text="The first attempt.",
        submitted_at=timezone.now() - dt.timedelta(hours=1),
    )
    page = learner_client.get(write_url(question)).content.decode()
    assert "The first attempt." not in page
    assert "Your earlier answers" in page

    learner_client.post(autosave_url(question), form("A second try."))
    (draft,) = drafts(learner, question)
    assert draft.pk != old.pk
    old.refresh_from_db()
    assert old.text == "The first attempt."


def test_empty_submit_is_refused_and_the_draft_kept(learner_client, learner, question):
    learner_client.post(autosave_url(question), form("Half an answer."))
    (draft,) = drafts(learner, question)

    response = learner_client.post(
        write_url(question), form("  \n\t ", answer=draft.pk, action="submit")
    )

    assert response.status_code == 400
    assert "Your answer is empty, so nothing was submitted" in response.content.decode()
    draft.refresh_from_db()
    assert draft.text == "Half an answer." and draft.submitted_at is None


def test_a_20000_word_answer_is_refused_with_the_text_kept_in_the_box(
    learner_client, learner, question
):
    learner_client.post(autosave_url(question), form("Short draft."))
    huge = "word " * 20_000

    response = learner_client.post(write_url(question), form(huge, action="submit"))

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Your answer has 20,000 words; the most an answer can hold is {MAX_WORDS:,}" in page
    assert page.count("word word word") > 0  # the text is still in the textarea
    (draft,) = drafts(learner, question)
    assert draft.text == "Short draft."

    response = learner_client.post(autosave_url(question), form(huge))
    assert response.status_code == 400
    assert "20,000 words" in response.json()["error"]
    draft.refresh_from_db()
    assert draft.text == "Short draft."


def test_control_characters_are_stripped_and_html_is_stored_as_text(
    learner_client, learner, question
):
    text = "<script>alert('x')</script>\x00 <b>bold</b>\r\nline\ttwo\x07"
    learner_client.post(write_url(question), form(text, action="submit"))

    answer = MainsAnswer.objects.get(learner=learner)
    assert answer.text == "<script>alert('x')</script> <b>bold</b>\nline\ttwo"
    page = learner_client.get(answer_url(answer)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page


def test_posting_to_someone_elses_draft_is_404(learner_client, other_learner, question):
    theirs = MainsAnswerFactory(learner=other_learner, question=question, submitted_at=None)
    for url, data in [
        (write_url(question), form("mine", answer=theirs.pk, action="save")),
        (write_url(question), form("mine", answer=theirs.pk, action="submit")),
        (autosave_url(question), form("mine", answer=theirs.pk)),
    ]:
        assert learner_client.post(url, data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.text != "mine" and theirs.submitted_at is None


def test_an_answer_id_of_another_question_is_404(learner_client, learner, question):
    other = MainsAnswerFactory(learner=learner, submitted_at=None, text="other q")
    response = learner_client.post(autosave_url(question), form("x", answer=other.pk))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.text == "other q"


def test_tampered_hidden_fields_are_refused(learner_client, learner, question):
    bad = form("text")
    bad["opened_at"] = "not-a-time"
    assert learner_client.post(autosave_url(question), bad).status_code == 400
    bad = form("text", base=-5)
    assert learner_client.post(write_url(question), {**bad, "action": "save"}).status_code == 400
    bad = form("text", action="publish")
    assert learner_client.post(write_url(question), bad).status_code == 400
    assert not MainsAnswer.objects.exists()


# ---- autosave -------------------------------------------------------------------------------


def test_autosave_makes_one_draft_and_updates_it(learner_client, learner, question):
    first = learner_client.post(autosave_url(question), form("One two", base=30, opened_ago=90))
    assert first.status_code == 200
    data = first.json()
    assert data["words"] == 2 and 119 <= data["seconds"] <= 122

    second = learner_client.post(
        autosave_url(question), form("One two three", answer=data["answer"], base=30)
    )
    assert second.json()["answer"] == data["answer"]
    # A save without the id (the first reply had not arrived yet) finds the same draft.
    third = learner_client.post(autosave_url(question), form("One two three four"))
    assert third.json()["answer"] == data["answer"]
    (draft,) = drafts(learner, question)
    assert draft.text == "One two three four" and draft.words == 4


def test_autosave_keeps_an_emptied_box_as_an_empty_draft(learner_client, learner, question):
    learner_client.post(autosave_url(question), form("Something"))
    response = learner_client.post(autosave_url(question), form(""))
    assert response.status_code == 200
    (draft,) = drafts(learner, question)
    assert draft.text == "" and draft.words == 0


def test_autosave_after_submit_is_refused_and_changes_nothing(learner_client, learner, question):
    answer_id = learner_client.post(autosave_url(question), form("Final text")).json()["answer"]
    learner_client.post(write_url(question), form("Final text", answer=answer_id, action="submit"))

    late = learner_client.post(autosave_url(question), form("Late", answer=answer_id))
    assert late.status_code == 409
    assert late.json()["answer_url"] == reverse("quizzes:mains-answer", args=[answer_id])
    # A tab opened before the submit, which never learnt the draft's id.
    stale = learner_client.post(autosave_url(question), form("Stale tab", opened_ago=300))
    assert stale.status_code == 409
    assert MainsAnswer.objects.get(pk=answer_id).text == "Final text"
    assert drafts(learner, question) == []


def test_a_repeated_submit_returns_the_same_answer(learner_client, learner, question):
    data = form(GOOD_TEXT, action="submit")
    first = learner_client.post(write_url(question), data)
    second = learner_client.post(write_url(question), data)
    assert first["Location"] == second["Location"]
    assert MainsAnswer.objects.filter(learner=learner).count() == 1

    changed = learner_client.post(write_url(question), {**data, "text": "Other text"})
    assert changed.status_code == 409
    assert MainsAnswer.objects.filter(learner=learner).count() == 1


def test_a_page_left_open_overnight_counts_at_most_three_hours(learner_client, question):
    data = learner_client.post(autosave_url(question), form("x", opened_ago=20 * 3600)).json()
    assert data["seconds"] == 3 * 3600


# ---- answer page ----------------------------------------------------------------------------


def submitted(learner, question, text=GOOD_TEXT, **kwargs):
    return MainsAnswerFactory(learner=learner, question=question, text=text, **kwargs)


def test_answer_page_reveals_key_points_outline_hints_and_structure(
    learner_client, learner, question
):
    answer = submitted(learner, question)
    page = learner_client.get(answer_url(answer)).content.decode()
    assert "Japan is the largest source of ODA" in page
    assert "Appears covered" in page
    assert "A hint, not a grade." in page
    assert "Japan is India&#x27;s largest bilateral ODA partner." in page  # outline intro
    assert "Way forward: timely delivery." in page
    assert "Introduction present" in page
    assert "Conclusion / way forward present" in page
    assert "Under the word limit" in page


def test_answer_page_of_someone_else_is_404(learner_client, other_learner, question):
    theirs = submitted(other_learner, question)
    assert learner_client.get(answer_url(theirs)).status_code == 404


def test_a_draft_sends_its_owner_back_to_writing(learner_client, learner, question):
    draft = submitted(learner, question, submitted_at=None)
    response = learner_client.get(answer_url(draft))
    assert response.status_code == 302 and response["Location"] == write_url(question)


def test_attempts_at_the_same_question_are_shown_side_by_side(learner_client, learner, question):
    now = timezone.now()
    first = submitted(
        learner, question, words=90, seconds=500, submitted_at=now - dt.timedelta(days=3)
    )
    first.covered_points.set(question.key_points.all()[:1])
    second = submitted(learner, question, words=148, seconds=410, self_score=6, submitted_at=now)
    page = learner_client.get(answer_url(second)).content.decode()
    assert "Your attempts at this question" in page
    assert page.index("90/150") < page.index("148/150")
    assert "8 min 20 s" in page and "6 min 50 s" in page
    assert "1/2" in page  # points ticked on the first attempt
    assert "this one" in page


# ---- self-assessment ------------------------------------------------------------------------


def assess_url(a):
    return reverse("quizzes:mains-assess", args=[a.pk])


def test_learner_ticks_points_and_scores_themselves(learner_client, learner, question):
    answer = submitted(learner, question)
    point = question.key_points.first()
    response = learner_client.post(assess_url(answer), {"covered": [point.pk], "self_score": "6.5"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert list(answer.covered_points.all()) == [point]
    assert answer.self_score == Decimal("6.5")


def test_assess_with_htmx_returns_the_assessment_partial(learner_client, learner, question):
    answer = submitted(learner, question)
    response = learner_client.post(assess_url(answer), {"self_score": "5"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="assessment"')
    assert "Assessment saved." in body


@pytest.mark.parametrize("score", ["-1", "10.5", "99", "abc", "1e3"])
def test_self_score_outside_the_marks_is_refused(learner_client, learner, question, score):
    answer = submitted(learner, question)
    point = question.key_points.first()
    response = learner_client.post(assess_url(answer), {"covered": [point.pk], "self_score": score})
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.self_score is None and not answer.covered_points.exists()


def test_a_key_point_of_another_question_is_refused(learner_client, learner, question):
    answer = submitted(learner, question)
    foreign = (
        KeyPoint.objects.exclude(question=question).first()
        or MainsQuestionFactory().key_points.first()
    )
    response = learner_client.post(assess_url(answer), {"covered": [foreign.pk]}, **HX)
    assert response.status_code == 400
    assert "not part of this question" in response.content.decode()
    assert not answer.covered_points.exists()


def test_assessing_someone_elses_answer_is_404(
    learner_client, staff_client, other_learner, question
):
    theirs = submitted(other_learner, question)
    assert learner_client.post(assess_url(theirs), {"self_score": "5"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.self_score is None


def test_assessing_a_draft_is_refused(learner_client, learner, question):
    draft = submitted(learner, question, submitted_at=None)
    assert learner_client.post(assess_url(draft), {"self_score": "5"}).status_code == 409
    draft.refresh_from_db()
    assert draft.self_score is None


# ---- mentor feedback ------------------------------------------------------------------------


def feedback_url(a):
    return reverse("quizzes:mains-feedback", args=[a.pk])


def test_staff_open_any_answer_and_give_feedback_the_learner_sees_as_new(
    client, staff_user, learner, question
):
    answer = submitted(learner, question)
    client.force_login(staff_user)
    page = client.get(answer_url(answer)).content.decode()
    assert "Answer by asha" in page and "Give feedback" in page

    response = client.post(
        feedback_url(answer), {"feedback": "Add data <b>here</b>.", "score": "6"}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.mentor == staff_user and answer.mentor_score == 6
    assert answer.feedback_is_new

    client.force_login(learner)
    listing = client.get(reverse("quizzes:mains")).content.decode()
    assert "New feedback" in listing
    first = client.get(answer_url(answer)).content.decode()
    assert "Your mentor has reviewed this answer" in first
    assert "Add data &lt;b&gt;here&lt;/b&gt;." in first
    answer.refresh_from_db()
    assert answer.feedback_seen_at is not None
    second = client.get(answer_url(answer)).content.decode()
    assert "Your mentor has reviewed this answer" not in second
    assert "Add data" in second
    assert "New feedback" not in client.get(reverse("quizzes:mains")).content.decode()


def test_feedback_with_htmx_returns_the_feedback_partial(staff_client, learner, question):
    answer = submitted(learner, question)
    response = staff_client.post(feedback_url(answer), {"feedback": "Good intro."}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section id="feedback"')
    assert "Good intro." in body


def test_learners_cannot_give_feedback(learner_client, learner, other_learner, question):
    mine, theirs = submitted(learner, question), submitted(other_learner, question)
    assert learner_client.post(feedback_url(mine), {"feedback": "great"}).status_code == 403
    assert learner_client.post(feedback_url(theirs), {"feedback": "bad"}).status_code == 404
    assert not MainsAnswer.objects.filter(feedback_at__isnull=False).exists()


@pytest.mark.parametrize("data", [{"feedback": "ok", "score": "11"}, {"feedback": "", "score": ""}])
def test_bad_feedback_is_refused(staff_client, learner, question, data):
    answer = submitted(learner, question)
    assert staff_client.post(feedback_url(answer), data).status_code == 400
    answer.refresh_from_db()
    assert answer.feedback_at is None and answer.mentor_score is None


# ---- admin ----------------------------------------------------------------------------------


def test_admin_lists_answers_awaiting_feedback_and_saves_feedback(staff_client, learner, question):
    waiting = submitted(learner, question, text="Waiting answer")
    submitted(learner, question, feedback_at=timezone.now(), mentor_feedback="done")
    changelist = reverse("admin:quizzes_mainsanswer_changelist")

    page = staff_client.get(changelist, {"feedback": "awaiting"}).content.decode()
    assert page.count('class="field-feedback_state"') == 1
    assert staff_client.get(changelist, {"q": "asha"}).status_code == 200

    change = reverse("admin:quizzes_mainsanswer_change", args=[waiting.pk])
    assert staff_client.get(change).status_code == 200
    bad = staff_client.post(change, {"mentor_feedback": "x", "mentor_score": "12"})
    assert bad.status_code == 200 and "Give a score from 0 to 10." in bad.content.decode()
    response = staff_client.post(change, {"mentor_feedback": "Structure it.", "mentor_score": "5"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.mentor_feedback == "Structure it." and waiting.feedback_is_new


# ---- query counts ---------------------------------------------------------------------------


def history(learner, n):
    questions = [MainsQuestionFactory() for _ in range(3)]
    for i in range(n):
        answer = MainsAnswerFactory(
            learner=learner, question=questions[i % 3], self_score=i % 10, feedback_at=None
        )
        answer.covered_points.set(questions[i % 3].key_points.all())
    MainsAnswerFactory(learner=learner, question=questions[0], submitted_at=None)
    return questions, answer


@pytest.mark.parametrize("n", [3, 60])
def test_query_counts_do_not_grow_with_history(
    learner_client, learner, n, django_assert_max_num_queries
):
    questions, last = history(learner, n)
    # session, user, then: topics, questions, stats, recent answers
    with django_assert_max_num_queries(6):
        assert learner_client.get(reverse("quizzes:mains")).status_code == 200
    # question, draft, the draft's uploaded pages, earlier answers
    with django_assert_max_num_queries(6):
        assert learner_client.get(write_url(questions[0])).status_code == 200
    # answer, key points, ticks, attempts (+1 when new feedback is marked seen)
    with django_assert_max_num_queries(7):
        assert learner_client.get(answer_url(last)).status_code == 200
    # + the per-learner autosave limit's counter (one upsert in the database without Redis),
    # + the learner's data version (studyapp.freshness; a draft is not activity)
    with django_assert_max_num_queries(10):
        response = learner_client.post(autosave_url(questions[0]), form("quick"))
        assert response.status_code == 200
