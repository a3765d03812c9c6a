"""Mains answer writing in a real browser: type, reload mid-way and keep the text, submit, tick
key points; the countdown warns without blocking; screenshots of the writing and review pages
(desktop, phone, dark)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from content.models import Directive
from quizzes.coverage import count_words
from quizzes.models import MainsAnswer
from tests.e2e.conftest import shot as save_shot
from tests.factories import MainsAnswerFactory, MainsQuestionFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-9"

INTRO = (
    "India and Japan raised their ties to a Special Strategic and Global Partnership in 2014, "
    "but the economic side lags the strategic one."
)
BODY = (
    "\n\nChallenges:\n"
    "- Trade of about US$23 billion is small and the deficit with Japan is wide.\n"
    "- Flagship projects such as the bullet train are delayed by land acquisition.\n"
    "- India's strategic autonomy sits uneasily with Japan's US alliance."
)
ENDING = (
    "\n\nWay forward: expand CEPA, speed up approvals and deliver projects on time, so that "
    "convergence on the Indo-Pacific turns into delivery."
)


@pytest.fixture
def question():
    topic = TopicFactory(slug="challenges", title="Challenges and the way forward")
    return MainsQuestionFactory(
        topic=topic,
        directive=Directive.CRITICALLY_ANALYSE,
        marks=15,
        word_limit=250,
        minutes=11,
        text=(
            "Despite deep strategic convergence, the India–Japan partnership has under-delivered "
            "in its economic dimension. Critically analyse the challenges and suggest a way "
            "forward."
        ),
        outline_intro="Vision versus delivery: trade of about US$23 billion, delayed projects.",
        outline_body=["Strategic convergence", "Economic challenges", "External constraints"],
        outline_conclusion="Implementation: measurable trade, completed projects.",
        key_points=[
            (
                "Convergence — SSGP, Quad, Indo-Pacific.",
                ["special strategic", "quad", "indo-pacific"],
            ),
            ("Trade imbalance and modest volume.", ["trade deficit", "imbalance", "23 billion"]),
            ("Project delays — land acquisition, bullet train.", ["delay", "land acquisition"]),
            ("Strategic divergences — autonomy vs alliance.", ["strategic autonomy", "alliance"]),
            ("People-to-people gaps — language, TITP.", ["language", "titp", "business culture"]),
        ],
    )


def shot(page: Page, name: str):
    """Full-page screenshot from the top (a scrolled page would show the sticky header midway).
    Browser contexts prefer reduced motion, so colours have no transition to wait for."""
    page.evaluate("window.scrollTo(0, 0)")
    save_shot(page, name)


def wait_for_text(text: str, seconds: float = 15) -> None:
    """Wait until the learner's one answer row holds `text` (saves arrive asynchronously)."""
    deadline = time.monotonic() + seconds
    while MainsAnswer.objects.get().text != text and time.monotonic() < deadline:
        time.sleep(0.1)
    assert MainsAnswer.objects.get().text == text


def log_in(page: Page, live_server, username="asha"):
    UserFactory(username=username)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_type_reload_submit_and_tick_key_points(page: Page, live_server, question):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)

    page.goto(live_server.url + "/mains/?topic=challenges")
    expect(page.get_by_role("heading", name="Challenges and the way forward")).to_be_visible()
    shot(page, "mains-list-desktop")
    page.get_by_role("link", name=re.compile("^Write answer")).click()
    expect(page.get_by_text("asks you to:")).to_contain_text("balanced judgement")

    box = page.get_by_label("Your answer")
    box.press_sequentially(INTRO[:40])
    box.fill(INTRO)  # the rest at once: typing 25 words key by key adds nothing
    expect(page.locator("[data-words]")).to_have_text(str(count_words(INTRO)))
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=10_000)
    assert MainsAnswer.objects.get().text == INTRO

    # Reload mid-way, just after typing, before the next autosave could run.
    box.press_sequentially(BODY[:30])
    box.fill(INTRO + BODY)
    page.reload()
    box = page.get_by_label("Your answer")
    expect(box).to_have_value(INTRO + BODY)  # from the server or, if faster, the browser's copy
    wait_for_text(INTRO + BODY)

    # Saves failing (connection lost): the browser's copy survives a reload.
    page.route("**/autosave/", lambda route: route.abort())
    box.fill(INTRO + BODY + ENDING)
    expect(page.locator("[data-save-status]")).to_contain_text("kept in this browser")
    page.reload()
    box = page.get_by_label("Your answer")
    expect(box).to_have_value(INTRO + BODY + ENDING)
    page.unroute("**/autosave/")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=10_000)
    assert MainsAnswer.objects.get().text == INTRO + BODY + ENDING
    # The live count (JavaScript) and the stored count (Python) agree.
    expect(page.locator("[data-words]")).to_have_text(str(MainsAnswer.objects.get().words))
    assert MainsAnswer.objects.get().words == count_words(INTRO + BODY + ENDING)
    shot(page, "mains-write-desktop")

    page.emulate_media(color_scheme="dark")
    shot(page, "mains-write-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)
    page.reload()
    shot(page, "mains-write-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/mains/answers/\d+/$"))
    answer = MainsAnswer.objects.get()
    assert answer.submitted_at is not None
    expect(page.locator(".message.success")).to_contain_text("Answer submitted")
    points = page.locator(".keypoint")
    expect(points).to_have_count(5)
    expect(page.get_by_text("A hint, not a grade.")).to_be_visible()
    expect(points.nth(1)).to_contain_text("Appears covered")  # trade deficit + 23 billion
    expect(page.get_by_text("Conclusion / way forward present")).to_be_visible()
    expect(page.get_by_text("Under the word limit")).to_be_visible()

    # A score over the marks (the browser's own max check removed) is refused in place.
    score = page.get_by_label("Your score out of 15")
    score.evaluate("el => el.removeAttribute('max')")
    score.fill("99")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator("#assessment")).to_contain_text("Give a score from 0 to 15.")
    answer.refresh_from_db()
    assert answer.self_score is None

    points = page.locator(".keypoint")
    points.nth(0).get_by_role("checkbox").check()
    points.nth(1).get_by_role("checkbox").check()
    points.nth(2).get_by_role("checkbox").check()
    page.get_by_label("Your score out of 15").fill("7.5")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator("#assessment")).to_contain_text("Assessment saved.")
    answer.refresh_from_db()
    assert answer.covered_points.count() == 3
    assert str(answer.self_score) == "7.5"
    shot(page, "mains-answer-desktop")

    page.emulate_media(color_scheme="dark")
    page.reload()
    shot(page, "mains-answer-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)
    page.reload()
    shot(page, "mains-answer-phone")

    # Writing again starts afresh, and the browser copy of the submitted answer is gone.
    page.goto(live_server.url + f"/mains/{question.pk}/write/")
    expect(page.get_by_label("Your answer")).to_have_value("")
    expect(page.get_by_text("Your earlier answers to this question")).to_be_visible()


def test_countdown_warns_but_never_blocks(page: Page, live_server, question):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    learner = MainsAnswer._meta.get_field("learner").related_model.objects.get(username="asha")
    MainsAnswerFactory(
        learner=learner, question=question, text=INTRO, submitted_at=None, seconds=11 * 60 - 2
    )

    page.goto(live_server.url + f"/mains/{question.pk}/write/")
    timer = page.locator("#answer-timer")
    expect(timer).to_have_attribute("data-state", "over", timeout=6_000)
    expect(timer).to_contain_text("over the suggested time")
    box = page.get_by_label("Your answer")
    box.fill(INTRO + BODY + ENDING + "\n" + "extra " * 200)
    expect(page.locator("#answer-count")).to_have_attribute("data-state", "over")
    expect(page.locator("#answer-count")).to_contain_text("over the limit")
    shot(page, "mains-write-over-time")
    page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/mains/answers/\d+/$"))
    expect(page.get_by_text(re.compile(r"words over the limit"))).to_be_visible()


def test_mentor_feedback_is_shown_as_new(page: Page, live_server, question):
    page.set_viewport_size(DESKTOP)
    learner = UserFactory(username="asha")
    answer = MainsAnswerFactory(learner=learner, question=question, text=INTRO + BODY + ENDING)
    log_in(page, live_server, username="mentor")
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="mentor").update(is_staff=True)

    page.goto(live_server.url + f"/mains/answers/{answer.pk}/")
    expect(page.get_by_text("Answer by asha")).to_be_visible()
    page.get_by_label("Feedback for the learner").fill(
        "Good structure. Add the FY2023-24 trade figures and one line on the 2025 declaration."
    )
    page.get_by_label("Score").fill("8")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator("#feedback")).to_contain_text("Feedback saved.")
    shot(page, "mains-answer-mentor")

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("asha")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.goto(live_server.url + "/mains/")
    expect(page.get_by_text("New feedback").first).to_be_visible()
    shot(page, "mains-list-feedback-desktop")
    page.emulate_media(color_scheme="dark")
    page.reload()
    shot(page, "mains-list-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)
    page.reload()
    shot(page, "mains-list-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name=re.compile("^Despite deep strategic")).click()
    expect(page.locator("#feedback")).to_contain_text("Good structure.")
    expect(page.locator("#feedback-heading .badge")).to_have_text("New")
    shot(page, "mains-answer-feedback-new")
    page.reload()
    expect(page.locator("#feedback-heading .badge")).to_have_count(0)


def test_without_javascript_the_page_is_a_plain_form(browser, live_server, question):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server)
    page.goto(live_server.url + f"/mains/{question.pk}/write/")
    expect(page.locator("[data-timer]")).to_have_text("11:00")  # no countdown without JS
    page.get_by_label("Your answer").fill(INTRO)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".message.success")).to_contain_text("Draft saved")
    expect(page.get_by_label("Your answer")).to_have_value(INTRO)

    page.get_by_label("Your answer").fill("")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your answer is empty")
    assert MainsAnswer.objects.get().text == INTRO  # the draft is kept

    page.get_by_label("Your answer").fill(INTRO + BODY + ENDING)
    page.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"/mains/answers/\d+/$"))
    page.locator(".keypoint").nth(1).get_by_role("checkbox").check()
    page.get_by_label("Your score out of 15").fill("6")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".message.success")).to_contain_text("Assessment saved.")
    assert MainsAnswer.objects.get().covered_points.count() == 1
    context.close()


def test_leaving_the_page_sends_the_last_text_with_a_beacon(page: Page, live_server, question):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/mains/{question.pk}/write/")
    box = page.get_by_label("Your answer")
    box.fill(INTRO)
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=10_000)
    box.fill(INTRO + BODY)  # and leave at once, before the next autosave
    page.goto("about:blank")
    wait_for_text(INTRO + BODY)
